"""The campaign reads as one job search in time order: no time label runs backwards.

The campaign is played as a player reads it (``callback play --campaign --text``), and
every time label on screen, a scene's ``[time]`` and an ending's "... later..." card, is
read into a day and a time of day. Day 0 is the final interview (the flagship's
prologue, a Monday); Maya calls eight days later, and every "N after the call" label
counts from that day. A label the reader below cannot read fails the test, so a new
story's labels keep to words whose order is clear.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from story_runs import compiled, seeded_run

from game.cli import main
from game.paths import bundled_stories

CALL_DAY = 8
STORY_IDS = [p.stem for p in bundled_stories() if not p.name.endswith(".rubric.yaml")]
UNITS = {"minute": 0.0, "hour": 0.0, "day": 1, "week": 7, "month": 30, "year": 365}
NUMBERS = {w: n for n, w in enumerate(["zero", "one", "two", "three", "four", "five", "six",
                                        "seven", "eight", "nine", "ten", "eleven", "twelve"])}
NUMBERS |= {"a": 1, "an": 1}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SAME_DAY = {"that morning": 6 * 60, "that afternoon": 12 * 60, "that evening": 18 * 60,
            "that night": 20 * 60, "the same day": None, "later that day": None,
            "later that week": None}
NEXT_DAY = {"the next morning": (1, 6 * 60), "the next afternoon": (1, 12 * 60),
            "the next evening": (1, 18 * 60), "the next day": (1, None),
            "the next week": (7, None)}
AMOUNT = r"(\d+|[a-z]+) (minute|hour|day|week|month|year)s?"


class Clock:
    """Where the story stands: a day, and a time of day in minutes where one is known."""

    def __init__(self) -> None:
        self.day = 0.0
        self.minute: int | None = None
        self.seen: list[str] = []

    def read(self, label: str) -> None:
        """Move to ``label``; fail if it lies before where the story already stands."""
        self.seen.append(label)
        text = label.strip().rstrip(".").strip().lower()
        head, _, rest = text.partition(",")
        head, rest = head.strip(), rest.strip()
        if m := re.fullmatch(AMOUNT + r" later(?: (.*))?", head):
            self._move(self.day + _days(m[1], m[2]), rest or (m[3] or ""))
        elif m := re.fullmatch(AMOUNT + r" after the call", head):
            day = CALL_DAY + _days(m[1], m[2])
            assert day >= self.day, self._backwards(label)
            self._move(day, rest)
        elif head in SAME_DAY:
            self._at(SAME_DAY[head], label)
        elif head in NEXT_DAY:
            days, minute = NEXT_DAY[head]
            self._move(self.day + days, rest, minute)
        elif (words := head.split()) and words[0] in WEEKDAYS:
            weekday = WEEKDAYS.index(words[0])
            ahead = (weekday - int(self.day)) % 7
            minute = _clock(" ".join(words[1:]) or rest)
            if ahead == 0 and minute is not None and self.minute is not None \
                    and minute < self.minute:
                ahead = 7
            self._move(int(self.day) + ahead, " ".join(words[1:]) or rest)
        else:
            pytest.fail(f"cannot read the time label {label!r}; use 'N days later', "
                        "'N weeks after the call', 'The next morning', 'That evening' "
                        "or a weekday")

    def _move(self, day: float, rest: str, minute: int | None = None) -> None:
        if day == self.day:
            self._at(_clock(rest) if minute is None else minute, rest)
            return
        self.day = day
        self.minute = _clock(rest) if minute is None else minute

    def _at(self, minute: int | None, label: str) -> None:
        """The same day: the time of day must not go back."""
        if minute is not None and self.minute is not None:
            assert minute >= self.minute, self._backwards(label)
        if minute is not None:
            self.minute = minute

    def _backwards(self, label: str) -> str:
        return f"{label!r} comes before where the story stands: {' | '.join(self.seen)}"


def _days(amount: str, unit: str) -> float:
    count = int(amount) if amount.isdigit() else NUMBERS[amount]
    return count * UNITS[unit]


def _clock(text: str) -> int | None:
    """Minutes after midnight of '4:12 pm' in ``text`` (None if it names no time)."""
    m = re.search(r"(\d{1,2}):(\d\d) ?(am|pm)", text)
    if m is None:
        return None
    hour = int(m[1]) % 12 + (12 if m[3] == "pm" else 0)
    return hour * 60 + int(m[2])


def campaign_transcript(*auto: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(["play", "--campaign", "--text", "--auto", *auto], out=out, err=err)
    assert code == 0, err.getvalue()
    return out.getvalue()


def labels(transcript: str) -> list[str]:
    """The time labels a player reads, in order: ``[scene time]`` and ending cards."""
    lines = transcript.splitlines()
    found = []
    for i, line in enumerate(lines):
        if m := re.fullmatch(r"\[(.+)\]", line.strip()):
            found.append(m[1])
        elif line.endswith("...") and i + 1 < len(lines) and lines[i + 1].startswith("== "):
            found.append(line)
    return found


@pytest.mark.parametrize("auto", [("best",), ("first",)] + [
    ("random", "--seed", str(seed)) for seed in range(1, 13)], ids=" ".join)
def test_the_campaigns_time_labels_never_run_backwards(auto: tuple[str, ...],
                                                       player_home) -> None:
    transcript = campaign_transcript(*auto)
    clock = Clock()
    for label in labels(transcript):
        clock.read(label)
    assert clock.day >= CALL_DAY + 7 * 30, "the campaign reaches the callback months later"


@pytest.mark.parametrize("story_id", STORY_IDS)
def test_each_storys_time_labels_never_run_backwards_when_played_alone(story_id: str) -> None:
    """Forty seeded runs of each story on its own, labels read straight from the engine."""
    story = compiled(story_id)
    rng = random.Random(11)
    for _ in range(40):
        clock = Clock()
        for state in seeded_run(story, rng):
            scene = story.model.scenes[state.scene]
            if scene.time:
                clock.read(scene.time)
            if scene.ending is not None and scene.ending.time_skip:
                clock.read(scene.ending.time_skip)


def test_the_campaign_has_one_callback(player_home) -> None:
    """Played well, Lumen rings about a new role once: in the callback story, not before."""
    transcript = campaign_transcript("best")
    stories = re.split(r"^(THE [A-Z -]+)$", transcript, flags=re.M)
    titles = stories[1::2]
    assert titles == ["THE REJECTION CALL", "THE CHECK-IN", "THE CALLBACK"]
    about_a_new_role = [t for t, text in zip(titles, stories[2::2], strict=True)
                        if "new team for the clinic partnership" in text]
    assert about_a_new_role == ["THE CALLBACK"]


def test_the_clock_catches_a_label_that_runs_backwards() -> None:
    clock = Clock()
    for label in ["Monday, 5:40 pm", "Eight days later, Tuesday 4:12 pm", "Tuesday, 9:05 pm",
                  "Three months later..."]:
        clock.read(label)
    with pytest.raises(AssertionError, match="comes before"):
        clock.read("A week after the call")
    same_day = Clock()
    same_day.read("Tuesday, 9:05 pm")
    with pytest.raises(AssertionError, match="comes before"):
        same_day.read("That afternoon")
