"""``callback simulate``: seeded simulated players and what their runs add up to.

A persona is a set of tag weights: at each decision it picks among the available
choices at random, each weighted by the highest weight among its tags (1 if none
of its tags is listed). ``random`` weighs every choice equally; ``best`` and
``worst`` always take the choice that keeps the best (or worst) final score
reachable. The same seed always gives the same runs.

A *step* is one move of a run: a choice taken, or a reading scene's "continue"
followed (with any route scenes it passes through). Each step enters the next shown
scene; the opening scene is not a step, so a run that ends after ``k`` moves counts
``k`` steps, and one cut off at :data:`MAX_STEPS` counts that many. The speed is
reported both ways: playthroughs per second and steps per second.

A weighted persona computes the next key of the choice it takes only (the scenes,
their choices, conditions, effects and weights are compiled once, the first time a
run enters each scene); ``best`` and ``worst`` score every available choice's next
key first, so they are slower.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from math import isfinite
from typing import Any, TextIO

from game.analysis.space import space_for
from game.authoring.personas import Personas, parse_imports, read_personas
from game.authoring.stories import open_story
from game.engine.compiled import CompiledStory
from game.engine.rules import Key, MeterEffect, Rules, add_effects, set_flags
from game.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from game.story import expr
from game.story.model import Choice, Story

BUILT_IN = ("random", "best", "worst")
MAX_STEPS = 500
"""Most steps (moves) a run takes before it counts as stuck."""
LIST_LIMIT = 20
"""Most scene or choice ids a text summary lists before "and N more"."""


class PersonaError(ValueError):
    """An unknown persona name."""


def personas(story: Story, extra: Mapping[str, Mapping[str, float]] | None = None) -> list[str]:
    """Return every persona name available for a story."""
    return [*BUILT_IN, *story.personas, *(extra or {})]


Picker = Callable[[Key, list[tuple[Choice, Key]]], int]


def _extreme_picker(compiled: CompiledStory, name: str,
                    imports: Mapping[str, int | bool]) -> Picker:
    """``best`` or ``worst``: the option whose next key keeps that final score reachable."""
    rules = compiled.rules
    space = space_for(compiled, imports)
    extreme_from = space.best_from_state if name == "best" else space.worst_from_state
    missing = -1 if name == "best" else 101

    def value(key: Key) -> int:
        meters = dict(zip(rules.meter_names, key[1], strict=True))
        flags = dict(zip(rules.flag_names, key[2], strict=True))
        node = space.project(meters, flags, key[0])
        found = None if node is None else extreme_from(node, space.free_values(meters))
        return missing if found is None else found

    def extreme(_: Key, options: list[tuple[Choice, Key]]) -> int:
        values = [value(option[1]) for option in options]
        return values.index(max(values) if name == "best" else min(values))

    return extreme


def _weights_of(story: Story, name: str,
                extra: Mapping[str, Mapping[str, float]]) -> Mapping[str, float]:
    """A weighted persona's tag weights (``random``: none, so every choice weighs 1)."""
    if name == "random":
        return {}
    if name in extra:
        return extra[name]
    if name in story.personas:
        return story.personas[name]
    raise PersonaError(
        f"unknown persona {name!r}; choose from {', '.join(personas(story, extra))}"
    )


def _weight(choice: Choice, weights_of: Mapping[str, float]) -> float:
    """A choice's weight: the highest weight among its tags, 1 if none is listed."""
    return max((weights_of.get(t, 0.0) for t in choice.tags), default=0.0) or 1.0


