"""Checks that search every reachable state: reachability, dead ends, traps, assertions.

:func:`check_states` runs on a story that passed the checks of
:mod:`game.story.checks` (a story with errors is never analysed). It explores the
exact state space (:mod:`game.analysis.reach`) from every start the story can have
and reports scenes and endings no run reaches (CB020, CB023), dead ends (CB021),
traps (CB022), no ending at all (CB024), effects that are always clamped (CB025),
a search cut short (CB031), each failed author assertion (CB030) with a run
that shows it, and each ending that a run reaches with a score outside its door's
band (CB032), with such a run. :func:`check_playable` is the cheap part of it, run
before play from the player's own start.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from game.analysis.reach import DEFAULT_LIMIT, StateGraph, ancestors, explore
from game.analysis.space import build, graph_for
from game.engine.compiled import CompiledStory
from game.engine.rules import Key, Rules, floor_outcome
from game.story.diagnostics import Diagnostic
from game.story.model import Choice, Outcome, Story
from game.story.source import Path_, SourceMap

MAX_IMPORT_COMBINATIONS = 256


def import_combinations(story: Story) -> list[dict[str, int | bool]]:
    """Every start the story can have: one per combination of imported flags.

    A campaign story can start from any saved profile, so its checks must hold for
    all of them (imported meters start at their declared value).
    """
    imported = imported_flags(story)
    combos = itertools.islice(itertools.product([False, True], repeat=len(imported)),
                              MAX_IMPORT_COMBINATIONS)
    return [dict(zip(imported, combo, strict=True)) for combo in combos]


def imported_flags(story: Story) -> list[str]:
    """The flags a campaign story imports, in the order it lists them."""
    return [n for n in (story.campaign.imports if story.campaign else []) if n in story.flags]


def _path_text(graph: StateGraph, node: int) -> str:
    moves = graph.path_to(node)
    start = graph.key(_root(graph, node))
    flags = [
        n
        for n, v in zip(graph.rules.flag_names, start[2], strict=True)
        if v and not graph.rules.story.flags[n].default
    ]
    prefix = f"(imported {', '.join(flags)}) " if flags else ""
    return prefix + (" -> ".join(moves) if moves else "(at the start)")


def _root(graph: StateGraph, node: int) -> int:
    while (link := graph.parent[node]) is not None:
        node = link[0]
    return node


class _Analysis:
    """Graph checks and assertions over the exact reachable state space."""

    def __init__(self, story: CompiledStory, smap: SourceMap, limit: int) -> None:
        self.compiled = story
        self.story = story.model
        self.smap = smap
        self.limit = limit
        self.space = build(story, import_combinations(story.model), limit)
        self.rules = self.space.rules  # tracks only the meters conditions read
        self.graph = self.space.graph
        self.starts = [k for k, link in zip(self.graph.keys, self.graph.parent, strict=True)
                       if link is None]
        self.found: list[Diagnostic] = []

    def add(
        self,
        code: str,
        message: str,
        where: Path_,
        hint: str = "",
    ) -> None:
        self.found.append(Diagnostic(code, message, self.smap.at(where, key=True), hint))

    def run(self) -> list[Diagnostic]:
        imported = len(imported_flags(self.story))
        if 2 ** imported > MAX_IMPORT_COMBINATIONS:
            self.add(
                "CB031",
                f"{imported} imported flags make {2 ** imported:,} possible"
                f" starts, but only the first {MAX_IMPORT_COMBINATIONS:,} are checked:"
                " checks are partial",
                ("campaign", "imports"),
                f"import at most {MAX_IMPORT_COMBINATIONS.bit_length() - 1} flags",
            )
        if self.graph.truncated:
            self.add(
                "CB031",
                f"more than {self.limit:,} reachable states: checks are partial",
                ("scenes",),
            )
            return self.found
        self.reachability()
        self.stuck()
        self.clamped()
        for i in range(len(self.story.assertions)):
            self.assertion(i)
        self.bands_kept()
        return self.found

    def bands_kept(self) -> None:
        """CB032: an ending that some run reaches with a score outside its door's band.

        Per ending and per door it can end with (a floor flag can lower the door), the
        exact lowest and highest score, and a run that reaches the one out of band.
        """
        bands, doors = self.story.score_bands, self.space.ending_doors()
        for sid in self.story.scenes:
            for door in doors.get(sid, []):
                band = bands.of(door)
                low, high = self.space.ending_range(sid, door)
                out = next((r for r in (high, low)
                            if r.score is not None and not band.holds(r.score)), None)
                if out is None:
                    continue
                ending = self.story.scenes[sid].ending
                assert ending is not None
                lowered = "" if door is ending.outcome else f", lowered from {ending.outcome.value}"
                found = (str(low.score) if low.score == high.score
                         else f"{low.score}-{high.score}")
                self.add(
                    "CB032",
                    f"ending {sid!r} (door {door.value}{lowered}) can score {found}, outside "
                    f"the {door.value} band {band}",
                    ("scenes", sid, "ending", "outcome"),
                    f"a run that scores {out.score}: {self._run_text(sid, out.path, out.score)}",
                )

    def _run_text(self, sid: str, path: Sequence[str], score: int | None) -> str:
        """The run as choice ids, after the imported flags it needs (if any)."""
        moves = " -> ".join(path) or "(at the start)"
        rules = self.compiled.rules
        for imports in import_combinations(self.story):
            key = _replay(rules, rules.initial(imports), path)
            if key is not None and key[0] == sid and rules.score(key) == score:
                flags = [n for n, v in imports.items() if v is True]
                return (f"(imported {', '.join(flags)}) " if flags else "") + moves
        return moves

    def reachability(self) -> None:
        graph, rules = self.graph, self.rules
        entered = {graph.keys[n][0] for n in range(len(graph.keys))}
        entered.add(self.story.start)
        for node in range(len(graph.keys)):
            key = graph.keys[node]
            scene = rules.scene(key)
            if scene.next:
                entered.add(scene.next)
            entered.update(c.goto for c, ok in rules.choices(key) if ok)
        changed = True
        while changed:  # route scenes pass players on to their targets
            changed = False
            for sid in list(entered):
                for route in self.story.scenes[sid].route if sid in self.story.scenes else []:
                    if route.goto not in entered:
                        entered.add(route.goto)
                        changed = True
        endings = [n for n in range(len(graph.keys)) if graph.is_ending(n)]
        if not endings:
            self.add("CB024", "no playthrough reaches an ending", ("start",))
        for sid, scene in self.story.scenes.items():
            if sid in entered:
                continue
            if scene.ending is not None:
                self.add("CB023", f"ending {sid!r} can never be reached", ("scenes", sid))
            else:
                self.add("CB020", f"scene {sid!r} can never be reached", ("scenes", sid))

    def stuck(self) -> None:
        can_end = {n for n in range(len(self.graph.keys)) if self.space.can_end(n)}
        self.found += _stuck(self.graph, self.smap, can_end)

    def clamped(self) -> None:
        """CB025: an effect that every run taking it would see clamped to nothing.

        Read off the explored graph: a tracked meter's real change is the difference
        between the move's two states; a free meter's values at a node are a bitmask,
        and only its lowest (for a rise) or highest (for a fall) value can escape.
        """
        always: dict[tuple[str, int, str], bool] = {}
        space, graph = self.space, self.graph
        tracked = {n: i for i, n in enumerate(self.rules.meter_names)}
        free = {n: i for i, n in enumerate(space.free)}
        by_scene: dict[str, dict[str, tuple[int, Choice]]] = {}
        for node, edges in enumerate(graph.edges):
            key = graph.keys[node]
            choices = by_scene.get(key[0])
            if choices is None:
                choices = by_scene[key[0]] = {
                    c.id: (i, c) for i, c in enumerate(self.story.scenes[key[0]].choices)}
            for move, target in edges:
                if move is None:
                    continue
                index, choice = choices[move]
                for name, amount in choice.effects.items():
                    if isinstance(amount, bool):
                        continue
                    if name in tracked:
                        i = tracked[name]
                        cut = graph.keys[target][1][i] - key[1][i] != amount
                    else:
                        meter = self.story.meters[name]
                        mask = space.reach[node][free[name]]
                        lowest = (mask & -mask).bit_length() - 1 + meter.min
                        highest = mask.bit_length() - 1 + meter.min
                        cut = not mask or (amount > 0 and lowest + amount > meter.max) or (
                            amount < 0 and highest + amount < meter.min)
                    slot = (key[0], index, name)
                    always[slot] = always.get(slot, True) and cut
        for (sid, index, name), cut in sorted(always.items()):
            if cut:
                amount = self.story.scenes[sid].choices[index].effects[name]
                self.add("CB025", f"effect {name}: {amount:+d} is always clamped at the "
                         f"meter's bound", ("scenes", sid, "choices", index, "effects", name))

    def fail(self, index: int, message: str, path: str = "") -> None:
        note = self.story.assertions[index].note
        hint = f"counterexample: {path}" if path else ""
        text = f"assertion failed: {message}" + (f" ({note})" if note else "")
        self.add("CB030", text, ("assertions", index), hint)

    def assertion(self, index: int) -> None:
        rule = self.story.assertions[index]
        graph, rules = self.graph, self.rules
        if rule.reachable:
            if not any(graph.keys[n][0] == rule.reachable for n in range(len(graph.keys))):
                self.fail(index, f"ending {rule.reachable!r} cannot be reached")
        elif rule.score:
            low, high = self.space.ending_range(rule.score.ending)
            for result in (low, high):
                score = result.score
                if score is not None and not rule.score.min <= score <= rule.score.max:
                    self.fail(index, f"ending {rule.score.ending!r} can score {score}, outside "
                              f"{rule.score.min}-{rule.score.max}", " -> ".join(result.path))
                    return
        elif rule.never:
            if self.never_holds(frozenset([rule.never.after]), rule.never.outcome):
                return  # (the product below is built only to show a failing run)
            product = self.product(frozenset([rule.never.after]))
            for node in range(len(product.keys)):
                key, took = product.key(node), product.keys[node][1]
                outcome = rules.outcome(key)
                if took and outcome in rule.never.outcome:
                    self.fail(
                        index,
                        f"a run after '{rule.never.after}' ends {outcome.value} at {key[0]!r}",
                        _path_text(product, node),
                    )
                    return
        elif rule.can_reach:
            self.can_reach(index, rule.can_reach.outcome, frozenset(rule.can_reach.unless))
        elif rule.better:
            self.better(index, rule.better.tag, rule.better.than)

    def product(self, tags: frozenset[str], exempt_start: Outcome | None = None) -> StateGraph:
        """The graph paired with "has this run taken a choice with one of these tags".

        Built over the already-explored graph, so no rule is evaluated twice. With
        ``exempt_start``, a start whose imported flags already cap the outcome below
        it counts as tagged (nothing the player does in this story can change that).
        """
        graph, story = self.graph, self.story
        tagged = {(sid, c.id) for sid, scene in story.scenes.items() for c in scene.choices
                  if tags & set(c.tags)}

        def step(node: tuple[int, bool]) -> Iterator[tuple[str | None, tuple[int, bool]]]:
            index, took = node
            sid = graph.keys[index][0]
            for move, target in graph.edges[index]:
                yield move, (target, took or (sid, move) in tagged)

        starts = []
        for index, link in enumerate(graph.parent):
            if link is None:
                forced = exempt_start is not None and floor_outcome(
                    story, exempt_start, self.rules.values(graph.keys[index])) != exempt_start
                starts.append((index, forced))
        return explore(self.rules, starts, self.limit * 2, successors=step,
                       base=lambda node: graph.keys[node[0]])

    def tagged_moves(self, tags: frozenset[str]) -> set[tuple[str, str]]:
        """(scene, choice id) of every choice carrying one of ``tags``."""
        return {(sid, c.id) for sid, scene in self.story.scenes.items() for c in scene.choices
                if tags & set(c.tags)}

    def never_holds(self, tags: frozenset[str], outcomes: Sequence[Outcome]) -> bool:
        """Whether no run that takes a tagged choice ends with one of ``outcomes``.

        Linear in the graph, with no product: every node after a tagged move, found
        forward from the moves' targets (every node is reachable), must end elsewhere.
        """
        graph, tagged = self.graph, self.tagged_moves(tags)
        seen = [False] * len(graph.keys)
        stack = []
        for node, edges in enumerate(graph.edges):
            sid = graph.keys[node][0]
            for move, target in edges:
                if (sid, move) in tagged and not seen[target]:
                    seen[target] = True
                    stack.append(target)
        wanted = set(outcomes)
        while stack:
            node = stack.pop()
            if self.rules.outcome(graph.keys[node]) in wanted:
                return False
            for _, target in graph.edges[node]:
                if not seen[target]:
                    seen[target] = True
                    stack.append(target)
        return True

    def can_reach_holds(self, outcome: Outcome, unless: frozenset[str]) -> bool:
        """Whether every node a run reaches without a tagged choice (from a start its
        imports leave able to reach ``outcome``), other than an ending, can still reach
        an ending at ``outcome`` or better. Linear in the graph, with no product."""
        graph, tagged, story = self.graph, self.tagged_moves(unless), self.story
        good = ancestors(graph, {
            n for n in range(len(graph.keys))
            if (o := self.rules.outcome(graph.keys[n])) is not None and o.rank >= outcome.rank})
        seen = [False] * len(graph.keys)
        stack = []
        for node, link in enumerate(graph.parent):
            if link is None and floor_outcome(
                    story, outcome, self.rules.values(graph.keys[node])) == outcome:
                seen[node] = True
                stack.append(node)
        while stack:
            node = stack.pop()
            if node not in good and not graph.is_ending(node):
                return False
            sid = graph.keys[node][0]
            for move, target in graph.edges[node]:
                if not seen[target] and (sid, move) not in tagged:
                    seen[target] = True
                    stack.append(target)
        return True

    def can_reach(self, index: int, outcome: Outcome, unless: frozenset[str]) -> None:
        if self.can_reach_holds(outcome, unless):
            return  # (the product below is built only to show a failing run)
        product = self.product(unless, exempt_start=outcome)
        endings = {
            n
            for n in range(len(product.keys))
            if (o := self.rules.outcome(product.key(n))) is not None and o.rank >= outcome.rank
        }
        good = ancestors(product, endings)
        for node in range(len(product.keys)):
            if product.keys[node][1] or node in good or product.is_ending(node):
                continue  # tagged runs are exempt; an ending is not a place to decide
            sid = product.key(node)[0]
            self.fail(
                index,
                f"from scene {sid!r} no {outcome.value}-or-better ending can be reached",
                _path_text(product, node),
            )
            return

    def better(self, index: int, tag: str, than: str) -> None:
        def after(wanted: str) -> tuple[int | None, str]:
            tagged = self.tagged_moves(frozenset([wanted]))
            result = self.space.runs_taking(lambda sid, move: (sid, move) in tagged, best=True)
            return result.score, " -> ".join(result.path)

        mine, _ = after(tag)
        theirs, path = after(than)
        if mine is None or (theirs is not None and theirs >= mine):
            self.fail(index, f"best score after '{tag}' is {mine}, not above the {theirs} "
                      f"still reachable after '{than}'", path)


def _replay(rules: Rules, key: Key, path: Sequence[str]) -> Key | None:
    """Where taking ``path`` (choice ids) from ``key`` leads; None if a move is not offered."""
    for move in path:
        while (scene := rules.scene(key)).next is not None:
            key = rules.enter(scene.next, key[1], key[2])
        choice = next((c for c, ok in rules.choices(key) if ok and c.id == move), None)
        if choice is None:
            return None
        key = rules.step(key, choice)
    while (scene := rules.scene(key)).next is not None:
        key = rules.enter(scene.next, key[1], key[2])
    return key


def _stuck(graph: StateGraph, smap: SourceMap, can_end: set[int]) -> list[Diagnostic]:
    """Dead ends (CB021) and traps (CB022): one per scene, with a path that reaches it."""
    found, reported = [], set()
    for node in range(len(graph.keys)):
        sid = graph.keys[node][0]
        if sid in reported or graph.is_ending(node):
            continue
        if not graph.edges[node]:
            code, message = "CB021", f"scene {sid!r} can leave the player with no choice to take"
        elif node not in can_end:
            code, message = "CB022", f"from scene {sid!r} no ending can be reached"
        else:
            continue
        reported.add(sid)
        found.append(Diagnostic(code, message, smap.at(("scenes", sid), key=True),
                                f"reached by: {_path_text(graph, node)}"))
    return found


def check_states(
    story: CompiledStory, smap: SourceMap, *, limit: int = DEFAULT_LIMIT
) -> list[Diagnostic]:
    """Return the diagnostics that need every reachable state, from every start.

    Run it only on a story without errors from :func:`game.story.checks.check_story`.
    """
    return _Analysis(story, smap, limit).run()


def check_playable(
    story: CompiledStory, smap: SourceMap, imports: dict[str, int | bool] | None = None
) -> list[Diagnostic]:
    """Errors that would strand this player: dead ends, traps, no ending.

    A cheaper check than the full analysis, run before play from the player's own
    start (their campaign imports): it explores the states conditions can tell apart
    (kept in the compiled story, and reused for the debrief's "best still
    reachable" figures) but builds no score tables.
    """
    graph = graph_for(story, imports)
    if graph.truncated:
        return []
    found: list[Diagnostic] = []
    endings = {n for n in range(len(graph.keys)) if graph.is_ending(n)}
    if not endings:
        found.append(Diagnostic("CB024", "no playthrough reaches an ending",
                                smap.at(("start",), key=True)))
    found += _stuck(graph, smap, ancestors(graph, endings))
    return found
