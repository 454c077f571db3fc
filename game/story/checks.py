"""Checks that need the whole story: names, targets, conditions, reachability, assertions.

:func:`check_story` runs after the model has validated. The cheap, local checks
always run; the reachability checks and the story's assertions search the exact
state space (see :mod:`game.analysis.reach`) when ``analyse`` is true.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from game.analysis.reach import DEFAULT_LIMIT, StateGraph, ancestors, explore
from game.analysis.space import Space, build, graph_for
from game.engine.rules import floor_outcome
from game.story import expr
from game.story.diagnostics import Diagnostic, Location, Severity, did_you_mean
from game.story.model import NARRATOR, Choice, Outcome, Story
from game.story.source import Path_, SourceMap

W = Severity.WARNING
MAX_IMPORT_COMBINATIONS = 256


class _Checker:
    def __init__(self, story: Story, smap: SourceMap) -> None:
        self.story = story
        self.smap = smap
        self.found: list[Diagnostic] = []
        self.kinds: dict[str, expr.Kind] = {m: "int" for m in story.meters}
        self.kinds.update({f: "bool" for f in story.flags})

    def add(
        self,
        code: str,
        message: str,
        where: Path_ | Location,
        hint: str = "",
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        location = where if isinstance(where, Location) else self.smap.at(where, key=key)
        self.found.append(Diagnostic(code, message, location, hint, severity))

    def target(self, scene_id: str, where: Path_, what: str) -> None:
        if scene_id not in self.story.scenes:
            self.add(
                "CB010",
                f"{what} goes to {scene_id!r}, which is not a scene",
                where,
                did_you_mean(scene_id, self.story.scenes),
            )

    def condition(self, text: str | None, where: Path_) -> None:
        if text is None:
            return
        try:
            expr.check(expr.parse(text), self.kinds)
        except expr.ExprError as error:
            base = self.smap.at(where)
            quoted = self.smap.styles.get(where, "") in ("'", '"')
            location = Location(base.path, base.line, base.col + error.offset + int(quoted))
            word = error.message.split("'")[1] if "is not a meter" in error.message else ""
            if word:
                self.add("CB011", error.message, location, did_you_mean(word, self.kinds))
            else:
                self.add("CB012", f"bad condition: {error.message}", location, error.hint)

    def tag(self, tag: str, where: Path_) -> None:
        if tag not in self.story.tags:
            self.add(
                "CB015",
                f"unknown tag {tag!r}",
                where,
                did_you_mean(tag, self.story.tags) or "declare it under 'tags:' with its meaning",
            )

    def name(self, name: str, where: Path_, what: str) -> None:
        if name not in self.kinds:
            self.add(
                "CB011",
                f"{what} {name!r} is not a meter or flag",
                where,
                did_you_mean(name, self.kinds),
                key=True,
            )

    def run(self) -> list[Diagnostic]:
        story = self.story
        self.target(story.start, ("start",), "'start'")
        if story.player not in story.cast:
            self.add(
                "CB011",
                f"player {story.player!r} is not in the cast",
                ("player",),
                did_you_mean(story.player, story.cast),
            )
        if story.campaign:
            for section in ("imports", "exports"):
                for i, name in enumerate(getattr(story.campaign, section)):
                    self.name(name, ("campaign", section, i), f"campaign {section[:-1]}")
        for persona, weights in story.personas.items():
            for tag in weights:
                if tag not in story.tags:
                    self.tag(tag, ("personas", persona, tag))
        for sid in story.scenes:
            self.scene(sid)
        self.route_loops()
        self.assertion_names()
        return self.found

    def scene(self, sid: str) -> None:
        scene = self.story.scenes[sid]
        at: Path_ = ("scenes", sid)
        for i, line in enumerate(scene.lines):
            for who in line:
                if who != NARRATOR and who not in self.story.cast:
                    self.add(
                        "CB011",
                        f"speaker {who!r} is not in the cast",
                        (*at, "lines", i, who),
                        did_you_mean(who, [*self.story.cast, NARRATOR]),
                        key=True,
                    )
        if scene.next is not None:
            self.target(scene.next, (*at, "next"), "'next'")
        for i, route in enumerate(scene.route):
            self.target(route.goto, (*at, "route", i, "goto"), "route")
            self.condition(route.condition, (*at, "route", i, "if"))
        if scene.ending is not None and not scene.ending.epilogue.strip():
            self.add(
                "CB027",
                "ending has no epilogue",
                (*at, "ending"),
                "say what happened months later",
                severity=W,
                key=True,
            )
        seen_ids: dict[str, int] = {}
        seen_text: dict[str, int] = {}
        for i, choice in enumerate(scene.choices):
            cat: Path_ = (*at, "choices", i)
            if choice.id in seen_ids:
                self.add(
                    "CB007",
                    f"choice id {choice.id!r} is used twice in scene {sid!r}",
                    (*cat, "id"),
                    f"first used by choice {seen_ids[choice.id] + 1}",
                )
            seen_ids.setdefault(choice.id, i)
            folded = " ".join(choice.text.lower().split())
            if folded in seen_text:
                self.add(
                    "CB028",
                    "two choices in this scene have the same text",
                    (*cat, "text"),
                    f"same as choice {seen_text[folded] + 1}",
                    severity=W,
                )
            seen_text.setdefault(folded, i)
            # (each check's path is built only when there is something to report:
            # a 10,000-scene story has 30,000 choices)
            if choice.goto not in self.story.scenes:
                self.target(choice.goto, (*cat, "goto"), "choice")
            if choice.condition is not None:
                self.condition(choice.condition, (*cat, "if"))
            for tag_i, tag in enumerate(choice.tags):
                if tag not in self.story.tags:
                    self.tag(tag, (*cat, "tags", tag_i))
            if not choice.feedback.strip():
                self.add(
                    "CB026",
                    f"choice {choice.id!r} has no feedback",
                    cat,
                    "add 'feedback:' saying why it helps or hurts",
                    severity=W,
                )
            for name, amount in choice.effects.items():
                kind = self.kinds.get(name)
                if kind is None:
                    self.name(name, (*cat, "effects", name), "effect on")
                elif kind == "int" and isinstance(amount, bool):
                    self.add(
                        "CB013",
                        f"{name!r} is a meter: give a number, not {str(amount).lower()}",
                        (*cat, "effects", name),
                    )
                elif kind == "bool" and not isinstance(amount, bool):
                    self.add(
                        "CB013",
                        f"{name!r} is a flag: give true or false, not {amount}",
                        (*cat, "effects", name),
                    )

    def route_loops(self) -> None:
        routes = {sid: [r.goto for r in s.route] for sid, s in self.story.scenes.items() if s.route}
        for sid in routes:
            stack, seen = list(routes[sid]), set()
            while stack:
                current = stack.pop()
                if current == sid:
                    self.add(
                        "CB016",
                        f"route scenes loop back to {sid!r}",
                        ("scenes", sid),
                        "make one route lead to a scene with choices",
                        key=True,
                    )
                    break
                if current in routes and current not in seen:
                    seen.add(current)
                    stack.extend(routes[current])

    def assertion_names(self) -> None:
        for i, rule in enumerate(self.story.assertions):
            at: Path_ = ("assertions", i)
            ending_id = rule.reachable or (rule.score.ending if rule.score else None)
            if ending_id is not None:
                kind = "reachable" if rule.reachable else "score"
                path = (*at, kind) if rule.reachable else (*at, "score", "ending")
                scene = self.story.scenes.get(ending_id)
                if scene is None or scene.ending is None:
                    endings = [s for s, sc in self.story.scenes.items() if sc.ending]
                    self.add(
                        "CB010",
                        f"{ending_id!r} is not an ending",
                        path,
                        did_you_mean(ending_id, endings),
                    )
            tags: list[tuple[str, Path_]] = []
            if rule.never:
                tags.append((rule.never.after, (*at, "never", "after")))
            if rule.can_reach:
                tags += [
                    (t, (*at, "can_reach", "unless", j))
                    for j, t in enumerate(rule.can_reach.unless)
                ]
            if rule.better:
                tags += [
                    (rule.better.tag, (*at, "better", "tag")),
                    (rule.better.than, (*at, "better", "than")),
                ]
            for tag, path in tags:
                self.tag(tag, path)


def import_combinations(story: Story) -> list[dict[str, int | bool]]:
    """Every start the story can have: one per combination of imported flags.

    A campaign story can start from any saved profile, so its checks must hold for
    all of them (imported meters start at their declared value).
    """
    imported = [n for n in (story.campaign.imports if story.campaign else []) if n in story.flags]
    combos = itertools.islice(itertools.product([False, True], repeat=len(imported)),
                              MAX_IMPORT_COMBINATIONS)
    return [dict(zip(imported, combo, strict=True)) for combo in combos]


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

    def __init__(self, story: Story, smap: SourceMap, limit: int,
                 space: Space | None = None) -> None:
        self.story = story
        self.smap = smap
        self.limit = limit
        self.space = space or build(story, import_combinations(story), limit)
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
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.found.append(Diagnostic(code, message, self.smap.at(where, key=True), hint, severity))

    def run(self) -> list[Diagnostic]:
        if self.graph.truncated:
            self.add(
                "CB031",
                f"more than {self.limit:,} reachable states: checks are partial",
                ("scenes",),
                severity=W,
            )
            return self.found
        self.reachability()
        self.stuck()
        self.clamped()
        for i in range(len(self.story.assertions)):
            self.assertion(i)
        return self.found

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
                self.add(
                    "CB023", f"ending {sid!r} can never be reached", ("scenes", sid), severity=W
                )
            else:
                self.add(
                    "CB020",
                    f"scene {sid!r} can never be reached",
                    ("scenes", sid),
                    "link to it from a choice, or remove it",
                    severity=W,
                )

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
                         f"meter's bound", ("scenes", sid, "choices", index, "effects", name),
                         "use a smaller number", severity=W)

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

    def can_reach(self, index: int, outcome: Outcome, unless: frozenset[str]) -> None:
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
        scenes = self.story.scenes

        def after(wanted: str) -> tuple[int | None, str]:
            def tagged_choice(sid: str, move: str) -> bool:
                return any(c.id == move and wanted in c.tags for c in scenes[sid].choices)

            result = self.space.runs_taking(tagged_choice, best=True)
            return result.score, " -> ".join(result.path)

        mine, _ = after(tag)
        theirs, path = after(than)
        if mine is None or (theirs is not None and theirs >= mine):
            self.fail(index, f"best score after '{tag}' is {mine}, not above the {theirs} "
                      f"still reachable after '{than}'", path)


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


def check_story(
    story: Story, smap: SourceMap, *, analyse: bool = True, limit: int = DEFAULT_LIMIT
) -> list[Diagnostic]:
    """Return every diagnostic for a model-valid story (errors first stop analysis)."""
    found = _Checker(story, smap).run()
    if analyse and not any(d.severity is Severity.ERROR for d in found):
        found += _Analysis(story, smap, limit).run()
    return found


def check_playable(
    story: Story, smap: SourceMap, imports: dict[str, int | bool] | None = None
) -> list[Diagnostic]:
    """Errors that would strand this player: dead ends, traps, no ending.

    A cheaper check than the full analysis, run before play from the player's own
    start (their campaign imports): it explores the states conditions can tell apart
    (cached on the story, and reused for the debrief's "best still reachable"
    figures) but builds no score tables.
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