@dataclass
class _Tally:
    """What the runs so far add up to."""

    rules: Rules
    endings: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    scores: list[int] = field(default_factory=list)
    scenes: set[str] = field(default_factory=set)
    choices: set[tuple[str, str]] = field(default_factory=set)
    stuck: int = 0
    steps: int = 0
    finals: dict[Key, tuple[str, int]] = field(default_factory=dict)

    def end(self, key: Key, steps: int) -> None:
        """Count a run that reached the ending ``key`` after ``steps`` steps."""
        final = self.finals.get(key)
        if final is None:
            outcome = self.rules.outcome(key)
            final = (outcome.value if outcome else "?", self.rules.final_score(key))
            self.finals[key] = final
        self.endings[key[0]] += 1
        self.outcomes[final[0]] += 1
        self.scores.append(final[1])
        self.steps += steps

    def cut(self, steps: int) -> None:
        """Count a run that got stuck (no choice left, or :data:`MAX_STEPS` taken)."""
        self.stuck += 1
        self.steps += steps


def _scored_run(rules: Rules, start: Key, pick: Picker, tally: _Tally) -> None:
    """One run that weighs every available option's next key (``best``, ``worst``)."""
    key = start
    for steps in range(MAX_STEPS):
        tally.scenes.add(key[0])
        scene = rules.scene(key)
        if scene.ending is not None:
            tally.end(key, steps)
            return
        if scene.next is not None:
            key = rules.enter(scene.next, key[1], key[2])
            continue
        options = [(c, rules.step(key, c)) for c, ok in rules.choices(key) if ok]
        if not options:
            tally.cut(steps)
            return
        choice, next_key = options[pick(key, options)]
        tally.choices.add((key[0], choice.id))
        key = next_key
    tally.cut(MAX_STEPS)


class _Move:
    """A choice (or a "continue") compiled for the weighted walk."""

    __slots__ = ("flags", "goto", "meters", "routed", "seen", "target", "test")
    seen: tuple[str, str]
    test: expr.Compiled | None
    meters: tuple[MeterEffect, ...]
    flags: tuple[tuple[int, bool], ...]

    def __init__(self, rules: Rules, scene_id: str, choice: Choice | None, goto: str) -> None:
        if choice is None:
            self.seen, self.test, self.meters, self.flags = (scene_id, ""), None, (), ()
        else:
            self.seen = (scene_id, choice.id)  # (what taking it adds to the coverage)
            condition = choice.condition
            self.test = None if condition is None else rules.condition(condition)
            self.meters, self.flags = rules.effects(choice)
        self.goto = goto
        self.routed = bool(rules.story.scenes[goto].route)
        self.target: _Scene | None = None  # the scene it enters, once known (not routed)


Options = tuple[tuple[_Move, ...], list[float], float, int]
"""The available moves with their cumulative weights, total and last index."""


class _Scene:
    """A shown scene compiled for the weighted walk (built when a run first enters it)."""

    __slots__ = ("ending", "fixed", "forward", "id", "masks", "moves", "tests", "weights")

    def __init__(self, rules: Rules, scene_id: str, weights_of: Mapping[str, float]) -> None:
        scene = rules.story.scenes[scene_id]
        self.id = scene_id
        self.ending = scene.ending is not None
        self.forward = (None if self.ending or scene.next is None
                        else _Move(rules, scene_id, None, scene.next))
        choices = [] if self.ending or self.forward else scene.choices
        self.moves = tuple([_Move(rules, scene_id, c, c.goto) for c in choices])
        self.weights = ([_weight(c, weights_of) for c in choices] if weights_of
                        else [1.0] * len(choices))  # (no tag listed: each weighs 1)
        self.tests = tuple([move.test for move in self.moves])
        self.masks: dict[tuple[bool, ...], Options] = {}
        conditional = any(test is not None for test in self.tests)
        self.fixed = None if conditional else _options(self.moves, self.weights)

    def options(self, meters: tuple[int, ...], flags: tuple[bool, ...]) -> Options:
        """The moves whose conditions hold, weighted (kept by which conditions hold)."""
        mask = tuple([t is None or bool(t(meters, flags)) for t in self.tests])
        found = self.masks.get(mask)
        if found is None:
            found = _options(tuple(m for m, ok in zip(self.moves, mask, strict=True) if ok),
                             [w for w, ok in zip(self.weights, mask, strict=True) if ok])
            self.masks[mask] = found
        return found


