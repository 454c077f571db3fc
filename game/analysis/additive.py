"""The fast exact path for stories whose scored meters never hit their bounds.

When no effect on a scored free meter can ever be clamped (checked exactly on the
reachable values from :mod:`game.analysis.space`), a run's final score is its start
plus the sum of its edges' gains, plus the control meters' share at the ending,
capped by flags. Best and worst scores are then longest and shortest paths: one
forward pass (best and worst total from the start to each node) and one backward
pass (best and worst tail from each node to an ending, per score cap), both linear
in the size of the control graph. Any question (a state's best reachable score, a
choice's best and worst run, an ending's score range) is answered from them in
constant time per node or edge, with no search.

Stories where some scored meter can clamp use the best-first search instead.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from game.analysis.frame import Frame, Free, Result
from game.analysis.reach import components, loops, moves_back
from game.story.model import Outcome

Tail = dict[int, int]  # score cap -> total in units


@dataclass
class Additive:
    """Forward totals and backward tails over a space's control graph."""

    space: Frame
    gains: list[list[int]]
    acc_hi: list[int | None] = field(default_factory=list)
    acc_lo: list[int | None] = field(default_factory=list)
    pred_hi: list[tuple[int, int] | None] = field(default_factory=list)
    pred_lo: list[tuple[int, int] | None] = field(default_factory=list)
    tail_hi: list[Tail] = field(default_factory=list)
    tail_lo: list[Tail] = field(default_factory=list)

    # -- building -------------------------------------------------------------------
    @classmethod
    def try_build(cls, space: Frame) -> Additive | None:
        """Return the additive view, or None when some scored meter can clamp."""
        scored = [i for i, share in enumerate(space.shares) if share]
        graph = space.graph
        for node, row in enumerate(space.deltas):
            if not row:
                continue
            masks = space.reach[node]
            columns = list(zip(*row, strict=True))  # each meter's deltas over the node's moves
            for i in scored:
                mask = masks[i]
                if not mask:
                    continue
                least = (mask & -mask).bit_length() - 1 + space.mins[i]
                most = mask.bit_length() - 1 + space.mins[i]
                # a move's delta d clamps unless least + d >= min and most + d <= max
                if (least + min(columns[i]) < space.mins[i]
                        or most + max(columns[i]) > space.maxs[i]):
                    return None
        shares = space.shares
        gains = [[sum(map(operator.mul, shares, d)) for d in row] for row in space.deltas]
        comp, order = components(graph)
        for members in loops(graph):
            for node in members:
                for (_, target), gain in zip(graph.edges[node], gains[node], strict=True):
                    if comp[target] == comp[node] and gain:
                        return None  # a loop that changes the score: leave it to the search
        view = cls(space, gains)
        view._forward(comp, order, scored)
        view._backward(comp, order)
        return view

    def _forward(self, comp: list[int], order: list[list[int]], scored: list[int]) -> None:
        space, graph = self.space, self.space.graph
        count = len(graph.keys)
        self.acc_hi, self.acc_lo = [None] * count, [None] * count
        self.pred_hi, self.pred_lo = [None] * count, [None] * count
        for node, xs in space.starts:
            total = sum(space.shares[i] * (xs[i] - space.mins[i]) for i in scored)
            self._offer(node, total, None, None)
        for members in reversed(order):  # sources first
            self._spread(members, comp)
            for member in members:
                high, low = self.acc_hi[member], self.acc_lo[member]
                if high is None or low is None:
                    continue
                for edge, (_, target) in enumerate(graph.edges[member]):
                    if comp[target] != comp[member]:
                        gain = self.gains[member][edge]
                        self._offer(target, high + gain, low + gain, (member, edge))

    def _offer(self, node: int, high: int, low: int | None, pred: tuple[int, int] | None) -> None:
        if self.acc_hi[node] is None or high > self.acc_hi[node]:  # type: ignore[operator]
            self.acc_hi[node], self.pred_hi[node] = high, pred
        low = high if low is None else low
        if self.acc_lo[node] is None or low < self.acc_lo[node]:  # type: ignore[operator]
            self.acc_lo[node], self.pred_lo[node] = low, pred

    def _spread(self, members: list[int], comp: list[int]) -> None:
        """Inside a loop every gain is zero: share the best and worst total by BFS."""
        if len(members) == 1:
            return
        graph = self.space.graph
        for acc, pred, pick in ((self.acc_hi, self.pred_hi, max), (self.acc_lo, self.pred_lo, min)):
            known = [m for m in members if acc[m] is not None]
            if not known:
                continue
            source = pick(known, key=lambda m: acc[m])  # type: ignore[arg-type,return-value]
            queue = deque([source])
            seen = {source}
            while queue:
                node = queue.popleft()
                for edge, (_, target) in enumerate(graph.edges[node]):
                    if comp[target] == comp[node] and target not in seen:
                        seen.add(target)
                        acc[target], pred[target] = acc[source], (node, edge)
                        queue.append(target)

    def _backward(self, comp: list[int], order: list[list[int]]) -> None:
        space, graph = self.space, self.space.graph
        count = len(graph.keys)
        tail_hi: list[Tail] = [{} for _ in range(count)]
        tail_lo: list[Tail] = [{} for _ in range(count)]
        self.tail_hi, self.tail_lo = tail_hi, tail_lo
        ending = [graph.is_ending(node) for node in range(count)]
        edges_of, gains_of = graph.edges, self.gains
        for members in order:  # successors first
            high: Tail = {}
            low: Tail = {}
            for node in members:
                if ending[node]:
                    part, cap = space.ending_parts(node)
                    high[cap] = max(high.get(cap, part), part)
                    low[cap] = min(low.get(cap, part), part)
                here = comp[node]
                for (_, target), gain in zip(edges_of[node], gains_of[node], strict=True):
                    if comp[target] == here:
                        continue
                    for cap, value in tail_hi[target].items():
                        value += gain
                        old = high.get(cap)
                        if old is None or value > old:
                            high[cap] = value
                    for cap, value in tail_lo[target].items():
                        value += gain
                        old = low.get(cap)
                        if old is None or value < old:
                            low[cap] = value
            for node in members:
                tail_hi[node], tail_lo[node] = high, low

    # -- questions ----------------------------------------------------------------------
    def best_from(self, node: int, acc: int) -> int | None:
        """Best final score from ``node`` with the free meters' total ``acc``."""
        score = self.space.scale.score
        return max((score(acc + v, cap) for cap, v in self.tail_hi[node].items()), default=None)

    def worst_from(self, node: int, acc: int) -> int | None:
        """Worst final score from ``node`` with the free meters' total ``acc``."""
        score = self.space.scale.score
        return min((score(acc + v, cap) for cap, v in self.tail_lo[node].items()), default=None)

    def total(self, xs: Free) -> int:
        """The scored free meters' total, in units, for free-meter values ``xs``."""
        space = self.space
        return sum(share * (x - low) for share, x, low in zip(space.shares, xs, space.mins,
                                                               strict=True))

    def _prefix(self, node: int, best: bool) -> list[str]:
        pred = self.pred_hi if best else self.pred_lo
        moves: list[str] = []
        seen = set()
        while (link := pred[node]) is not None and node not in seen:
            seen.add(node)
            source, edge = link
            move = self.space.graph.edges[source][edge][0]
            if move is not None:
                moves.append(move)
            node = source
        return moves[::-1]

    def _suffix(self, node: int, acc: int, target: int, best: bool) -> list[str]:
        """Choice ids of a run from ``node`` that ends with exactly ``target``."""
        graph, space = self.space.graph, self.space
        ahead = self.best_from if best else self.worst_from
        parent: dict[int, tuple[int, str | None] | None] = {node: None}
        queue = deque([(node, acc)])
        while queue:
            current, total = queue.popleft()
            if graph.is_ending(current):
                part, cap = space.ending_parts(current)
                if space.scale.score(total + part, cap) == target:
                    return moves_back(parent, current)
                continue
            for edge, (move, nxt) in enumerate(graph.edges[current]):
                step = total + self.gains[current][edge]
                if nxt not in parent and ahead(nxt, step) == target:
                    parent[nxt] = (current, move)
                    queue.append((nxt, step))
        return []

    def extreme(self, *, best: bool) -> Result:
        """Best (or worst) score of any run from a start, with such a run."""

        found: tuple[int, int, int] | None = None
        for node, xs in self.space.starts:
            acc = self.total(xs)
            value = (self.best_from if best else self.worst_from)(node, acc)
            if value is None:
                continue
            if found is None or (value > found[0] if best else value < found[0]):
                found = (value, node, acc)
        if found is None:
            return Result(None, ())
        value, node, acc = found
        return Result(value, tuple(self._suffix(node, acc, value, best)))

    def ending_range(self, scene: str, door: Outcome | None = None) -> tuple[Result, Result]:
        """Lowest and highest score of runs that end at ``scene`` (with ``door``), with runs."""

        space = self.space
        low: tuple[int, int] | None = None
        high: tuple[int, int] | None = None
        for node, key in enumerate(space.graph.keys):
            if key[0] != scene or self.acc_hi[node] is None or (
                    door is not None and space.rules.outcome(key) is not door):
                continue
            part, cap = space.ending_parts(node)
            top = space.scale.score(self.acc_hi[node] + part, cap)  # type: ignore[operator]
            bottom = space.scale.score(self.acc_lo[node] + part, cap)  # type: ignore[operator]
            if high is None or top > high[0]:
                high = (top, node)
            if low is None or bottom < low[0]:
                low = (bottom, node)
        if low is None or high is None:
            return Result(None, ()), Result(None, ())
        return (Result(low[0], tuple(self._prefix(low[1], best=False))),
                Result(high[0], tuple(self._prefix(high[1], best=True))))

    def choice_extremes(self) -> dict[tuple[str, str], tuple[int | None, int | None]]:
        """For every choice taken anywhere, (scene, id): the best and worst final score
        of runs that take it. One pass over the edges (this is edge_extremes for all)."""
        graph, score = self.space.graph, self.space.scale.score
        tail_hi, tail_lo = self.tail_hi, self.tail_lo
        found: dict[tuple[str, str], tuple[int | None, int | None]] = {}
        for node, edges in enumerate(graph.edges):
            high, low = self.acc_hi[node], self.acc_lo[node]
            scene = graph.keys[node][0]
            for (move, target), gain in zip(edges, self.gains[node], strict=True):
                if move is None:
                    continue
                slot = (scene, move)
                best, worst = found.get(slot, (None, None))
                if high is not None and tail_hi[target]:
                    top = max([score(high + gain + v, cap) for cap, v in tail_hi[target].items()])
                    best = top if best is None or top > best else best
                if low is not None and tail_lo[target]:
                    bottom = min([score(low + gain + v, cap)
                                  for cap, v in tail_lo[target].items()])
                    worst = bottom if worst is None or bottom < worst else worst
                found[slot] = (best, worst)
        return found

    def edge_extremes(self, node: int, edge: int) -> tuple[int | None, int | None]:
        """Best and worst final score of runs that take this edge."""
        target = self.space.graph.edges[node][edge][1]
        high, low = self.acc_hi[node], self.acc_lo[node]
        if high is None or low is None:
            return None, None
        gain = self.gains[node][edge]
        return self.best_from(target, high + gain), self.worst_from(target, low + gain)

    def runs_taking(self, test: Callable[[str, str], bool], *, best: bool) -> Result:
        """Best (or worst) run that takes a choice for which ``test(scene, id)``."""

        graph = self.space.graph
        acc_of = self.acc_hi if best else self.acc_lo
        ahead = self.best_from if best else self.worst_from
        found: tuple[int, int, int] | None = None
        for node, edges in enumerate(graph.edges):
            acc = acc_of[node]
            if acc is None:
                continue
            scene = graph.keys[node][0]
            for edge, (move, target) in enumerate(edges):
                if move is None or not test(scene, move):
                    continue
                value = ahead(target, acc + self.gains[node][edge])
                if value is not None and (found is None or (value > found[0] if best
                                                            else value < found[0])):
                    found = (value, node, edge)
        if found is None:
            return Result(None, ())
        value, node, edge = found
        move, target = graph.edges[node][edge]
        acc = acc_of[node]
        assert acc is not None and move is not None
        tail = self._suffix(target, acc + self.gains[node][edge], value, best)
        return Result(value, (*self._prefix(node, best), move, *tail))
