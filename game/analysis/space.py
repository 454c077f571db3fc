"""Exact scores over every playthrough, fast even when paths multiply.

The future of a playthrough depends only on the scene, the flags and the meters
that conditions read: the *control* state. The other (*free*) meters only feed the
score. So the search runs in two layers:

1. The **control graph**: every reachable control state, found by
   :func:`game.analysis.reach.explore`. Reachability, dead ends, traps and the
   outcome assertions need nothing else, and it stays small.
2. **Scores**: a free meter changes by clamped additions, so for each free meter,
   each control node and each possible value ``x`` we tabulate the highest and
   lowest final value any path can still give it (a 1-D table, at most 101
   entries). Summed with the meters' weights these give an upper and a lower bound
   on the final score that are exact per meter and usually tight overall. A
   best-first (A*) search over full states, guided by those bounds, then finds the
   exact best or worst score, expanding only the states that could still beat it.

The per-meter tables (built in :mod:`game.analysis.tables`) also give each free
meter's exact reachable values (as bitmasks), which the analysis and the "always
clamped" check use.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from game.analysis.additive import Additive
from game.analysis.frame import Frame, Free, Result
from game.analysis.full import FullView
from game.analysis.reach import DEFAULT_LIMIT, StateGraph, ancestors, explore, moves_back
from game.analysis.tables import backward, forward, free_deltas
from game.engine.compiled import CompiledStory
from game.engine.rules import Rules, parse_condition, score_cap
from game.engine.state import PlayState
from game.gcpause import paused_gc
from game.story import expr
from game.story.model import Outcome, Story

SEARCH_BUDGET = 400_000
"""Most full states one exact search may expand before settling for a bound."""
CHOICE_BUDGET = 600_000
"""Most full states expanded in all, when every choice's best and worst run is searched."""

Goal = Callable[[int, bool], bool]


def condition_meters(story: Story) -> set[str]:
    """Return the meters any condition or route reads (``score`` reads every scored one)."""
    texts = [c.condition for s in story.scenes.values() for c in s.choices]
    texts += [r.condition for s in story.scenes.values() for r in s.route]
    found: set[str] = set()
    for text in texts:
        if text:
            found |= {str(n.value) for n in expr.names(parse_condition(text))}
    if expr.SCORE in found:
        found |= {name for name, meter in story.meters.items() if meter.weight > 0}
    return found & set(story.meters)