def _options(moves: tuple[_Move, ...], weights: list[float]) -> Options:
    """Moves with cumulative weights, checked as :meth:`random.Random.choices` checks."""
    if not moves:
        return (), [], 0.0, -1
    cum = list(accumulate(weights))
    total = cum[-1] + 0.0
    if total <= 0.0:
        raise ValueError("Total of weights must be greater than zero")
    if not isfinite(total):
        raise ValueError("Total of weights must be finite")
    return moves, cum, total, len(moves) - 1


class _WeightedWalk:
    """Runs of a weighted persona, taking (and computing) only the chosen move.

    Each pick is the one ``rng.choices(range(n), weights=w)[0]`` makes, as CPython's
    :meth:`random.Random.choices` makes it (one ``rng.random()`` times the total,
    bisected into the running sum of the weights), without building the weights and
    their running sum at every step. ``tests/test_simulate_speed.py`` holds it to a
    reference walk that calls ``rng.choices`` itself.
    """

    def __init__(self, rules: Rules, weights_of: Mapping[str, float], rng: random.Random,
                 tally: _Tally) -> None:
        self.rules, self.weights_of, self.tally = rules, weights_of, tally
        self.random = rng.random
        self.scenes: dict[str, _Scene] = {}

    def scene(self, scene_id: str) -> _Scene:
        """The compiled scene, built the first time a run enters it."""
        found = self.scenes.get(scene_id)
        if found is None:
            found = self.scenes[scene_id] = _Scene(self.rules, scene_id, self.weights_of)
        return found

    def follow(self, move: _Move, meters: tuple[int, ...], flags: tuple[bool, ...]) -> _Scene:
        """The scene a move enters: through its routes, or (then kept) straight there."""
        if move.routed:
            return self.scene(self.rules.enter(move.goto, meters, flags)[0])
        move.target = self.scene(move.goto)
        return move.target

    def run(self, start: Key) -> None:
        """Play one run from ``start`` and count it."""
        tally, seen, taken = self.tally, self.tally.scenes.add, self.tally.choices.add
        rand = self.random
        node, meters, flags = self.scene(start[0]), start[1], start[2]
        for steps in range(MAX_STEPS):
            seen(node.id)
            if node.ending:
                tally.end((node.id, meters, flags), steps)
                return
            move = node.forward
            if move is None:
                moves, cum, total, hi = node.fixed or node.options(meters, flags)
                if not moves:
                    tally.cut(steps)
                    return
                move = moves[bisect(cum, rand() * total, 0, hi)]
                taken(move.seen)
                if move.meters:
                    meters = add_effects(meters, move.meters)
                if move.flags:
                    flags = set_flags(flags, move.flags)
            node = move.target or self.follow(move, meters, flags)
        tally.cut(MAX_STEPS)


@dataclass(frozen=True)
class ScoreSummary:
    """The spread of the runs' final scores (None for each figure if no run ended)."""

    mean: float | None
    stdev: float | None
    min: int | None
    p10: float | None
    p50: float | None
    p90: float | None
    max: int | None

    @classmethod
    def of(cls, scores: list[int]) -> ScoreSummary:
        """Summarise final scores: mean and spread, the 10th, 50th and 90th percentiles."""
        if not scores:
            return cls(None, None, None, None, None, None, None)
        quantiles = (statistics.quantiles(scores, n=20, method="inclusive")
                     if len(scores) > 1 else [])
        return cls(
            mean=round(statistics.fmean(scores), 2),
            stdev=round(statistics.pstdev(scores), 2),
            min=min(scores),
            p10=round(quantiles[1], 1) if quantiles else None,
            p50=round(quantiles[9], 1) if quantiles else None,
            p90=round(quantiles[17], 1) if quantiles else None,
            max=max(scores),
        )


@dataclass(frozen=True)
class Coverage:
    """What the runs reached. Route scenes are passed through, never shown: not counted."""

    scenes_visited: int
    scenes_shown: int
    choices_taken: int
    choices_total: int
    scenes_never_visited: tuple[str, ...]
    route_scenes: int
    choices_never_taken: tuple[str, ...]  # "scene/choice"


