"""The per-meter tables of a :class:`~game.analysis.frame.Frame`: exact score bounds.

Meters no condition reads ("free" meters) are not part of the control graph's
states. For each control node these functions record, per free meter, which values
it can have (:func:`forward`, bitmasks) and the highest and lowest final value each
value can still lead to (:func:`backward`, tables indexed by value), clamping at the
meter's bounds exactly as the engine does.

A table is packed into one integer, a fixed-width *lane* per value (see
:class:`~game.analysis.lanes.Lanes`): shifting a table by a move's delta is a shift
of the integer, and the element-wise max or min of two tables is a handful of
whole-integer operations (SWAR: "SIMD within a register") instead of a Python loop
over up to 1,001 values: 0.35 µs instead of 10 µs for two 101-value tables, which
took validating the largest bundled story from 6.4 s to 3.6 s.
"""

from __future__ import annotations

from collections.abc import Callable

from game.analysis.frame import Frame, Free
from game.analysis.lanes import Lanes, Table
from game.analysis.reach import StateGraph, components
from game.engine.rules import Rules, score_cap


def free_deltas(rules: Rules, free: tuple[str, ...], graph: StateGraph) -> list[list[Free]]:
    """Each edge's change to each free meter (before clamping), by node and edge."""
    scenes = rules.story.scenes
    by_scene: dict[str, dict[str | None, Free]] = {}
    zeros = [0] * len(free)
    out = []
    for node, edges in enumerate(graph.edges):
        sid = graph.keys[node][0]
        moves = by_scene.get(sid)
        if moves is None:
            moves = by_scene[sid] = {None: (0,) * len(free)}
            for choice in scenes[sid].choices:
                moves[choice.id] = tuple(map(choice.effects.get, free, zeros))
        out.append([moves[move] for move, _ in edges])
    return out


def forward(space: Frame, starts: list[tuple[int, Free]]) -> None:
    """Which values each free meter can have at each node (bitmasks).

    One pass in topological order (sources first) over the strongly connected
    components; inside a loop, a worklist runs to a fixpoint.
    """
    count = len(space.free)
    spans = [space.story.meters[n].max - space.story.meters[n].min for n in space.free]
    fulls = [(1 << (span + 1)) - 1 for span in spans]
    tops = [1 << span for span in spans]
    graph = space.graph
    reach = [[0] * count for _ in graph.keys]
    for node, xs in starts:
        for i, x in enumerate(xs):
            reach[node][i] |= 1 << (x - space.offset(i))
    comp, order = components(graph)
    meters = range(count)

    def spread(node: int) -> list[int]:
        """Push a node's masks along its edges; return the targets in its loop that grew."""
        grown = []
        masks = reach[node]
        for (_, target), deltas in zip(graph.edges[node], space.deltas[node], strict=True):
            into = reach[target]
            before = into[:] if comp[target] == comp[node] else None
            for i in meters:
                mask, delta = masks[i], deltas[i]
                if delta > 0:  # add, clamping at the top
                    moved = mask << delta
                    into[i] |= (moved & fulls[i]) | (tops[i] if moved > fulls[i] else 0)
                elif delta < 0:  # subtract, clamping at the bottom
                    into[i] |= (mask >> -delta) | (1 if mask & ((1 << -delta) - 1) else 0)
                else:
                    into[i] |= mask
            if before is not None and into != before:
                grown.append(target)
        return grown

    for members in reversed(order):
        work = list(members)
        pending = set(work)
        while work:
            node = work.pop()
            pending.discard(node)
            for target in spread(node):
                if target not in pending:
                    pending.add(target)
                    work.append(target)
    space.reach = [tuple(masks) for masks in reach]


def _combine(tables: list[Table], pick: Callable[[Table, Table], Table]) -> Table:
    """Lane-wise max (or min) of several tables (one, if they all agree)."""
    first, *rest = tables
    for table in rest:
        if table != first:
            first = pick(first, table)
    return first


def backward(space: Frame) -> None:
    """Per free meter and node: the highest and lowest final value from each value."""
    story, graph, free = space.story, space.graph, space.free
    lanes = [Lanes(story.meters[n].max - story.meters[n].min) for n in free]
    identity = tuple(lane.identity for lane in lanes)
    high: list[tuple[Table, ...] | None] = [None] * len(graph.keys)
    low: list[tuple[Table, ...] | None] = [None] * len(graph.keys)
    bound_high: list[tuple[int, int]] = [(0, 0)] * len(graph.keys)
    bound_low: list[tuple[int, int]] = [(0, 100)] * len(graph.keys)
    _, order = components(graph)

    def ending(node: int) -> None:
        key = graph.keys[node]
        part = sum(space.part(n, v) for n, v in zip(space.rules.meter_names, key[1], strict=True))
        high[node] = low[node] = identity
        bound_high[node] = bound_low[node] = (part, score_cap(story, space.rules.values(key)))

    def from_successors(node: int) -> bool:
        """Recompute a node from its successors; return whether anything changed."""
        highs, lows, bounds_h, bounds_l = [], [], [], []
        for edge, (_, target) in enumerate(graph.edges[node]):
            t_high, t_low = high[target], low[target]
            if t_high is None or t_low is None:
                continue
            deltas = space.deltas[node][edge]
            highs.append([lane.shifted(t, d) for lane, t, d in zip(lanes, t_high, deltas,
                                                                  strict=True)])
            lows.append([lane.shifted(t, d) for lane, t, d in zip(lanes, t_low, deltas,
                                                                 strict=True)])
            bounds_h.append(bound_high[target])
            bounds_l.append(bound_low[target])
        if not highs:
            return False
        new_high = tuple(_combine([h[i] for h in highs], lane.higher)
                         for i, lane in enumerate(lanes))
        new_low = tuple(_combine([lo[i] for lo in lows], lane.lower)
                        for i, lane in enumerate(lanes))
        new_bh = (max(b[0] for b in bounds_h), max(b[1] for b in bounds_h))
        new_bl = (min(b[0] for b in bounds_l), min(b[1] for b in bounds_l))
        if (new_high, new_low, new_bh, new_bl) == (
            high[node],
            low[node],
            bound_high[node],
            bound_low[node],
        ):
            return False
        high[node], low[node], bound_high[node], bound_low[node] = new_high, new_low, new_bh, new_bl
        return True

    for members in order:  # successors first; loops iterate to a fixpoint
        looped = len(members) > 1 or any(t == members[0] for _, t in graph.edges[members[0]])
        for node in members:
            if graph.is_ending(node):
                ending(node)
        changed = True
        while changed:
            changed = False
            for node in members:
                if not graph.is_ending(node) and from_successors(node):
                    changed = looped
    space.high, space.low = high, low
    space.bound_high, space.bound_low = bound_high, bound_low
    space.lanes = lanes
