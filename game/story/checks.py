"""Checks that need the whole story but no analysis: names, targets, conditions.

:func:`check_story` runs after the model has validated: every name a scene, choice,
condition or assertion uses must be declared, every target must be a scene, and
route scenes must not loop. Checks that need every reachable state (dead ends,
traps, unreachable scenes, the story's assertions) are in :mod:`game.analysis.checks`.
:func:`band_problems` checks the score bands of a story or rubric file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from game.story import expr
from game.story.diagnostics import Diagnostic, Location, did_you_mean
from game.story.model import NARRATOR, Band, Bands, Flag, Outcome, Story
from game.story.source import Path_, SourceMap


class _Checker:
    def __init__(self, story: Story, smap: SourceMap, unknown: frozenset[str]) -> None:
        self.story = story
        self.smap = smap
        self.unknown = unknown
        """Top-level keys already reported as wrong (see check_story): nothing is checked
        against them."""
        self.names_known = not unknown & {"meters", "flags"}
        self.found: list[Diagnostic] = []
        self.kinds: dict[str, expr.Kind] = {m: "int" for m in story.meters}
        self.kinds.update({f: "bool" for f in story.flags})
        self.kinds.setdefault(expr.SCORE, "int")  # (a meter or flag of that name is CB017)

    def add(
        self,
        code: str,
        message: str,
        where: Path_ | Location,
        hint: str = "",
        *,
        key: bool = False,
    ) -> None:
        location = where if isinstance(where, Location) else self.smap.at(where, key=key)
        self.found.append(Diagnostic(code, message, location, hint))

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
            tree = expr.parse(text)
            if self.names_known:
                expr.check(tree, self.kinds)
        except expr.ExprError as error:
            base = self.smap.at(where)
            quoted = self.smap.style(where) in ("'", '"')
            location = Location(base.path, base.line, base.col + error.offset + int(quoted))
            word = error.message.split("'")[1] if "is not a meter" in error.message else ""
            if word:
                self.add("CB011", error.message, location, did_you_mean(word, self.kinds))
            else:
                self.add("CB012", f"bad condition: {error.message}", location, error.hint)

    def tag(self, tag: str, where: Path_) -> None:
        if tag not in self.story.tags and "tags" not in self.unknown:
            self.add(
                "CB015",
                f"unknown tag {tag!r}",
                where,
                did_you_mean(tag, self.story.tags),
            )

    def caller(self, who: str, where: Path_) -> None:
        """An incoming call's caller: someone in the cast, and not the player."""
        if who == self.story.player:
            others = [p for p in self.story.cast if p != who]
            self.add("CB011", f"the caller {who!r} is the player: the call comes from someone"
                     " else", where, f"name who is calling, e.g. {others[0]!r}" if others else "")
        elif who not in self.story.cast:
            self.add("CB011", f"caller {who!r} is not in the cast", where,
                     did_you_mean(who, self.story.cast))

    def name(self, name: str, where: Path_, what: str) -> None:
        if name not in self.kinds and self.names_known:
            self.add(
                "CB011",
                f"{what} {name!r} is not a meter or flag",
                where,
                did_you_mean(name, self.kinds),
                key=True,
            )

    def run(self) -> list[Diagnostic]:
        story = self.story
        if "start" not in self.unknown:
            self.target(story.start, ("start",), "'start'")
        if story.player not in story.cast and "cast" not in self.unknown:
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
                if who != NARRATOR and who not in self.story.cast and "cast" not in self.unknown:
                    self.add(
                        "CB011",
                        f"speaker {who!r} is not in the cast",
                        (*at, "lines", i, who),
                        did_you_mean(who, [*self.story.cast, NARRATOR]),
                        key=True,
                    )
        if scene.ring is not None and "cast" not in self.unknown:
            self.caller(scene.ring.caller, (*at, "ring", "caller"))
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
                self.add("CB026", f"choice {choice.id!r} has no feedback", cat)
            for name, amount in choice.effects.items() if self.names_known else ():
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


def check_story(story: Story, smap: SourceMap, *,
                unknown: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Return every diagnostic of a model-valid story that needs no analysis.

    ``unknown`` names top-level keys ('cast', 'start', 'meters', 'flags', ...) that a
    story with errors had wrong and that were replaced to check the rest of it: the
    checks that read them are skipped, so one mistake is reported once.
    """
    return _Checker(story, smap, unknown).run()


def band_problems(own: Bands | None, bands: Bands, flags: Mapping[str, Flag],
                  names: Iterable[tuple[str, str]], smap: SourceMap) -> list[Diagnostic]:
    """CB017: bands that do not run from 0 to 100 in door order, and floors that break them.

    Run on each file for what that file declares: ``own`` its bands (None: none),
    ``bands`` the ones its scores keep, ``flags`` its flags, ``names`` its meters and
    flags as ``(section, name)``. A floor flag's cap must lie in the band of the door
    it forces, so that a floor lowers the score and the door together.
    """
    found: list[Diagnostic] = []

    def add(message: str, where: Path_, hint: str, *, key: bool = False) -> None:
        found.append(Diagnostic("CB017", message, smap.at(where, key=key), hint))

    previous: tuple[Outcome, Band] | None = None
    for outcome in Outcome:
        if own is None:
            break
        band = own.of(outcome)
        at = ("bands", outcome.value)
        if band.min > band.max:
            add(f"band {outcome.value} starts at {band.min}, above its end {band.max}",
                (*at, "min"), "give each band min <= max")
        if previous is None:
            if band.min != 0:
                add(f"band closed starts at {band.min}: the bands must start at 0",
                    (*at, "min"), "set closed: {min: 0, ...}")
        else:
            name, before = previous[0].value, previous[1]
            if band.min > before.max + 1:
                add(f"no door for scores {before.max + 1}-{band.min - 1}: {name} ends at "
                    f"{before.max} and {outcome.value} starts at {band.min}", (*at, "min"),
                    f"start {outcome.value} at {before.max + 1}")
            elif band.min <= before.max:
                add(f"scores {band.min}-{before.max} are in two bands: {name} ends at "
                    f"{before.max} and {outcome.value} starts at {band.min}", (*at, "min"),
                    f"start {outcome.value} at {before.max + 1}")
        previous = (outcome, band)
    if own is not None and own.open.max != 100:
        add(f"band open ends at {own.open.max}: the bands must end at 100",
            ("bands", "open", "max"), "set open: {..., max: 100}")
    for name, flag in flags.items():
        if flag.forces_outcome is None or flag.max_score is None:
            continue
        band = bands.of(flag.forces_outcome)
        if not band.holds(flag.max_score):
            add(f"flag {name!r} caps the score at {flag.max_score}, outside the "
                f"{flag.forces_outcome.value} band ({band}) of the door it forces",
                ("flags", name, "max_score"), f"cap it between {band.min} and {band.max}")
    for section, name in names:
        if name == expr.SCORE:
            add(f"'{name}' is the overall score in conditions, so no {section[:-1]} may be "
                "called that", (section, name), f"rename the {section[:-1]}", key=True)
    return found