@dataclass(frozen=True)
class Simulation:
    """What ``runs`` seeded games with one persona add up to."""

    story: str
    persona: str
    runs: int
    seed: int
    imports: dict[str, int | bool]
    endings: dict[str, int]  # most reached first
    outcomes: dict[str, int]  # open, ajar, shut, closed
    score: ScoreSummary
    stuck: int
    coverage: Coverage
    playthroughs_per_second: int
    steps: int  # moves made in all the runs (see the module docstring); not in the JSON
    steps_per_second: int

    def to_json(self) -> dict[str, Any]:
        """The summary as ``callback simulate --json`` prints it."""
        cover = self.coverage
        return {
            "story": self.story,
            "persona": self.persona,
            "runs": self.runs,
            "seed": self.seed,
            "imports": dict(self.imports),
            "endings": dict(self.endings),
            "outcomes": dict(self.outcomes),
            "score": {"mean": self.score.mean, "stdev": self.score.stdev, "min": self.score.min,
                      "p10": self.score.p10, "p50": self.score.p50, "p90": self.score.p90,
                      "max": self.score.max},
            "stuck": self.stuck,
            "coverage": {
                "scenes": f"{cover.scenes_visited}/{cover.scenes_shown}",
                "choices": f"{cover.choices_taken}/{cover.choices_total}",
                "scenes_never_visited": list(cover.scenes_never_visited),
                "route_scenes": cover.route_scenes,
                "choices_never_taken": list(cover.choices_never_taken),
            },
            "playthroughs_per_second": self.playthroughs_per_second,
            "steps_per_second": self.steps_per_second,
        }


def simulate(
    compiled: CompiledStory,
    *,
    runs: int,
    seed: int,
    persona: str = "random",
    extra: Mapping[str, Mapping[str, float]] | None = None,
    imports: Mapping[str, int | bool] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Simulation:
    """Play ``runs`` seeded games with a persona and summarise them.

    ``imports`` are campaign values to start from, as if from a saved profile. The
    speed counts the runs and their steps (see the module's docstring) over the time
    they took (``clock``), not the set-up (``best`` and ``worst`` explore the story
    first).
    """
    story, rules = compiled.model, compiled.rules
    rng = random.Random(seed)
    tally = _Tally(rules)
    play = _player(compiled, persona, rng, extra or {}, imports or {}, tally)
    began = clock()
    if runs > 0:
        start = rules.initial(imports)
        for _ in range(runs):
            play(start)
    elapsed = max(clock() - began, 1e-9)
    return Simulation(
        story=story.id,
        persona=persona,
        runs=runs,
        seed=seed,
        imports=dict(imports or {}),
        endings=dict(tally.endings.most_common()),
        outcomes={k: tally.outcomes.get(k, 0) for k in ("open", "ajar", "shut", "closed")},
        score=ScoreSummary.of(tally.scores),
        stuck=tally.stuck,
        coverage=_coverage(story, tally.scenes, tally.choices),
        playthroughs_per_second=round(runs / elapsed),
        steps=tally.steps,
        steps_per_second=round(tally.steps / elapsed),
    )


def _player(compiled: CompiledStory, persona: str, rng: random.Random,
            extra: Mapping[str, Mapping[str, float]], imports: Mapping[str, int | bool],
            tally: _Tally) -> Callable[[Key], None]:
    """Play one run from a start key, counting it in ``tally``."""
    rules = compiled.rules
    if persona in ("best", "worst"):
        pick = _extreme_picker(compiled, persona, imports)
        return lambda start: _scored_run(rules, start, pick, tally)
    return _WeightedWalk(rules, _weights_of(compiled.model, persona, extra), rng, tally).run


def _coverage(story: Story, scenes_seen: set[str], choices_seen: set[tuple[str, str]]
              ) -> Coverage:
    """What the runs reached, out of what there is."""
    all_choices = [(sid, c.id) for sid, s in story.scenes.items() for c in s.choices]
    shown = [sid for sid, scene in story.scenes.items() if not scene.route]
    return Coverage(
        scenes_visited=len(scenes_seen & set(shown)),
        scenes_shown=len(shown),
        choices_taken=len(choices_seen),
        choices_total=len(all_choices),
        scenes_never_visited=tuple(sorted(set(shown) - scenes_seen)),
        route_scenes=len(story.scenes) - len(shown),
        choices_never_taken=tuple(f"{s}/{c}" for s, c in all_choices
                                  if (s, c) not in choices_seen),
    )


def format_simulation(result: Simulation) -> str:
    """Return a simulation summary as readable text."""
    score, cover = result.score, result.coverage
    lines = [
        f"{result.story}: {result.runs} runs as '{result.persona}' (seed {result.seed}), "
        f"{result.playthroughs_per_second:,} playthroughs/s, "
        f"{result.steps_per_second:,} steps/s",
        f"score mean {score.mean} (sd {score.stdev}), min {score.min}, "
        f"p10 {score.p10}, median {score.p50}, p90 {score.p90}, max {score.max}",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in result.outcomes.items()),
        "endings: " + ", ".join(f"{k} {v}" for k, v in result.endings.items()),
        f"coverage: scenes {cover.scenes_visited}/{cover.scenes_shown}"
        f"{_routes(cover.route_scenes)}, choices {cover.choices_taken}/{cover.choices_total}",
    ]
    if cover.scenes_never_visited:
        lines.append("scenes never visited: " + _capped(list(cover.scenes_never_visited)))
    if cover.choices_never_taken:
        lines.append("choices never taken (scene/choice): "
                     + _capped(list(cover.choices_never_taken)))
    if result.stuck:
        lines.append(f"stuck runs: {result.stuck}")
    return "\n".join(lines) + "\n"


