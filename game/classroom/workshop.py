"""Workshop mode's rules, without any drawing: prompts, hand counts, "what if" and the debrief.

A facilitator projects a story and stops at each decision: the room talks it
over (the scene's ``discuss`` prompt, or :data:`DEFAULT_PROMPT`), hands are
counted for each answer (:class:`Tally`), the counts are revealed, and the
majority's answer is played (a tie is the facilitator's to break). At any
decision, :func:`what_if` says where each answer can still lead, from the
story's exact analysis, and at the end :func:`class_debrief` sets the class's
path beside the best one with a few questions drawn from what the class did.

The window (:mod:`game.gui.screens.workshop`) draws all of this; the run it
stores has mode ``workshop``, the class code and each decision's votes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from game.analysis.space import space_for
from game.engine.compiled import CompiledStory
from game.engine.engine import Offer, advance, choose, offers, start
from game.engine.scoring import Scorecard
from game.engine.state import Phase, PlayState
from game.story.model import Outcome, Scene

DEFAULT_PROMPT = "What would you say here, and why? Where might each answer lead months from now?"
"""Asked at a decision whose scene has no ``discuss`` prompt of its own."""


def prompt_for(scene: Scene) -> str:
    """The question the room talks over at this decision."""
    return scene.discuss or DEFAULT_PROMPT


@dataclass
class Tally:
    """Hands counted for each answer of one decision (answer 1 is index 0).

    Counts never go below zero; :attr:`revealed` is whether the room may see them.
    """

    counts: list[int]
    revealed: bool = False

    @classmethod
    def of(cls, options: int) -> Tally:
        """An empty tally for ``options`` answers."""
        return cls([0] * options)

    def add(self, option: int) -> bool:
        """Count one more hand for ``option`` (0-based); False if there is no such answer."""
        if not 0 <= option < len(self.counts):
            return False
        self.counts[option] += 1
        return True

    def take_back(self, option: int) -> bool:
        """Take one hand back from ``option``; False if it had none (or does not exist)."""
        if not 0 <= option < len(self.counts) or self.counts[option] == 0:
            return False
        self.counts[option] -= 1
        return True

    @property
    def total(self) -> int:
        """Hands counted in all."""
        return sum(self.counts)

    def share(self, option: int) -> float:
        """The share of the hands that ``option`` has, 0..1 (0 while none are counted)."""
        return self.counts[option] / self.total if self.total else 0.0

    def percent(self, option: int) -> int:
        """:meth:`share` as a whole percentage (rounded half up, as a person would)."""
        return int(self.share(option) * 100 + 0.5)

    def leaders(self) -> list[int]:
        """The answers with the most hands (several when tied; none before any hand)."""
        if not self.total:
            return []
        most = max(self.counts)
        return [i for i, count in enumerate(self.counts) if count == most]

    def majority(self) -> int | None:
        """The one answer with the most hands, or None on a tie or before any hand."""
        leaders = self.leaders()
        return leaders[0] if len(leaders) == 1 else None


@dataclass(frozen=True)
class Vote:
    """One decision the class took: the answers offered, the hands for each, and the one played."""

    scene: str
    options: tuple[str, ...]
    """The choice ids the room could vote for, in the order they were numbered."""
    numbers: tuple[int, ...]
    """The number each of those answers had on screen (a locked answer keeps its number)."""
    counts: tuple[int, ...]
    chosen: str

    def by_choice(self) -> dict[str, int]:
        """Hands per choice id, as the run record keeps them."""
        return dict(zip(self.options, self.counts, strict=True))

    def line(self) -> str:
        """The hands in one line, e.g. '7 hands · 1: 2 · 2: 4 ✓ · 3: 1' (✓: the answer played)."""
        total = sum(self.counts)
        if not total:
            return "No hands counted: the facilitator chose."
        parts = [f"{n}: {c}" + (" ✓" if o == self.chosen else "")
                 for o, n, c in zip(self.options, self.numbers, self.counts, strict=True)]
        return " · ".join([f"{total} hand{'s' * (total != 1)}", *parts])


@dataclass
class Workshop:
    """One class's workshop run: who the class is, and each decision's vote so far."""

    class_code: str | None = None
    votes: list[Vote] = field(default_factory=list)

    def record(self, offered: Sequence[Offer], tally: Tally, chosen: str, scene: str) -> Vote:
        """Keep the vote taken at ``scene``: ``tally`` counts ``offered`` in order (a
        locked answer, which nobody can vote for, is left out)."""
        kept = [(o, n) for o, n in zip(offered, tally.counts, strict=True) if o.available]
        vote = Vote(scene, tuple(o.id for o, _ in kept), tuple(o.number for o, _ in kept),
                    tuple(n for _, n in kept), chosen)
        self.votes.append(vote)
        return vote

    def record_votes(self) -> list[dict[str, int]]:
        """Each decision's hands per choice id, in order, for the run record."""
        return [vote.by_choice() for vote in self.votes]


