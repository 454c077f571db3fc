"""Exact scores over the full states, for stories whose meters clamp but whose
reachable full states are few enough to list.

A *full* state is the scene with every meter and flag (the engine's own key). Where
some scored meter can hit its bounds, a run's score is no longer a sum of its moves
(the additive path in :mod:`game.analysis.additive` does not apply) and
:mod:`game.analysis.space` would search, with a budget. But a story's future depends
only on its full state, and its score only on the final one, so when the reachable
full states number at most ``FULL_LIMIT`` they are listed once (breadth-first, as
the control graph is) and every question is answered by dynamic programming: the
best and the worst final score from each full state, in one backward pass over the
strongly connected components (inside a loop every member reaches the same exits,
so they share their values). Each choice's best and worst run, each ending's range
and the extremes follow from those in one pass, exact, with runs to show for them.

A full state is kept as (control node, free meters' values): its moves are the
control graph's, each adding its deltas to the free meters, clamped; conditions and
routes were already followed when the control graph was built.

A 10,000-scene story whose meters clamp has about 50,000 full states.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from game.analysis.frame import Frame, Free, Result
from game.analysis.reach import StateGraph, components, explore, moves_back
from game.story.model import Outcome

State = tuple[int, Free]
"""A full state: a control node and the free meters' values."""

FULL_LIMIT = 200_000
"""Most full states listed; past it, the search in game.analysis.space answers."""