@dataclass
class Space(Frame):
    """A story's frame (control graph, per-meter tables) and exact score searches on it.

    Each question is answered by the first method that applies: the additive view,
    the full states, or the best-first search over the frame's bounds.
    """

    additive: Additive | None = None
    full: FullView | None = None
    _ending_ahead: set[int] | None = field(default=None, init=False, repr=False)
    _doors_ahead: list[int] | None = field(default=None, init=False, repr=False)

    # -- questions ------------------------------------------------------------------
    def can_end(self, node: int) -> bool:
        """Whether any ending can be reached from a control node."""
        if self.additive is not None:
            return bool(self.additive.tail_hi[node])
        if self.full is not None:  # (free meters never change where a run can go)
            if self._ending_ahead is None:
                ends = {n for n in range(len(self.graph.keys)) if self.graph.is_ending(n)}
                self._ending_ahead = self.ancestors(ends)
            return node in self._ending_ahead
        return self.high[node] is not None

    def best_from_state(self, node: int, xs: Free) -> int | None:
        """Best final score from a full state (control node plus free meter values)."""
        if self.additive is not None:
            return self.additive.best_from(node, self.additive.total(xs))
        if self.full is not None:
            return self.full.best_from((node, xs))
        return self.search([(node, xs)], best=True).score

    def worst_from_state(self, node: int, xs: Free) -> int | None:
        """Worst final score from a full state."""
        if self.additive is not None:
            return self.additive.worst_from(node, self.additive.total(xs))
        if self.full is not None:
            return self.full.worst_from((node, xs))
        return self.search([(node, xs)], best=False).score

    def extreme(self, *, best: bool) -> Result:
        """The best (or worst) score of any run from the start."""
        if self.additive is not None:
            return self.additive.extreme(best=best)
        if self.full is not None:
            return self.full.extreme(best=best)
        return self.search(self.starts, best=best)

    def choice_extremes(
        self, budget: int = CHOICE_BUDGET
    ) -> dict[tuple[str, str], tuple[Result, Result]]:
        """For every choice taken anywhere: the best and the worst run that takes it.

        Exact and linear on the additive path. With the search, ``budget`` bounds
        the states expanded over all choices; past it, results are bounds marked
        inexact (a huge story with clamping meters still answers in seconds).
        """
        view = self.additive or self.full
        if view is not None:
            return {slot: (Result(high, ()), Result(low, ()))
                    for slot, (high, low) in view.choice_extremes().items()}
        by_choice: dict[tuple[str, str], set[tuple[int, int]]] = {}
        for node, edges in enumerate(self.graph.edges):
            for edge, (move, _) in enumerate(edges):
                if move is not None:
                    by_choice.setdefault((self.graph.keys[node][0], move), set()).add((node, edge))
        taken = sorted(by_choice)
        found: dict[tuple[str, str], tuple[Result, Result]] = {}
        left = budget
        for slot in taken:
            pair = []
            for maximise in (True, False):
                result = self._runs_through(by_choice[slot], best=maximise, budget=max(0, left))
                left -= result.expanded
                pair.append(result)
            found[slot] = (pair[0], pair[1])
        return found

    def ending_range(self, scene: str, door: Outcome | None = None) -> tuple[Result, Result]:
        """Lowest and highest score of runs that end at this ending (with this door)."""
        if self.additive is not None:
            return self.additive.ending_range(scene, door)
        if self.full is not None:
            return self.full.ending_range(scene, door)

        targets = {n for n, key in enumerate(self.graph.keys) if key[0] == scene
                   and (door is None or self.rules.outcome(key) is door)}
        leads_there = self.ancestors(targets)

        def goal(node: int, _: bool) -> bool:
            return node in targets

        def viable(node: int, _: bool) -> bool:
            return node in leads_there

        return (
            self.search(self.starts, best=False, goal=goal, viable=viable),
            self.search(self.starts, best=True, goal=goal, viable=viable),
        )

    def doors_from(self, node: int) -> tuple[Outcome, Outcome] | None:
        """The best and the worst door a run from a control node can still end with.

        Doors follow the control state only (the ending, lowered by flag floors), so
        one pass over the graph's loops, last first, answers it for every node; it is
        made the first time it is asked for. None: no ending is reachable from there.
        """
        if self._doors_ahead is None:
            graph = self.graph
            comp, order = graph.components()
            masks = [0] * len(graph.keys)
            for members in order:  # successors first; a loop's members reach each other
                mask = 0
                for node_ in members:
                    if (door := self.rules.outcome(graph.key(node_))) is not None:
                        mask |= 1 << door.rank
                    for _, target in graph.edges[node_]:
                        if comp[target] != comp[node_]:
                            mask |= masks[target]
                for node_ in members:
                    masks[node_] = mask
            self._doors_ahead = masks
        mask = self._doors_ahead[node]
        if not mask:
            return None
        ranked = [door for door in sorted(Outcome, key=lambda d: d.rank) if mask >> door.rank & 1]
        return ranked[-1], ranked[0]

    def ending_doors(self) -> dict[str, list[Outcome]]:
        """Per ending scene, the doors its runs end with (floors can lower one), best first."""
        doors: dict[str, set[Outcome]] = {}
        for key in self.graph.keys:
            if (door := self.rules.outcome(key)) is not None:
                doors.setdefault(key[0], set()).add(door)
        return {sid: sorted(found, key=lambda d: d.rank, reverse=True)
                for sid, found in doors.items()}

    def runs_taking(
        self, test: Callable[[str, str], bool], *, best: bool, budget: int | None = None
    ) -> Result:
        """Best (or worst) score of runs that take a choice for which ``test(scene, id)``."""
        test = functools.cache(test)  # asked once per choice, not once per state
        if self.additive is not None:
            return self.additive.runs_taking(test, best=best)
        if self.full is not None:
            return self.full.runs_taking(test, best=best)
        marked = {
            (node, edge)
            for node, edges in enumerate(self.graph.edges)
            for edge, (move, _) in enumerate(edges)
            if move is not None and test(self.graph.keys[node][0], move)
        }
        return self._runs_through(marked, best=best, budget=budget)

    def _runs_through(
        self, marked: set[tuple[int, int]], *, best: bool, budget: int | None = None
    ) -> Result:
        """Best (or worst) run that takes one of these (node, edge) moves."""
        leads_there = self.ancestors({node for node, _ in marked})

        def viable(node: int, taken: bool) -> bool:
            return taken or node in leads_there

        return self.search(
            self.starts,
            best=best,
            goal=lambda _, taken: taken,
            marks=lambda node, edge: (node, edge) in marked,
            viable=viable,
            budget=SEARCH_BUDGET if budget is None else budget,
        )

    def ancestors(self, targets: set[int]) -> set[int]:
        """Every control node from which one of ``targets`` can be reached (targets too)."""
        return ancestors(self.graph, targets)

    # -- helpers ------------------------------------------------------------------
    def project(
        self, meters: Mapping[str, int], flags: Mapping[str, bool], scene: str
    ) -> int | None:
        """Return the control node of a full state (None if it was never reached)."""
        key = (
            scene,
            tuple(meters[n] for n in self.rules.meter_names),
            tuple(flags[n] for n in self.rules.flag_names),
        )
        return self.graph.index.get(key)

    def free_values(self, meters: Mapping[str, int]) -> Free:
        """The free meters' values in order."""
        return tuple(meters[n] for n in self.free)

    def step(self, node: int, edge: int, xs: Free) -> Free:
        """Apply an edge's free-meter effects, clamped."""
        return tuple(
            lo if x + d < lo else hi if x + d > hi else x + d
            for x, d, lo, hi in zip(xs, self.deltas[node][edge], self.mins, self.maxs, strict=True)
        )

    def final_score(self, node: int, xs: Free) -> int:
        """The exact score of a full state at an ending node."""
        values = self.rules.values(self.graph.keys[node])
        values.update(zip(self.free, xs, strict=True))
        total = sum(self.part(n, int(values[n])) for n in self.story.meters)
        return self.scale.score(total, score_cap(self.story, values))

    def _bound(self, node: int, xs: Free, best: bool) -> int | None:
        tables = self.high[node] if best else self.low[node]
        if tables is None:
            return None
        control, cap = self.bound_high[node] if best else self.bound_low[node]
        total = control
        for table, x, lo, share, lane in zip(tables, xs, self.mins, self.shares, self.lanes,
                                             strict=True):
            total += share * lane.at(table, x - lo)
        return self.scale.score(total, cap)

    # -- the exact search -----------------------------------------------------------
    def search(
        self,
        starts: list[tuple[int, Free]],
        *,
        best: bool,
        goal: Goal | None = None,
        marks: Callable[[int, int], bool] | None = None,
        viable: Goal | None = None,
        budget: int = SEARCH_BUDGET,
    ) -> Result:
        """Best-first search for the best (or worst) final score.

        Args:
            starts: control nodes with the free meters' values.
            best: maximise (True) or minimise.
            goal: which ending nodes count, given the node and whether the run is
                marked; default every ending.
            marks: ``marks(node, edge)`` is true for edges that mark the run (e.g. a
                choice with a given tag); marked runs stay marked.
            viable: states that can still lead to a goal (an optional pruning that
                keeps the search small; it must not exclude any state that can).
            budget: most states to expand before returning the bound, inexact.
        """
        sign = -1 if best else 1
        counter = itertools.count()
        queue: list[tuple[int, int, int, Free, bool]] = []
        parent: dict[tuple[int, Free, bool], tuple[tuple[int, Free, bool], str | None] | None] = {}
        for node, xs in starts:
            bound = self._bound(node, xs, best)
            if viable is not None and not viable(node, False):
                continue
            if bound is not None and (node, xs, False) not in parent:
                parent[(node, xs, False)] = None
                heapq.heappush(queue, (sign * bound, next(counter), node, xs, False))
        expanded = 0
        while queue:
            priority, _, node, xs, marked = heapq.heappop(queue)
            if self.graph.is_ending(node):
                if goal is None or goal(node, marked):
                    score = self.final_score(node, xs)
                    return Result(score, tuple(moves_back(parent, (node, xs, marked))),
                                  expanded=expanded)
                continue
            expanded += 1
            if expanded > budget:
                return Result(sign * priority, (), exact=False, expanded=expanded)
            for edge, (move, target) in enumerate(self.graph.edges[node]):
                state = (
                    target,
                    self.step(node, edge, xs),
                    marked or bool(marks and marks(node, edge)),
                )
                if state in parent or (viable is not None and not viable(target, state[2])):
                    continue
                bound = self._bound(target, state[1], best)
                if bound is None:
                    continue
                parent[state] = ((node, xs, marked), move)
                heapq.heappush(queue, (sign * bound, next(counter), *state))
        return Result(None, (), expanded=expanded)

    def free_range(self, name: str) -> tuple[int, int]:
        """Exact lowest and highest value a free meter reaches."""
        i = self.free.index(name)
        union = 0
        for masks in self.reach:
            union |= masks[i]
        lowest = (union & -union).bit_length() - 1
        return lowest + self.offset(i), union.bit_length() - 1 + self.offset(i)

    def free_values_at(self, node: int, name: str) -> list[int]:
        """Every value a free meter can have at a control node."""
        i = self.free.index(name)
        mask = self.reach[node][i]
        return [v + self.offset(i) for v in range(mask.bit_length()) if mask >> v & 1]


