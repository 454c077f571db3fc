"""The text player: plays a story on injected streams (a terminal, or StringIO in tests)."""

from __future__ import annotations

import functools
import random
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from game.analysis.space import best_reachable
from game.engine.compiled import CompiledStory
from game.engine.engine import Beat, Offer, advance, beat, choose, replay, start
from game.engine.scoring import Scorecard, scorecard
from game.engine.state import Phase, PlayState
from game.store.profile import Carried

WIDTH = 78
AUTO_MODES = ("first", "random", "best")


class ScriptError(Exception):
    """A scripted choice that cannot be made, or a script that ends too early."""


@dataclass
class Script:
    """Choices to make without prompting: 1-based numbers as shown, or choice ids."""

    choices: list[str] = field(default_factory=list)
    auto: str | None = None
    seed: int | None = None


def parse_choices(text: str) -> list[str]:
    """Split ``"2,1,keep-door-open"`` into items; raise ValueError on an empty item."""
    items = [item.strip() for item in text.split(",")]
    for position, item in enumerate(items, start=1):
        if not item:
            raise ValueError(f"item {position} is empty")
    return items


def _find(answer: str, shown: Beat) -> Offer | None:
    """Return the shown choice with this number or id (offered or locked), if any."""
    if answer.isdigit():
        return next((o for o in shown.choices if o.number == int(answer)), None)
    return next((o for o in shown.choices if o.id == answer), None)


def _pick_scripted(item: str, shown: Beat) -> str:
    match = _find(item, shown)
    if match is not None and match.available:
        return match.id
    available = [o for o in shown.choices if o.available]
    what = f"choice {int(item)}" if item.isdigit() else f"choice {item!r}"
    raise ScriptError(
        f"{what} is not offered in scene {shown.scene!r} "
        f"(offered: {', '.join(f'{o.number}={o.id}' for o in available)})"
    )


def accepted_answers(shown: Beat) -> str:
    """Return what a person may type at this choice prompt, as one short sentence."""
    numbers = [o.number for o in shown.choices if o.available]
    if not numbers:
        return "Type a choice id."
    if len(numbers) == 1:
        return f"Type {numbers[0]}, or a choice id."
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Type a number from {numbers[0]} to {numbers[-1]}, or a choice id."
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"Type {listed} or {numbers[-1]}, or a choice id."


def _answer_problem(answer: str, shown: Beat) -> str:
    """Return the reply to an answer that picks no offered choice."""
    locked = _find(answer, shown)
    if locked is not None and not locked.available:
        reason = locked.locked.rstrip(".")
        return f"That choice is locked ({reason}). {accepted_answers(shown)}"
    return accepted_answers(shown)


def auto_chooser(
    story: CompiledStory, mode: str, seed: int | None
) -> Callable[[PlayState, Beat], str]:
    """Return a function that picks a choice id for ``--auto first|random|best``."""
    rng = random.Random(seed)

    def pick(state: PlayState, shown: Beat) -> str:
        available = [o for o in shown.choices if o.available]
        if mode == "first":
            return available[0].id
        if mode == "random":
            return rng.choice(available).id

        def value(offer: Offer) -> int:
            best = best_reachable(story, choose(story, state, offer.id))
            return -1 if best is None else best

        return max(available, key=value).id

    return pick


UNDO = "undo"
"""What a person types to take back their last answer (practice only)."""
PRACTICE_LINE = "Practice: type 'undo' at a choice to take back your last answer."
LOCKED_LINE = "Assessment: each answer is final once given."
LOCKED = ("Assessment: your answers are final once given, so 'undo' is not available "
          "(play with --mode practice to take answers back).")