@dataclass
class FullView:
    """Every reachable full state, with the best and worst final score from each."""

    space: Frame
    graph: StateGraph  # keys: State
    starts: list[int]
    best: list[int | None] = field(default_factory=list)
    worst: list[int | None] = field(default_factory=list)
    finals: dict[int, int] = field(default_factory=dict)  # ending node -> its score
    _endings: dict[str, list[tuple[int, int]]] | None = None  # scene -> (score, node)

    # -- building -------------------------------------------------------------------
    @classmethod
    def try_build(cls, space: Frame, limit: int | None = None) -> FullView | None:
        """List the full states from the space's starts; None past ``limit``
        (default FULL_LIMIT)."""
        limit = FULL_LIMIT if limit is None else limit
        # Each control node stands for at least as many full states as any one free
        # meter has values there: when even that many are too many, do not list them.
        if sum(max((m.bit_count() for m in masks), default=1) for masks in space.reach) > limit:
            return None
        starts = list(space.starts)
        graph = _explore(space, starts, limit)
        if graph.truncated:
            return None
        view = cls(space, graph, [graph.index[s] for s in starts])
        view.best, view.worst, view.finals = _scores(graph, space)
        return view

    # -- questions ----------------------------------------------------------------------
    def best_from(self, state: State) -> int | None:
        """Best final score from a full state (listed or not)."""
        return self._values(state)[0]

    def worst_from(self, state: State) -> int | None:
        """Worst final score from a full state."""
        return self._values(state)[1]

    def _values(self, state: State) -> tuple[int | None, int | None]:
        node = self.graph.index.get(state)
        if node is not None:
            return self.best[node], self.worst[node]
        # A state the starts never lead to (a save from an older story, say): list
        # what follows it on its own.
        graph = _explore(self.space, [state], FULL_LIMIT)
        best, worst, _ = _scores(graph, self.space)
        return best[0], worst[0]

    def extreme(self, *, best: bool) -> Result:
        """Best (or worst) score of any run from a start, with such a run."""

        values = self.best if best else self.worst
        found = [(values[s], s) for s in self.starts if values[s] is not None]
        if not found:
            return Result(None, ())
        value, start = (max if best else min)(found)
        assert value is not None
        return Result(value, tuple(self._suffix(start, value, best)))

    def ending_range(self, scene: str, door: Outcome | None = None) -> tuple[Result, Result]:
        """Lowest and highest score of runs that end at ``scene`` (with ``door``), with runs."""

        if self._endings is None:
            self._endings = {}
            for node, score in self.finals.items():
                self._endings.setdefault(self.graph.key(node)[0], []).append((score, node))
        found = [(score, node) for score, node in self._endings.get(scene, [])
                 if door is None or self.graph.rules.outcome(self.graph.key(node)) is door]
        if not found:
            return Result(None, ()), Result(None, ())
        (low, at_low), (high, at_high) = min(found), max(found)
        return (Result(low, tuple(self.graph.path_to(at_low))),
                Result(high, tuple(self.graph.path_to(at_high))))

    def choice_extremes(self) -> dict[tuple[str, str], tuple[int | None, int | None]]:
        """For every choice taken anywhere, (scene, id): the best and worst final score
        of runs that take it."""
        found: dict[tuple[str, str], tuple[int | None, int | None]] = {}
        best, worst = self.best, self.worst
        for node, edges in enumerate(self.graph.edges):
            scene = self.graph.key(node)[0]
            for move, target in edges:
                if move is None:
                    continue
                high, low = found.get((scene, move), (None, None))
                top, bottom = best[target], worst[target]
                if top is not None and (high is None or top > high):
                    high = top
                if bottom is not None and (low is None or bottom < low):
                    low = bottom
                found[(scene, move)] = (high, low)
        return found

    def runs_taking(self, test: Callable[[str, str], bool], *, best: bool) -> Result:
        """Best (or worst) run that takes a choice for which ``test(scene, id)``."""

        values = self.best if best else self.worst
        found: tuple[int, int, str, int] | None = None
        for node, edges in enumerate(self.graph.edges):
            for move, target in edges:
                value = values[target]
                if move is None or value is None or not test(self.graph.key(node)[0], move):
                    continue
                if found is None or (value > found[0] if best else value < found[0]):
                    found = (value, node, move, target)
        if found is None:
            return Result(None, ())
        value, node, move, target = found
        tail = self._suffix(target, value, best)
        return Result(value, (*self.graph.path_to(node), move, *tail))

    def _suffix(self, start: int, value: int, best: bool) -> list[str]:
        """Choice ids of a run from ``start`` that ends with exactly ``value``."""
        graph, values = self.graph, self.best if best else self.worst
        parent: dict[int, tuple[int, str | None] | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if self.finals.get(node) == value:
                return moves_back(parent, node)
            for move, target in graph.edges[node]:
                if target not in parent and values[target] == value:
                    parent[target] = (node, move)
                    queue.append(target)
        return []


def _explore(space: Frame, starts: list[State], limit: int) -> StateGraph:
    """Every full state reachable from ``starts``, by the control graph's moves."""
    edges, deltas, mins, maxs = space.graph.edges, space.deltas, space.mins, space.maxs
    changes: dict[tuple[int, int], tuple[tuple[int, int], ...]] = {}

    def moves(state: State) -> list[tuple[str | None, State]]:
        node, xs = state
        found = []
        for edge, (move, target) in enumerate(edges[node]):
            change = changes.get((node, edge))
            if change is None:  # the free meters this move changes, and by how much
                change = changes[(node, edge)] = tuple(
                    (i, d) for i, d in enumerate(deltas[node][edge]) if d)
            if change:
                values = list(xs)
                for i, d in change:
                    value = values[i] + d
                    values[i] = mins[i] if value < mins[i] else maxs[i] if value > maxs[i] \
                        else value
                found.append((move, (target, tuple(values))))
            else:
                found.append((move, (target, xs)))
        return found

    control = space.graph
    return explore(control.rules, list(dict.fromkeys(starts)), limit, successors=moves,
                   base=lambda state: control.keys[state[0]])


def _final(space: Frame, state: State) -> int:
    """The score of a full state at an ending."""
    node, xs = state
    total, cap = space.ending_parts(node)
    for share, x, low in zip(space.shares, xs, space.mins, strict=True):
        total += share * (x - low)
    return space.scale.score(total, cap)


def _scores(graph: StateGraph, space: Frame
            ) -> tuple[list[int | None], list[int | None], dict[int, int]]:
    """Best and worst final score from every node (None where no ending is reachable),
    and the score of every ending node."""
    count = len(graph.keys)
    best: list[int | None] = [None] * count
    worst: list[int | None] = [None] * count
    finals: dict[int, int] = {}
    comp, order = components(graph)
    for members in order:  # successors first
        high: int | None = None
        low: int | None = None
        for node in members:
            if graph.is_ending(node):
                score = finals[node] = _final(space, graph.keys[node])
                high = score if high is None or score > high else high
                low = score if low is None or score < low else low
            for _, target in graph.edges[node]:
                if comp[target] == comp[node]:
                    continue  # inside the loop: its members share their values
                top, bottom = best[target], worst[target]
                if top is not None and (high is None or top > high):
                    high = top
                if bottom is not None and (low is None or bottom < low):
                    low = bottom
        for node in members:
            best[node], worst[node] = high, low
    return best, worst, finals