def build(
    story: CompiledStory,
    starts: Sequence[Mapping[str, int | bool]] | None = None,
    limit: int = DEFAULT_LIMIT,
    *,
    force_search: bool = False,
) -> Space:
    """Build the control graph and score tables from the given starts (default: fresh).

    Not kept: :func:`space_for` keeps the space of one start in the compiled story.
    ``force_search`` skips the exact fast paths (additive, then full states) for the
    best-first search (tests compare them).
    """
    rules, free, start_nodes = _control(story, starts)
    with paused_gc():  # hundreds of thousands of small acyclic tuples and lists
        graph = explore(rules, list(dict.fromkeys(k for k, _ in start_nodes)), limit)
        return _build_on(story, rules, free, start_nodes, graph, force_search)


StartNode = tuple[tuple[str, tuple[int, ...], tuple[bool, ...]], Free]


def _control(
    story: CompiledStory, starts: Sequence[Mapping[str, int | bool]] | None
) -> tuple[Rules, tuple[str, ...], list[StartNode]]:
    """The rules over the meters conditions read, the other ('free') meters, the starts."""
    read = condition_meters(story.model)
    control = tuple(n for n in story.model.meters if n in read)
    free = tuple(n for n in story.model.meters if n not in control)
    full = story.rules
    rules = full.project(control)
    start_nodes: list[StartNode] = []
    for values in starts or [{}]:
        key = full.initial(values)
        meters = dict(zip(full.meter_names, key[1], strict=True))
        start_nodes.append(
            ((key[0], tuple(meters[n] for n in control), key[2]), tuple(meters[n] for n in free))
        )
    return rules, free, start_nodes