class TextPlayer:
    """Plays one story, writing prose to ``out`` and reading answers from ``inp``.

    In practice (the default) a person may type ``undo`` at a choice to take back
    their last answer; ``locked`` (an assessment) refuses, and says why.
    """

    def __init__(self, story: CompiledStory, inp: TextIO, out: TextIO,
                 script: Script | None = None, *, locked: bool = False):
        self.locked = locked
        self.undos = 0
        """How many answers were taken back."""
        self.compiled = story
        self.story = story.model
        self.inp = inp
        self.out = out
        self.script = script or Script()
        self.auto = (
            auto_chooser(story, self.script.auto, self.script.seed) if self.script.auto else None
        )

    def say(self, text: str = "", indent: str = "") -> None:
        """Write wrapped text."""
        if not text:
            self.out.write("\n")
            return
        for paragraph in text.split("\n"):
            wrapped = textwrap.fill(
                paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent
            )
            self.out.write(wrapped + "\n")

    def show_lines(self, shown: Beat) -> None:
        """Write a scene's time stamp and lines."""
        if shown.time:
            self.say(f"[{shown.time}]")
        for line in shown.lines:
            if line.speaker == "narrator":
                self.say(f"({line.text})", "  ")
            else:
                self.say(f"{line.name}: {line.text}", "  ")

    def ask(self, shown: Beat) -> str:
        """Prompt until the player picks an available choice; return its id."""
        while True:
            self.out.write("> ")
            self.out.flush()
            answer = self.inp.readline()
            if not answer:
                raise ScriptError("input ended before the story did")
            answer = answer.strip().lower()
            match = _find(answer, shown)
            if match is not None and match.available:
                return match.id
            if answer in (UNDO, "u"):  # (a choice with that id is taken first, above)
                if not self.locked:
                    return UNDO
                self.say(LOCKED)
                continue
            self.say(_answer_problem(answer, shown))

    def _undo(self, state: PlayState) -> PlayState:
        """Take back the last answer: the state just before it (the same state if none)."""
        moves = [step.choice for step in state.history]
        made = [index for index, move in enumerate(moves) if move is not None]
        if not made:
            self.say("Nothing to take back yet: you have not answered.")
            return state
        self.undos += 1
        self.say("(Your last answer is taken back.)")
        self.say()
        return replay(self.compiled, moves[:made[-1]], state.imports)[0]

    def play(self, imports: dict[str, int | bool] | None = None) -> PlayState:
        """Play to an ending; return the final state."""
        state = start(self.compiled, imports)
        self.say(self.story.title.upper())
        self.say()
        scripted = list(self.script.choices)
        interactive = not scripted and self.auto is None
        if interactive:
            self.say(LOCKED_LINE if self.locked else PRACTICE_LINE)
            self.say()
        while True:
            shown = beat(self.compiled, state)
            self.show_lines(shown)
            if shown.phase is Phase.ENDED:
                return state
            if shown.phase is Phase.READING:
                if interactive:
                    self.out.write("[Enter to continue] ")
                    self.out.flush()
                    self.inp.readline()
                self.say()
                state = advance(self.compiled, state)
                continue
            for offer in shown.choices:
                if offer.available:
                    self.say(f"{offer.number}. {offer.text}", "    ")
                else:
                    self.say(f"-  {offer.text} (locked: {offer.locked})", "    ")
            if scripted:
                position = len(self.script.choices) - len(scripted) + 1
                try:
                    choice_id = _pick_scripted(scripted.pop(0), shown)
                except ScriptError as error:
                    raise ScriptError(f"scripted choice {position}: {error}") from None
            elif self.auto is not None:
                choice_id = self.auto(state, shown)
            elif interactive:
                choice_id = self.ask(shown)
                if choice_id == UNDO:
                    state = self._undo(state)
                    continue
            else:
                raise ScriptError(
                    f"the scripted choices ran out at scene {shown.scene!r} before an ending "
                    "(add more, or use --auto first|random|best)"
                )
            text = next(o.text for o in shown.choices if o.id == choice_id)
            self.say(f"You: {text}", "  ")
            self.say()
            state = choose(self.compiled, state, choice_id)

    def debrief(self, state: PlayState, carried: list[Carried] | None = None) -> Scorecard:
        """Write the consequence and the scorecard; return the scorecard.

        ``carried`` lists earlier choices (from the profile) that shaped this story.
        """
        card = scorecard(self.compiled, state,
                         functools.partial(best_reachable, self.compiled))
        ending = self.story.scenes[state.scene].ending
        assert ending is not None
        self.say()
        if ending.time_skip:
            self.say(ending.time_skip)
        self.say(f"== {ending.title} ==")
        if ending.epilogue:
            self.say(ending.epilogue.strip())
        if ending.lesson:
            self.say()
            self.say(f"Lesson: {ending.lesson.strip()}")
        self.say()
        best = f" (best possible: {card.best_possible})" if card.best_possible is not None else ""
        self.say(f"Relationship score: {card.score}/100{best}. Door: {card.outcome.value}.")
        self.say(f"{card.band_line}.")
        for name in card.floors:
            self.say(f"  Hard floor: {name}. {self.story.flags[name].help}")
        for meter in card.meters:
            if meter.weight > 0:
                bar = "#" * round(meter.fraction * 20)
                self.say(f"  {meter.label:<12} {bar:<20} {meter.value}")
        self.say()
        for number, decision in enumerate(card.decisions, start=1):
            self.say(f"{number}. ({decision.change:+d}) {decision.text}", "  ")
            if decision.feedback:
                self.say(decision.feedback, "     ")
        if carried:
            self.say()
            self.say("Carried over from earlier scenarios:")
            for item in carried:
                said = f' ("{item.text}")' if item.text else ""
                self.say(f"- {item.name}: {item.value}, from {item.story_title}{said}", "  ")
        worst = card.costliest
        if worst is not None and worst.best_before is not None:
            self.say()
            self.say(
                f'You could have reached {worst.best_before}; after "{worst.text}" '
                f"the best still reachable was {worst.best_after}."
            )
        return card
