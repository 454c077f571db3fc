"""The class report's figures, as values (built by :mod:`game.classroom.report`).

Every figure a reader sees is here, worked out once; the page
(:mod:`game.classroom.report_page`) only lays them out.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field

from game.classroom.workshop import PathStep
from game.engine.compiled import CompiledStory
from game.story.model import Outcome


@dataclass(frozen=True)
class StoryAtHand:
    """A story file found for the report: its SHA-256 and the story compiled."""

    sha256: str
    story: CompiledStory


@dataclass(frozen=True)
class Option:
    """One answer at a decision, and the runs that took it."""

    choice: str
    text: str
    count: int
    reached: int
    """Runs that reached the decision (the share's denominator)."""
    leads_to: str = ""
    """Where the answer goes, as the story file says (empty without the file)."""
    cost: float | None = None
    """Points of the best score still reachable that taking it lost, on average."""
    hands: int | None = None
    """Hands raised for it in the workshop runs (None: no workshop voted here)."""

    @property
    def share(self) -> float:
        """The share of the runs that reached the decision that took it, 0..1."""
        return self.count / self.reached if self.reached else 0.0

    @property
    def percent(self) -> int:
        """The share as a whole percentage (rounded half up, as a person would)."""
        return percent(self.count, self.reached)


@dataclass(frozen=True)
class Decision:
    """One decision point: how many runs reached it and what each answer drew."""

    scene: str
    title: str
    reached: int
    options: tuple[Option, ...]
    prompt: str = ""
    """The scene's ``discuss`` prompt (when the story file is at hand and has one)."""


@dataclass(frozen=True)
class PathPoint:
    """A decision on the class's most common path, and how many runs were on it there."""

    scene: str
    title: str
    choice: str
    text: str
    runs: int
    """Runs that took this answer here, having followed the path so far."""
    of: int
    """Runs that had followed the path so far and made this decision."""


@dataclass(frozen=True)
class MeterStat:
    """A meter's values at the end of the runs."""

    name: str
    label: str
    mean: float
    low: int
    high: int
    scale: tuple[int, int]


@dataclass(frozen=True)
class VoteRow:
    """One decision of a workshop run: the hands for each answer, and the one played."""

    title: str
    hands: tuple[tuple[str, int, bool], ...]
    """(the answer's words, its hands, whether it was played)."""

    @property
    def total(self) -> int:
        """Hands counted at this decision."""
        return sum(n for _, n, _ in self.hands)


@dataclass(frozen=True)
class WorkshopRun:
    """A class's projected run, with the hands counted at each decision."""

    finished: str
    class_code: str
    door: str
    score: int
    votes: tuple[VoteRow, ...]


LESSON: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Keeps the door open", ("thank", "keep-door-open", "ask-keep-in-touch", "ask-feedback",
                             "accept", "calibrated")),
    ("Closes it", ("argue", "hang-up", "demand-reasons", "disparage", "silence")),
    ("Overdoes it", ("too-keen", "chase")),
)
"""The lesson's three kinds of move, by the rubric's choice tags (docs/rubric.md): what
keeps the door open, what closes it, and what overdoes it. A story's other tags are
shown as "Other moves"."""
OTHER_MOVES = "Other moves"


@dataclass(frozen=True)
class Move:
    """A kind of answer (a choice tag) and how many runs made it at least once."""

    tag: str
    meaning: str
    """What the tag means (the story's or rubric's words; the tag itself without the file)."""
    group: str
    """Which of the lesson's kinds it is (:data:`LESSON`), or :data:`OTHER_MOVES`."""
    runs: int
    of: int


@dataclass(frozen=True)
class Section:
    """The runs of one story played on one version of its file."""

    story: str
    title: str
    version: str
    sha256: str
    runs: int
    current: bool
    """Whether the story file at hand is the one these runs were played on."""
    first: str
    last: str
    classes: tuple[str, ...]
    modes: Mapping[str, int]
    doors: Mapping[Outcome, int]
    """Runs per door outcome, every outcome present, worst first."""
    scores: tuple[int, ...]
    best_possible: int | None
    meters: tuple[MeterStat, ...]
    decisions: tuple[Decision, ...]
    common: tuple[PathPoint, ...]
    common_end: tuple[str, str, int] | None
    """Where the common path ended: the ending's title, its door, and the runs there."""
    best: tuple[PathStep, ...]
    """The best path, when the story file at hand is this version (else empty)."""
    best_score: int | None
    parted: int | None
    """The index where the common path leaves the best path (None: never, or no best)."""
    workshops: tuple[WorkshopRun, ...]
    moves: tuple[Move, ...] = ()
    """Each kind of answer taken, in the lesson's order (:data:`LESSON`)."""
    runs_with: Mapping[str, int] = field(default_factory=dict)
    """Runs that made at least one move of each of the lesson's kinds, by its heading."""
    questions: tuple[str, ...] = ()

    @property
    def mean_score(self) -> float:
        """The average score."""
        return sum(self.scores) / len(self.scores)

    @property
    def median_score(self) -> float:
        """The middle score (the mean of the middle two for an even count)."""
        return float(statistics.median(self.scores))

    def histogram(self, bins: int = 10) -> list[int]:
        """Scores counted in ``bins`` equal bins over 0-100 (100 is in the last)."""
        counts = [0] * bins
        for score in self.scores:
            counts[min(bins - 1, max(0, score) * bins // 100)] += 1
        return counts

    @property
    def label(self) -> str:
        """The version as a reader sees it: the story's version and the file's short hash."""
        parts = [f"version {self.version}" if self.version else "",
                 f"file {self.sha256[:8]}" if self.sha256 else ""]
        return ", ".join(p for p in parts if p) or "unknown version"


@dataclass(frozen=True)
class NameRow:
    """One run in the facilitator's table (only when names are asked for)."""

    name: str
    class_code: str
    story: str
    finished: str
    door: str
    score: int


@dataclass(frozen=True)
class Report:
    """Everything the class report shows."""

    sections: tuple[Section, ...]
    runs: int
    names: tuple[NameRow, ...] | None = None
    notes: tuple[str, ...] = ()
    """What the reader should know first (a story file not found, a file that changed)."""


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, rounded half up (0 for no whole)."""
    return (200 * part + whole) // (2 * whole) if whole else 0