def _build_on(story: CompiledStory, rules: Rules, free: tuple[str, ...],
              start_nodes: list[StartNode], graph: StateGraph,
              force_search: bool = False) -> Space:
    """Add the score tables to an explored control graph."""
    space = Space(story.model, rules, graph, free, exact=not graph.truncated,
                  scale=story.scale)
    space.deltas = free_deltas(rules, free, graph)
    indexed = [(graph.index[k], xs) for k, xs in start_nodes]
    space.starts = indexed
    forward(space, indexed)
    if not force_search:
        space.additive = Additive.try_build(space)
        if space.additive is None:
            space.full = FullView.try_build(space)
    if space.additive is None and space.full is None:
        backward(space)
    return space


def _imports_key(imports: Mapping[str, int | bool] | None) -> tuple[tuple[str, int | bool], ...]:
    return tuple(sorted((imports or {}).items()))


def graph_for(story: CompiledStory, imports: Mapping[str, int | bool] | None = None
              ) -> StateGraph:
    """Return the control graph from a start with these imports, explored once and kept.

    The play check needs only this (dead ends and traps); the score tables of
    :func:`space_for`, seconds more on the larger stories, are added when first asked for.
    """
    def explore_once() -> StateGraph:
        rules, _, start_nodes = _control(story, [dict(imports or {})])
        with paused_gc():
            return explore(rules, list(dict.fromkeys(k for k, _ in start_nodes)),
                           DEFAULT_LIMIT)

    return story.memo(("graph", _imports_key(imports)), explore_once)


def space_for(story: CompiledStory, imports: Mapping[str, int | bool] | None = None) -> Space:
    """Return the story's space from a start with these imports, built once and kept."""
    def build_once() -> Space:
        rules, free, start_nodes = _control(story, [dict(imports or {})])
        graph = graph_for(story, imports)
        with paused_gc():
            return _build_on(story, rules, free, start_nodes, graph)

    return story.memo(("space", _imports_key(imports)), build_once)


def best_reachable(story: CompiledStory, state: PlayState) -> int | None:
    """Best final score still reachable from a state (None if no ending is).

    Bound to a story (``functools.partial(best_reachable, story)``), this is what
    :func:`game.engine.scoring.scorecard` takes as ``best``.
    """
    space = space_for(story, state.imports)
    node = space.project(state.meters, state.flags, state.scene)
    if node is None:
        return None
    return space.best_from_state(node, space.free_values(state.meters))
