"""The reachable state space of a story, searched exactly.

A story's future depends only on the scene, the meters and the flags (a *key*), not
on how the player got there, so the space of keys is finite and small for
call-sized stories. :func:`explore` builds the graph of keys reachable from a
start; :func:`components` splits it into strongly connected components so that
callers can do dynamic programming over loops exactly (see game.analysis.space).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from game.engine.rules import (
    MAX_ROUTE_HOPS,
    Key,
    MeterEffect,
    Rules,
    RulesError,
    add_effects,
    set_flags,
)

DEFAULT_LIMIT = 200_000


@dataclass
class StateGraph:
    """Reachable keys (index = position in ``keys``) and their moves."""

    rules: Rules
    keys: list[Any] = field(default_factory=list)
    index: dict[Hashable, int] = field(default_factory=dict)
    edges: list[list[tuple[str | None, int]]] = field(default_factory=list)
    parent: list[tuple[int, str | None] | None] = field(default_factory=list)
    truncated: bool = False
    _incoming: list[list[int]] | None = None
    _components: tuple[list[int], list[list[int]]] | None = None
    _endings: list[bool] = field(default_factory=list)
    _self_loops: set[int] = field(default_factory=set)

    base: Callable[[Any], Key] = field(default=lambda key: key)

    def key(self, node: int) -> Key:
        """Return the story key (scene, meters, flags) of a node."""
        return self.base(self.keys[node])

    def is_ending(self, node: int) -> bool:
        """Return whether a node is an ending."""
        if len(self._endings) != len(self.keys):  # the graph grew (or is new): look again
            scenes = self.rules.story.scenes
            self._endings = [scenes[self.key(n)[0]].ending is not None
                             for n in range(len(self.keys))]
        return self._endings[node]

    def path_to(self, node: int) -> list[str]:
        """Return the choice ids of a shortest route from the start to ``node``."""
        return moves_back(self.parent, node)

    def components(self) -> tuple[list[int], list[list[int]]]:
        """Strongly connected components (see :func:`components`), found once."""
        if self._components is None:
            comp, order, self_loops = _tarjan(self)
            self._components = comp, order
            self._self_loops = self_loops
        return self._components

    def loops(self) -> list[list[int]]:
        """The components that hold a loop: several nodes, or one with a move to itself."""
        _, order = self.components()  # (also finds the moves to themselves)
        return [m for m in order if len(m) > 1 or m[0] in self._self_loops]

    def incoming(self) -> list[list[int]]:
        """The nodes with a move to each node, found once."""
        if self._incoming is None:
            self._incoming = [[] for _ in self.keys]
            for node, edges in enumerate(self.edges):
                for _, target in edges:
                    self._incoming[target].append(node)
        return self._incoming


def moves_back(parent: Any, state: Any) -> list[str]:
    """The choice ids that lead to ``state``, following ``parent[state]`` links of
    (previous state, move) back to a state whose link is None ('continue' moves,
    None, are left out)."""
    moves: list[str] = []
    while (link := parent[state]) is not None:
        state, move = link
        if move is not None:
            moves.append(move)
    return moves[::-1]


Successors = Callable[[Any], Iterable[tuple[str | None, Any]]]


def explore(
    rules: Rules,
    starts: Key | list[Any],
    limit: int = DEFAULT_LIMIT,
    successors: Successors | None = None,
    base: Callable[[Any], Key] | None = None,
) -> StateGraph:
    """Breadth-first search of every key reachable from the start(s), up to ``limit``.

    ``successors`` and ``base`` let callers search a product space, e.g. keys paired
    with "has this run taken an argue choice yet", for path-dependent assertions.
    """
    graph = StateGraph(rules, base=base or (lambda key: key))
    step: Successors = successors or moves_of(rules)
    queue: deque[int] = deque()
    for start in starts if isinstance(starts, list) else [starts]:
        if start in graph.index:
            continue
        graph.index[start] = len(graph.keys)
        queue.append(len(graph.keys))
        graph.keys.append(start)
        graph.edges.append([])
        graph.parent.append(None)
    while queue:
        node = queue.popleft()
        for move, key in step(graph.keys[node]):
            target = graph.index.get(key)
            if target is None:
                if len(graph.keys) >= limit:
                    graph.truncated = True
                    continue
                target = len(graph.keys)
                graph.index[key] = target
                graph.keys.append(key)
                graph.edges.append([])
                graph.parent.append((node, move))
                queue.append(target)
            graph.edges[node].append((move, target))
    return graph


Move = tuple[str, Any, tuple[MeterEffect, ...], tuple[tuple[int, bool], ...], str]
"""A choice compiled for the search: id, test, effects (see ``Rules.effects``), goto."""


def moves_of(rules: Rules) -> Callable[[Key], list[tuple[str | None, Key]]]:
    """``rules.successors`` for a search: the same moves, in the same order, to the
    same keys, with each scene's choices, tests and effects looked up once.

    A search calls it for every state (hundreds of thousands on a large story); the
    rules' own generator looks up each scene, meter and condition again every time.
    """
    story = rules.story

    def test(condition: str | None) -> Any:
        return None if condition is None else rules.condition(condition)

    routes = {sid: [(test(r.condition), r.goto) for r in scene.route]
              for sid, scene in story.scenes.items() if scene.route}
    follow: dict[str, str] = {}
    moves: dict[str, list[Move]] = {}
    for sid, scene in story.scenes.items():
        if scene.next is not None:
            follow[sid] = scene.next
            continue
        moves[sid] = [(choice.id, test(choice.condition), *rules.effects(choice), choice.goto)
                      for choice in scene.choices]

    def enter(sid: str, meters: tuple[int, ...], flags: tuple[bool, ...]) -> Key:
        for _ in range(MAX_ROUTE_HOPS):
            ways = routes.get(sid)
            if ways is None:
                return sid, meters, flags
            target = next((goto for check, goto in ways
                           if check is None or check(meters, flags)), None)
            if target is None:
                raise RulesError(f"no route of scene {sid!r} applies")
            sid = target
        raise RulesError(f"routes loop through scene {sid!r}")

    def successors(key: Key) -> list[tuple[str | None, Key]]:
        sid, meters, flags = key
        after = follow.get(sid)
        if after is not None:
            return [(None, enter(after, meters, flags))]
        found: list[tuple[str | None, Key]] = []
        for choice_id, check, meter_moves, flag_moves, goto in moves[sid]:
            if check is not None and not check(meters, flags):
                continue
            found.append((choice_id, enter(
                goto, add_effects(meters, meter_moves) if meter_moves else meters,
                set_flags(flags, flag_moves) if flag_moves else flags)))
        return found

    return successors


def components(graph: StateGraph) -> tuple[list[int], list[list[int]]]:
    """Tarjan's strongly connected components, iteratively.

    Returns (component of each node, components in reverse topological order:
    every edge leads to the same or an earlier component). Computed once per graph.
    """
    return graph.components()


def loops(graph: StateGraph) -> list[list[int]]:
    """The components that hold a loop: several nodes, or one with a move to itself."""
    return graph.loops()


def _tarjan(graph: StateGraph) -> tuple[list[int], list[list[int]], set[int]]:
    """(component of each node, components in reverse topological order, nodes with a
    move to themselves), iteratively."""
    count = len(graph.keys)
    self_loops: set[int] = set()
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    comp = [-1] * count
    stack: list[int] = []
    order: list[list[int]] = []
    counter = 0
    for root in range(count):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, edge_i = work.pop()
            if edge_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            edges = graph.edges[node]
            while edge_i < len(edges):
                target = edges[edge_i][1]
                edge_i += 1
                if target == node:
                    self_loops.add(node)
                if index[target] == -1:
                    work.append((node, edge_i))
                    work.append((target, 0))
                    break
                if on_stack[target]:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack[member] = False
                        comp[member] = len(order)
                        members.append(member)
                        if member == node:
                            break
                    order.append(members)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return comp, order, self_loops


def ancestors(graph: StateGraph, targets: set[int]) -> set[int]:
    """Every node from which one of ``targets`` can be reached (``targets`` included)."""
    incoming = graph.incoming()
    found = set(targets)
    stack = list(targets)
    while stack:
        for source in incoming[stack.pop()]:
            if source not in found:
                found.add(source)
                stack.append(source)
    return found
