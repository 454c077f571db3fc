"""``callback analyze``: exact facts about every possible playthrough of a story.

Everything comes from :mod:`game.analysis.space`: the control graph (built once, with
memoisation) and exact best-first score searches over it; nothing enumerates
paths. Where the control graph is larger than the limit, or a search exhausts its
budget, the results are bounds and the report says ``exact: false``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple, TextIO

from game.analysis.reach import DEFAULT_LIMIT, StateGraph, components
from game.analysis.space import build
from game.authoring.stories import open_story
from game.engine.compiled import CompiledStory
from game.engine.engine import advance, choose, start
from game.engine.state import Phase
from game.exits import EXIT_INVALID, EXIT_OK
from game.story.words import WORDS_PER_MINUTE, count_words, word_count


def run_words(story: CompiledStory, path: list[str] | tuple[str, ...],
              imports: dict[str, int | bool] | None = None) -> int:
    """Words a player reads on one run (the given choice ids; continues are followed)."""
    state = start(story, imports)
    texts: list[str] = []
    moves = list(path)
    while True:
        scene = story.model.scenes[state.scene]
        texts += [text for line in scene.lines for text in line.values()]
        if state.phase is Phase.ENDED:
            ending = scene.ending
            assert ending is not None
            texts += [ending.title, ending.time_skip, ending.epilogue, ending.lesson]
            break
        if state.phase is Phase.READING:
            state = advance(story, state)
            continue
        if not moves:
            break
        move = moves.pop(0)
        texts += [c.text for c in scene.choices if c.id == move]
        state = choose(story, state, move)
    return count_words(texts)


def count_playthroughs(graph: StateGraph) -> int | None:
    """Count distinct complete playthroughs (None: infinitely many, through a loop)."""
    comp, order = components(graph)
    endings_below: list[bool] = [False] * len(graph.keys)
    counts: list[int] = [0] * len(graph.keys)
    for members in order:
        looped = len(members) > 1 or any(t == members[0] for _, t in graph.edges[members[0]])
        node = members[0]
        reach = any(graph.is_ending(m) for m in members) or any(
            endings_below[t] for m in members for _, t in graph.edges[m]
        )
        for member in members:
            endings_below[member] = reach
        if looped:
            if reach:
                return None
            continue
        counts[node] = int(graph.is_ending(node)) + sum(counts[t] for _, t in graph.edges[node])
    return counts[0]


@dataclass(frozen=True)
class Run:
    """A score and a run that gets it (choice ids; None for the score: no run ends)."""

    score: int | None
    path: tuple[str, ...]


class DoorRange(NamedTuple):
    """The runs that end at an ending with one door: their lowest and highest score."""

    door: str
    min_score: int | None
    max_score: int | None


class EndingRange(NamedTuple):
    """One ending: whether any run reaches it, and the lowest and highest score there.

    ``doors`` splits the runs by the door they end with (a floor flag can lower the
    ending's own), best door first; each range should lie in its door's band (CB032).
    """

    id: str
    title: str
    outcome: str
    reachable: bool
    min_score: int | None
    max_score: int | None
    doors: tuple[DoorRange, ...] = ()


class ChoiceImpact(NamedTuple):
    """One choice: the best and worst final score of runs that take it.

    ``cost`` is the best score given up by taking it rather than the best choice of
    its scene (None if no run takes it). (A named tuple, as the searches' results
    are: a 10,000-scene story has 30,000 choices.)
    """

    scene: str
    id: str
    text: str
    tags: tuple[str, ...]
    reachable: bool
    best_after: int | None
    worst_after: int | None
    cost: int | None


@dataclass(frozen=True)
class Analysis:
    """Exact facts about every playthrough of a story (bounds where ``exact`` is false)."""

    story: str
    exact: bool
    states: int
    tracked_meters: tuple[str, ...]  # the meters conditions read
    scenes: int
    choices: int
    endings_total: int
    words: int
    reading_minutes: float
    minutes_per_run: float
    playthroughs: int | None  # None: a loop repeats, or the state limit was reached
    best: Run
    worst: Run
    endings: tuple[EndingRange, ...]
    choice_impact: tuple[ChoiceImpact, ...]  # the costliest first
    meters: dict[str, tuple[int, int]]  # lowest and highest value any run reaches

    def to_json(self) -> dict[str, Any]:
        """The analysis as ``callback analyze --json`` prints it."""
        return {
            "story": self.story,
            "exact": self.exact,
            "states": self.states,
            "tracked_meters": list(self.tracked_meters),
            "scenes": self.scenes,
            "choices": self.choices,
            "endings_total": self.endings_total,
            "words": self.words,
            "reading_minutes": self.reading_minutes,
            "minutes_per_run": self.minutes_per_run,
            "playthroughs": self.playthroughs,
            "best": {"score": self.best.score, "path": list(self.best.path)},
            "worst": {"score": self.worst.score, "path": list(self.worst.path)},
            "endings": [{**e._asdict(), "doors": [d._asdict() for d in e.doors]}
                        for e in self.endings],
            "choice_impact": [
                {"scene": c.scene, "id": c.id, "text": c.text, "tags": list(c.tags),
                 "reachable": c.reachable, "best_after": c.best_after,
                 "worst_after": c.worst_after, "cost": c.cost}
                for c in self.choice_impact
            ],
            "meters": {name: {"min": low, "max": high}
                       for name, (low, high) in self.meters.items()},
        }


def analyze(compiled: CompiledStory, limit: int = DEFAULT_LIMIT,
            imports: dict[str, int | bool] | None = None) -> Analysis:
    """Return exact facts about every playthrough (see ``callback analyze``).

    ``imports``: start as a campaign profile with these values would (default: fresh).
    """
    space = build(compiled, [imports or {}], limit)
    story = compiled.model
    graph = space.graph
    words = word_count(story)

    exact = space.exact
    ranges: dict[str, tuple[int, int]] = {}
    for i, name in enumerate(space.rules.meter_names):  # the meters conditions read
        seen = {key[1][i] for key in graph.keys}
        ranges[name] = (min(seen), max(seen))
    for name in space.free:
        ranges[name] = space.free_range(name)
    reached = {key[0] for key in graph.keys}
    doors = space.ending_doors()

    endings = []
    for sid, scene in story.scenes.items():
        if scene.ending is None:
            continue
        low_run, high_run = space.ending_range(sid) if sid in reached else (None, None)
        exact = exact and all(r.exact for r in (low_run, high_run) if r)
        low, high = (low_run.score if low_run else None), (high_run.score if high_run else None)
        by_door = []
        for door in doors.get(sid, []):
            if len(doors[sid]) == 1:
                by_door.append(DoorRange(door.value, low, high))
                continue
            runs = space.ending_range(sid, door)
            exact = exact and all(r.exact for r in runs)
            by_door.append(DoorRange(door.value, runs[0].score, runs[1].score))
        endings.append(EndingRange(sid, scene.ending.title, scene.ending.outcome.value,
                                   sid in reached, low, high, tuple(by_door)))

    extremes = space.choice_extremes()
    choices: list[ChoiceImpact] = []
    for sid, scene in story.scenes.items():
        found = [(choice, *extremes.get((sid, choice.id), (None, None)))
                 for choice in scene.choices]
        top = max((high.score for _, high, _ in found if high and high.score is not None),
                  default=None)
        for choice, high_run, low_run in found:
            if (high_run is not None and not high_run.exact) or (
                    low_run is not None and not low_run.exact):
                exact = False
            best = high_run.score if high_run else None
            choices.append(ChoiceImpact(
                sid, choice.id, choice.text, tuple(choice.tags), high_run is not None, best,
                low_run.score if low_run else None,
                top - best if best is not None and top is not None else None))
    best_run, worst_run = space.extreme(best=True), space.extreme(best=False)
    return Analysis(
        story=story.id,
        exact=exact and best_run.exact and worst_run.exact,
        states=len(graph.keys),
        tracked_meters=tuple(space.rules.meter_names),
        scenes=len(story.scenes),
        choices=sum(len(s.choices) for s in story.scenes.values()),
        endings_total=len(endings),
        words=words,
        reading_minutes=round(words / WORDS_PER_MINUTE, 1),
        minutes_per_run=round(
            run_words(compiled, best_run.path, imports) / WORDS_PER_MINUTE
            + len(best_run.path) / 6, 1
        ),
        playthroughs=count_playthroughs(graph) if space.exact else None,
        best=Run(best_run.score, tuple(best_run.path)),
        worst=Run(worst_run.score, tuple(worst_run.path)),
        endings=tuple(endings),
        choice_impact=tuple(sorted(choices, key=lambda c: -(c.cost or 0))),
        meters={name: ranges[name] for name in story.meters if name in ranges},
    )


def analysis_json(analysis: Analysis) -> str:
    """The analysis as JSON: indented, with each ending and choice on a line of its own.

    (``json.dumps(indent=2)`` runs in Python, and spent a quarter of a second on the
    30,000 choices of a 10,000-scene story; a compact dump per row runs in C.)
    """
    fields = []
    for key, value in analysis.to_json().items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            rows = ",\n".join("    " + json.dumps(row) for row in value)
            fields.append(f"  {json.dumps(key)}: [\n{rows}\n  ]")
        else:
            fields.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def format_analysis(analysis: Analysis) -> str:
    """Return the analysis as readable text."""
    approx = "" if analysis.exact else " (APPROXIMATE: state limit reached)"
    plays = analysis.playthroughs
    lines = [
        f"{analysis.story}: {analysis.scenes} scenes, {analysis.choices} choices, "
        f"{analysis.endings_total} endings, {analysis.words} words in all "
        f"(~{analysis.minutes_per_run} min per playthrough){approx}",
        f"reachable states: {analysis.states}; distinct playthroughs: "
        f"{'infinite (a loop can repeat)' if plays is None and analysis.exact else plays}",
        f"best score {analysis.best.score}: {' -> '.join(analysis.best.path)}",
        f"worst score {analysis.worst.score}: {' -> '.join(analysis.worst.path)}",
        "",
        "endings:",
    ]
    for ending in analysis.endings:
        span = (f"{ending.min_score}-{ending.max_score}" if ending.reachable
                else "UNREACHABLE")
        lowered = [f"{d.door} {d.min_score}-{d.max_score}" for d in ending.doors
                   if d.door != ending.outcome]
        also = f" (lowered by floors: {', '.join(lowered)})" if lowered else ""
        lines.append(f"  {ending.id:<28} {ending.outcome:<7} score {span}{also}")
    lines += ["", "choices that matter most (best score given up by taking them):"]
    for choice in analysis.choice_impact[:12]:
        if choice.reachable:
            lines.append(
                f"  -{choice.cost:<3} {choice.scene}/{choice.id}: best "
                f"{choice.best_after}, worst {choice.worst_after}"
            )
    lines += ["", "meter ranges:"]
    for name, (low, high) in analysis.meters.items():
        lines.append(f"  {name:<12} {low}..{high}")
    return "\n".join(lines) + "\n"


def analyze_command(story: str, *, as_json: bool, limit: int, workers: int, out: TextIO,
                    err: TextIO) -> int:
    """``callback analyze``: print the analysis of the story ``story`` names."""
    result = open_story(story, err, workers)
    if result is None or result.compiled is None:
        return EXIT_INVALID
    found = analyze(result.compiled, limit=limit)
    out.write(analysis_json(found) if as_json else format_analysis(found))
    return EXIT_OK
