"""What every exact-score method shares: a story's control graph and its free meters.

:class:`Frame` holds the control graph (:mod:`game.analysis.reach`) with, for each
free meter (one no condition reads), its change along every edge, its reachable
values at every node (filled by :func:`game.analysis.tables.forward`) and its score
tables (filled by :func:`game.analysis.tables.backward`). The three ways of
answering a score question build on it: :mod:`game.analysis.additive`,
:mod:`game.analysis.full` and the search in :mod:`game.analysis.space`, whose
:class:`~game.analysis.space.Space` is a frame plus those answers.

This module imports nothing from its siblings but the graph and the packed tables,
so the methods that read a frame never import the space that holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from game.analysis.lanes import Lanes, Table
from game.analysis.reach import StateGraph
from game.engine.rules import Rules, Scale
from game.story.model import Story

Free = tuple[int, ...]
"""The values of the free meters, in the frame's order."""


class Result(NamedTuple):
    """The outcome of an exact search: the score and a run (choice ids) achieving it.

    (A named tuple: the analysis makes two for every choice of a story.)
    """

    score: int | None
    path: tuple[str, ...]
    exact: bool = True
    expanded: int = 0


@dataclass
class Frame:
    """A story's control graph plus what is known of its free meters."""

    story: Story
    rules: Rules
    graph: StateGraph
    free: tuple[str, ...]
    exact: bool
    scale: Scale
    deltas: list[list[Free]] = field(default_factory=list)
    reach: list[tuple[int, ...]] = field(default_factory=list)
    high: list[tuple[Table, ...] | None] = field(default_factory=list)
    low: list[tuple[Table, ...] | None] = field(default_factory=list)
    bound_high: list[tuple[int, int]] = field(default_factory=list)
    bound_low: list[tuple[int, int]] = field(default_factory=list)
    lanes: list[Lanes] = field(default_factory=list)  # how each free meter's tables pack
    starts: list[tuple[int, Free]] = field(default_factory=list)
    mins: tuple[int, ...] = field(init=False)
    maxs: tuple[int, ...] = field(init=False)
    shares: tuple[int, ...] = field(init=False)
    _parts: dict[int, tuple[int, int]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        meters = [self.story.meters[n] for n in self.free]
        self.mins = tuple(m.min for m in meters)
        self.maxs = tuple(m.max for m in meters)
        self.shares = tuple(
            self.scale.part(n, m.min + 1) for n, m in zip(self.free, meters, strict=True)
        )

    def part(self, name: str, value: int) -> int:
        """A meter's exact share of the weighted total, in whole units."""
        return self.scale.part(name, value)

    def cap(self, node: int) -> int:
        """The score cap that the flags at a node impose."""
        return self.rules.cap(self.graph.keys[node][2])

    def ending_parts(self, node: int) -> tuple[int, int]:
        """The control meters' share and the score cap at a node (kept once found)."""
        parts = self._parts.get(node)
        if parts is None:
            parts = self._parts[node] = (self.control_part(node), self.cap(node))
        return parts

    def control_part(self, node: int) -> int:
        """The control meters' share of the total at a node, in units."""
        return self.rules.total(self.graph.keys[node][1])

    def offset(self, i: int) -> int:
        """The lowest value of free meter ``i``."""
        return self.story.meters[self.free[i]].min
