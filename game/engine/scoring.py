"""The Scorecard: how well a playthrough preserved the relationship, and why.

Scores behaviour the player controls: each meter's value, an overall 0-100 score
(weighted mean), the door outcome after hard floors with the score held in that
door's band (one rule: :meth:`~game.engine.rules.Rules.final_score`), each
decision with its feedback and its change to the score, and the best score that
was still reachable at each point, so the debrief can say "you could have reached
92" (figures of the analysis, before any hold: the same in a story without CB032).

That last figure needs the exact analysis, a layer above this one, so it comes in
as a function (``best``; :func:`game.analysis.space.best_reachable` bound to the
story): without one, a scorecard says nothing about what was reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from game.engine.compiled import CompiledStory
from game.engine.engine import EngineError, advance, choose, key_of, start
from game.engine.state import Phase, PlayState
from game.story.model import Band, Outcome

TURNING_POINT_MIN = 5
"""The fewest reachable points a choice must lose to be a run's turning point (fewer is a
nuance the path beside the best path shows, not where a call turned)."""

BestReachable = Callable[[PlayState], int | None]
"""The best final score still reachable from a state (None: no ending is)."""


@dataclass(frozen=True)
class MeterScore:
    """One meter at the end of a run."""

    id: str
    label: str
    value: int
    min: int
    max: int
    weight: float
    help: str

    @property
    def fraction(self) -> float:
        """Return the value scaled to 0..1."""
        return (self.value - self.min) / (self.max - self.min)


@dataclass(frozen=True)
class Decision:
    """One choice the player made, explained."""

    scene: str
    choice: str
    text: str
    feedback: str
    tags: tuple[str, ...]
    deltas: dict[str, int]
    flags: dict[str, bool]
    score_before: int
    score_after: int
    best_before: int | None
    best_after: int | None

    @property
    def change(self) -> int:
        """Return the change to the overall score."""
        return self.score_after - self.score_before


@dataclass(frozen=True)
class Scorecard:
    """The result of a finished run."""

    story_id: str
    ending: str
    ending_title: str
    outcome: Outcome
    declared_outcome: Outcome
    score: int
    best_possible: int | None
    meters: tuple[MeterScore, ...]
    flags: dict[str, bool]
    decisions: tuple[Decision, ...]
    floors: tuple[str, ...]
    band: Band
    """The band of scores that earn this door (the score always lies in it)."""

    @property
    def band_line(self) -> str:
        """The rule in one phrase: '57 is in the ajar band (50-69): kept in the talent pool'."""
        return (f"{self.score} is in the {self.outcome.value} band ({self.band}): "
                f"{self.outcome.meaning}")

    @property
    def costliest(self) -> Decision | None:
        """Return the turning point without a best path to spare (see :meth:`turning_point`)."""
        return self.turning_point()

    def turning_point(self, best_path: Collection[tuple[str, str]] = ()) -> Decision | None:
        """Return the decision that lowered the best reachable score the most, if any.

        Never a choice the best path takes (``best_path``: its (scene, choice) pairs),
        never one that raised the score (passing up a larger gain for a smaller one is
        not where a call turned: the path beside the best one shows it), and never
        one that lost fewer than :data:`TURNING_POINT_MIN` points.
        """
        skip = set(best_path)

        def drop(decision: Decision) -> int:
            if decision.best_before is None or decision.best_after is None:
                return 0
            return decision.best_before - decision.best_after

        found = [d for d in self.decisions if drop(d) >= TURNING_POINT_MIN
                 and d.change <= 0 and (d.scene, d.choice) not in skip]
        return max(found, key=drop, default=None)


def walk(story: CompiledStory, state: PlayState) -> list[tuple[PlayState, PlayState]]:
    """Return (before, after) states for every step of the state's history."""
    current = start(story, state.imports)
    pairs = []
    for step in state.history:
        after = (
            advance(story, current) if step.choice is None else choose(story, current, step.choice)
        )
        pairs.append((current, after))
        current = after
    return pairs


def scorecard(
    story: CompiledStory, state: PlayState, best: BestReachable | None = None
) -> Scorecard:
    """Score a finished run. Raises :class:`EngineError` before the ending.

    Args:
        story: the compiled story the run was played on.
        state: the run, at its ending.
        best: the best score still reachable from a state; without it the
            scorecard's ``best_possible`` and each decision's ``best_before`` and
            ``best_after`` are None.
    """
    if state.phase is not Phase.ENDED:
        raise EngineError(
            f"scorecard() was called, but the story is {state.phase.value}: finish the run first"
        )
    model, rules = story.model, story.rules
    ending = model.scenes[state.scene].ending
    assert ending is not None
    decisions = []
    first_best: int | None = None
    for before, after in walk(story, state):
        step = after.history[-1]
        if step.choice is None:
            continue
        choice = next(c for c in model.scenes[step.scene].choices if c.id == step.choice)
        best_before = best(before) if best is not None else None
        if first_best is None:
            first_best = best_before
        decisions.append(
            Decision(
                scene=step.scene,
                choice=choice.id,
                text=choice.text,
                feedback=choice.feedback,
                tags=tuple(choice.tags),
                deltas=dict(step.deltas),
                flags=dict(step.flags),
                score_before=rules.score(key_of(before, rules)),
                score_after=rules.final_score(key_of(after, rules)),
                best_before=best_before,
                best_after=best(after) if best is not None else None,
            )
        )
    key = key_of(state, rules)
    final = rules.final_score(key)
    if first_best is None and best is not None:
        first_best = final
    meters = tuple(
        MeterScore(name, m.label, state.meters[name], m.min, m.max, m.weight, m.help)
        for name, m in model.meters.items()
    )
    floors = tuple(
        name
        for name, flag in model.flags.items()
        if state.flags.get(name) and flag.ceiling(model.score_bands) is not None
    )
    outcome = rules.outcome(key) or ending.outcome
    return Scorecard(
        story_id=story.id,
        ending=state.scene,
        ending_title=ending.title,
        outcome=outcome,
        declared_outcome=ending.outcome,
        score=final,
        best_possible=first_best,
        meters=meters,
        flags=dict(state.flags),
        decisions=tuple(decisions),
        floors=floors,
        band=model.score_bands.of(outcome),
    )