def _capped(names: list[str], limit: int = LIST_LIMIT) -> str:
    """Join names, listing at most ``limit`` and counting the rest ("and 3 more")."""
    shown = ", ".join(names[:limit])
    rest = len(names) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def _routes(count: int) -> str:
    """Say that route scenes (passed through, never shown) are left out of the count."""
    if not count:
        return ""
    return f" (not counting {count} route scene{'s' if count > 1 else ''})"


def simulate_command(story: str, *, runs: int, seed: int, names: list[str] | None,
                     personas_file: str | None, with_: str | None, as_json: bool,
                     workers: int, out: TextIO, err: TextIO) -> int:
    """``callback simulate``: run each persona on the story ``story`` names and report."""
    if runs < 1:
        err.write(f"callback simulate: --runs must be at least 1 (got {runs})\n")
        return EXIT_USAGE
    result = open_story(story, err, workers)
    if result is None or result.compiled is None:
        return EXIT_INVALID
    compiled = result.compiled
    extra: Personas = {}
    if personas_file:
        found, problems = read_personas(personas_file, compiled.model)
        for diagnostic in problems:
            err.write(diagnostic.format() + "\n")
        if found is None:
            return EXIT_INVALID
        extra = found
    imports = parse_imports(with_ or "")
    campaign = compiled.model.campaign
    unknown = [n for n in imports if not campaign or n not in campaign.imports]
    if unknown:
        err.write(f"callback: --with {', '.join(unknown)}: not imported by this story\n")
        return EXIT_USAGE
    reports = []
    for name in names or ["random"]:
        try:
            reports.append(simulate(compiled, runs=runs, seed=seed, persona=name,
                                    extra=extra, imports=imports))
        except PersonaError as error:
            err.write(f"callback: {error}\n")
            return EXIT_USAGE
    if as_json:
        found_json = [r.to_json() for r in reports]
        out.write(json.dumps(found_json if len(found_json) > 1 else found_json[0], indent=2)
                  + "\n")
    else:
        out.write("\n".join(format_simulation(r) for r in reports))
    return EXIT_OK