# ---------------------------------------------------------------------- what if
@dataclass(frozen=True)
class WhatIf:
    """Where one answer can still lead: the best and worst door and score after it."""

    number: int
    choice: str
    text: str
    feedback: str
    available: bool
    best: int | None = None
    worst: int | None = None
    best_door: Outcome | None = None
    worst_door: Outcome | None = None


def what_if(story: CompiledStory, state: PlayState) -> list[WhatIf]:
    """For each answer offered at a decision: where the story can still go after it.

    The figures come from the story's exact analysis (built once per story and
    start, and kept; the window starts building it when the call starts), so this
    is a handful of look-ups per answer.
    """
    space = space_for(story, state.imports)
    found = []
    for offer in offers(story, state):
        choice = story.model.scenes[state.scene].choices[offer.number - 1]
        if not offer.available:
            found.append(WhatIf(offer.number, offer.id, offer.text, choice.feedback, False))
            continue
        after = choose(story, state, offer.id)
        node = space.project(after.meters, after.flags, after.scene)
        if node is None:
            found.append(WhatIf(offer.number, offer.id, offer.text, choice.feedback, True))
            continue
        xs = space.free_values(after.meters)
        doors = space.doors_from(node)
        found.append(WhatIf(
            offer.number, offer.id, offer.text, choice.feedback, True,
            space.best_from_state(node, xs), space.worst_from_state(node, xs),
            doors[0] if doors else None, doors[1] if doors else None))
    return found


# ---------------------------------------------------------------------- the debrief
@dataclass(frozen=True)
class PathStep:
    """One decision on a path: where, and what was said."""

    scene: str
    choice: str
    text: str


def best_path(story: CompiledStory, imports: Mapping[str, int | bool] | None = None
              ) -> tuple[int | None, list[PathStep]]:
    """The best score any run can reach and the decisions of one run that reaches it."""
    space = space_for(story, imports)
    result = space.extreme(best=True)
    state = start(story, imports)
    steps = []
    for move in result.path:
        while state.phase is Phase.READING:
            state = advance(story, state)
        text = next(o.text for o in offers(story, state) if o.id == move)
        steps.append(PathStep(state.scene, move, text))
        state = choose(story, state, move)
    return result.score, steps


def parting(class_path: Sequence[PathStep], best: Sequence[PathStep]) -> int | None:
    """The index of the first decision where the class left the best path (None: never)."""
    for index, (ours, theirs) in enumerate(zip(class_path, best, strict=False)):
        if (ours.scene, ours.choice) != (theirs.scene, theirs.choice):
            return index
    return None if len(class_path) == len(best) else min(len(class_path), len(best))


def closest_vote(votes: Sequence[Vote]) -> Vote | None:
    """The vote the room was most divided on (two answers with hands, smallest margin)."""
    split = [v for v in votes if sum(1 for c in v.counts if c) >= 2]
    if not split:
        return None

    def margin(vote: Vote) -> tuple[float, int]:
        first, second = sorted(vote.counts, reverse=True)[:2]
        return ((first - second) / sum(vote.counts), -sum(vote.counts))

    return min(split, key=margin)


def questions(card: Scorecard, votes: Sequence[Vote], class_path: Sequence[PathStep],
              best: Sequence[PathStep], texts: Mapping[tuple[str, str], str]) -> list[str]:
    """Two or three questions for the room, drawn from what this class did.

    ``texts`` gives each (scene, choice id) its words, to quote the answers.
    """
    asked: list[str] = []
    split = closest_vote(votes)
    if split is not None:
        ranked = sorted(range(len(split.counts)), key=lambda i: -split.counts[i])
        top, runner = (split.options[i] for i in ranked[:2])
        asked.append(
            f"The room split {split.counts[ranked[0]]} to {split.counts[ranked[1]]} between "
            f"“{short(texts[split.scene, top])}” and “{short(texts[split.scene, runner])}”. "
            "What did each side hear in its answer?")
    costly = card.costliest
    if costly is not None and costly.change < 0:
        asked.append(f"“{short(costly.text)}” cost {-costly.change} points. "
                     "What would you say instead, in your own words?")
    where = parting(class_path, best)
    if where is None:
        asked.append("The class found the best path. Which answer was hardest to agree on, "
                     "and would you say it the same way on a real call?")
    elif card.outcome.rank >= Outcome.AJAR.rank:
        asked.append(f"The door stayed {card.outcome.value}. Which line of yours will the "
                     "recruiter remember, and why that one?")
    else:
        asked.append(f"The door ended {card.outcome.value}. At which moment could the class "
                     "still have turned the call around?")
    return asked[:3]


def short(text: str, limit: int = 60) -> str:
    """An answer's words, cut at a word before ``limit`` characters when too long to quote."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"
