"""``callback simulate``: seeded simulated players and what their runs add up to.

A persona is a set of tag weights: at each decision it picks among the available
choices at random, each weighted by the highest weight among its tags (1 if none
of its tags is listed). ``random`` weighs every choice equally; ``best`` and
``worst`` always take the choice that keeps the best (or worst) final score
reachable. The same seed always gives the same runs.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from game.analysis.space import space_for
from game.authoring.personas import Personas, parse_imports, read_personas
from game.authoring.stories import open_story
from game.engine.compiled import CompiledStory
from game.engine.rules import Key
from game.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from game.story.model import Choice, Story

BUILT_IN = ("random", "best", "worst")
MAX_STEPS = 500
LIST_LIMIT = 20
"""Most scene or choice ids a text summary lists before "and N more"."""


class PersonaError(ValueError):
    """An unknown persona name."""


def personas(story: Story, extra: Mapping[str, Mapping[str, float]] | None = None) -> list[str]:
    """Return every persona name available for a story."""
    return [*BUILT_IN, *story.personas, *(extra or {})]


Picker = Callable[[Key, list[tuple[Choice, Key]]], int]


def _picker(compiled: CompiledStory, name: str, rng: random.Random,
            extra: Mapping[str, Mapping[str, float]],
            imports: Mapping[str, int | bool]) -> Picker:
    story, rules = compiled.model, compiled.rules
    if name in ("best", "worst"):
        space = space_for(compiled, imports)

        def extreme(_: Key, options: list[tuple[Choice, Key]]) -> int:
            def value(item: tuple[Choice, Key]) -> int:
                key = item[1]
                meters = dict(zip(rules.meter_names, key[1], strict=True))
                flags = dict(zip(rules.flag_names, key[2], strict=True))
                node = space.project(meters, flags, key[0])
                found = None
                if node is not None:
                    xs = space.free_values(meters)
                    extreme_from = (space.best_from_state if name == "best"
                                    else space.worst_from_state)
                    found = extreme_from(node, xs)
                if found is None:
                    return -1 if name == "best" else 101
                return found

            values = [value(option) for option in options]
            target = max(values) if name == "best" else min(values)
            return values.index(target)

        return extreme
    if name == "random":
        weights_of: Mapping[str, float] = {}
    elif name in extra:
        weights_of = extra[name]
    elif name in story.personas:
        weights_of = story.personas[name]
    else:
        raise PersonaError(
            f"unknown persona {name!r}; choose from {', '.join(personas(story, extra))}"
        )

    def weighted(_: Key, options: list[tuple[Choice, Key]]) -> int:
        weights = [max((weights_of.get(t, 0.0) for t in c.tags), default=0.0) or 1.0
                   for c, _ in options]
        return rng.choices(range(len(options)), weights=weights)[0]

    return weighted


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

    ``imports`` are campaign values to start from, as if from a saved profile.
    """
    story, rules = compiled.model, compiled.rules
    rng = random.Random(seed)
    pick = _picker(compiled, persona, rng, extra or {}, imports or {})
    endings: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    scores: list[int] = []
    scenes_seen: set[str] = set()
    choices_seen: set[tuple[str, str]] = set()
    stuck = 0
    began = clock()
    for _ in range(runs):
        key = rules.initial(imports)
        for _step in range(MAX_STEPS):
            scenes_seen.add(key[0])
            scene = rules.scene(key)
            if scene.ending is not None:
                endings[key[0]] += 1
                outcome = rules.outcome(key)
                outcomes[outcome.value if outcome else "?"] += 1
                scores.append(rules.final_score(key))
                break
            if scene.next is not None:
                key = rules.enter(scene.next, key[1], key[2])
                continue
            options = [(c, rules.apply(key, c)[0]) for c, ok in rules.choices(key) if ok]
            if not options:
                stuck += 1
                break
            choice, next_key = options[pick(key, options)]
            choices_seen.add((key[0], choice.id))
            key = next_key
        else:
            stuck += 1
    elapsed = max(clock() - began, 1e-9)
    all_choices = [(sid, c.id) for sid, s in story.scenes.items() for c in s.choices]
    shown = [sid for sid, scene in story.scenes.items() if not scene.route]
    return Simulation(
        story=story.id,
        persona=persona,
        runs=runs,
        seed=seed,
        imports=dict(imports or {}),
        endings=dict(endings.most_common()),
        outcomes={k: outcomes.get(k, 0) for k in ("open", "ajar", "shut", "closed")},
        score=ScoreSummary.of(scores),
        stuck=stuck,
        coverage=Coverage(
            scenes_visited=len(scenes_seen & set(shown)),
            scenes_shown=len(shown),
            choices_taken=len(choices_seen),
            choices_total=len(all_choices),
            scenes_never_visited=tuple(sorted(set(shown) - scenes_seen)),
            route_scenes=len(story.scenes) - len(shown),
            choices_never_taken=tuple(f"{s}/{c}" for s, c in all_choices
                                      if (s, c) not in choices_seen),
        ),
        playthroughs_per_second=round(runs / elapsed),
    )


def format_simulation(result: Simulation) -> str:
    """Return a simulation summary as readable text."""
    score, cover = result.score, result.coverage
    lines = [
        f"{result.story}: {result.runs} runs as '{result.persona}' (seed {result.seed}), "
        f"{result.playthroughs_per_second:,} playthroughs/s",
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
