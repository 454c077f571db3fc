"""Packed tables: one free meter's table held in one integer, a fixed-width lane per value.

Shifting a table by a move's delta is a shift of the integer, and the element-wise
max or min of two tables is a handful of whole-integer operations (SWAR: "SIMD
within a register") instead of a Python loop over up to 1,001 values. The tables
themselves are built in :mod:`game.analysis.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Table = int
"""One free meter's final value (highest or lowest) for each value it has now, packed
into lanes (:class:`Lanes`); lane ``x`` is for the meter's ``min + x``."""


@dataclass(frozen=True)
class Lanes:
    """How one free meter's tables are packed: lane ``x`` holds the value for ``x``.

    Values run 0..span, so a lane has the bits for ``span`` plus one guard bit, kept
    clear, which lets a subtraction compare every lane at once without borrowing
    from its neighbour.
    """

    span: int
    width: int = field(init=False)
    mask: int = field(init=False)  # one lane's bits
    full: int = field(init=False)  # every lane's bits
    guards: int = field(init=False)  # every lane's guard bit
    identity: Table = field(init=False)  # lane x holds x
    _fills: dict[int, int] = field(default_factory=dict, init=False, compare=False)

    def __post_init__(self) -> None:
        width = self.span.bit_length() + 1
        mask = (1 << width) - 1
        ones = self._ones_of(self.span + 1, width)
        for name, value in (("width", width), ("mask", mask), ("full", ones * mask),
                            ("guards", ones << (width - 1)),
                            ("identity", sum(x << (x * width) for x in range(self.span + 1)))):
            object.__setattr__(self, name, value)

    @staticmethod
    def _ones_of(count: int, width: int) -> int:
        return ((1 << (count * width)) - 1) // ((1 << width) - 1)

    def ones(self, count: int) -> int:
        """A 1 in each of the lowest ``count`` lanes (kept once computed)."""
        found = self._fills.get(count)
        if found is None:
            found = self._fills[count] = self._ones_of(count, self.width)
        return found

    def at(self, table: Table, x: int) -> int:
        """The value in lane ``x``."""
        return (table >> (x * self.width)) & self.mask

    def unpack(self, table: Table) -> tuple[int, ...]:
        """Every lane's value, in order (for tests and debugging)."""
        return tuple(self.at(table, x) for x in range(self.span + 1))

    def shifted(self, table: Table, delta: int) -> Table:
        """new[x] = table[clamp(x + delta)]: the lanes move, and the end lane repeats."""
        if delta == 0:
            return table
        width, span = self.width, self.span
        if delta > 0:
            moved = min(delta, span + 1)
            top = (table >> (span * width)) & self.mask
            return (table >> (moved * width)) | (top * self.ones(moved)) << (
                (span + 1 - moved) * width)
        moved = min(-delta, span + 1)
        return ((table << (moved * width)) & self.full) | (table & self.mask) * self.ones(moved)

    def higher(self, a: Table, b: Table) -> Table:
        """Lane-wise max: a lane's guard bit survives (a | guards) - b where a >= b."""
        chosen = ((((a | self.guards) - b) & self.guards) >> (self.width - 1)) * self.mask
        return (a & chosen) | (b & ~chosen & self.full)

    def lower(self, a: Table, b: Table) -> Table:
        """Lane-wise min."""
        chosen = ((((a | self.guards) - b) & self.guards) >> (self.width - 1)) * self.mask
        return (b & chosen) | (a & ~chosen & self.full)
