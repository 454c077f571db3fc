"""``callback analyze``: exact facts about every possible playthrough of a story.

Everything comes from :mod:`game.analysis.space`: the control graph (built once, with
memoisation) and exact best-first score searches over it; nothing enumerates
paths. Where the control graph is larger than the limit, or a search exhausts its
budget, the results are bounds and the report says ``exact: false``.
"""

from __future__ import annotations

import json
from typing import Any

from game.analysis.reach import DEFAULT_LIMIT, StateGraph, components
from game.analysis.space import build
from game.engine.compiled import CompiledStory
from game.engine.engine import advance, choose, start
from game.engine.state import Phase
from game.story.words import WORDS_PER_MINUTE, count_words, word_count


def run_words(story: CompiledStory, path: list[str] | tuple[str, ...]) -> int:
    """Words a player reads on one run (the given choice ids; continues are followed)."""
    state = start(story)
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


def analyze(compiled: CompiledStory, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Return the analysis as JSON-able data (see ``callback analyze --json``)."""
    space = build(compiled, [{}], limit)
    story = compiled.model
    graph = space.graph
    words = word_count(story)

    exact = space.exact
    ranges: dict[str, list[int]] = {}
    for i, name in enumerate(space.rules.meter_names):  # the meters conditions read
        seen = {key[1][i] for key in graph.keys}
        ranges[name] = [min(seen), max(seen)]
    for name in space.free:
        ranges[name] = list(space.free_range(name))
    reached = {key[0] for key in graph.keys}

    endings = []
    for sid, scene in story.scenes.items():
        if scene.ending is None:
            continue
        low_run, high_run = space.ending_range(sid) if sid in reached else (None, None)
        exact = exact and all(r.exact for r in (low_run, high_run) if r)
        endings.append({
            "id": sid, "title": scene.ending.title, "outcome": scene.ending.outcome.value,
            "reachable": sid in reached,
            "min_score": low_run.score if low_run else None,
            "max_score": high_run.score if high_run else None,
        })

    extremes = space.choice_extremes()
    choices: list[dict[str, Any]] = []
    for sid, scene in story.scenes.items():
        rows: list[dict[str, Any]] = []
        for choice in scene.choices:
            high_run, low_run = extremes.get((sid, choice.id), (None, None))
            if (high_run is not None and not high_run.exact) or (
                    low_run is not None and not low_run.exact):
                exact = False
            rows.append({"scene": sid, "id": choice.id, "text": choice.text,
                         "tags": list(choice.tags), "reachable": high_run is not None,
                         "best_after": high_run.score if high_run else None,
                         "worst_after": low_run.score if low_run else None, "cost": None})
        top = max((r["best_after"] for r in rows if r["best_after"] is not None), default=None)
        for row in rows:
            if row["best_after"] is not None and top is not None:
                row["cost"] = top - row["best_after"]
        choices += rows
    best_run, worst_run = space.extreme(best=True), space.extreme(best=False)
    return {
        "story": story.id,
        "exact": exact and best_run.exact and worst_run.exact,
        "states": len(graph.keys),
        "tracked_meters": list(space.rules.meter_names),
        "scenes": len(story.scenes),
        "choices": sum(len(s.choices) for s in story.scenes.values()),
        "endings_total": len(endings),
        "words": words,
        "reading_minutes": round(words / WORDS_PER_MINUTE, 1),
        "minutes_per_run": round(
            (run_words(compiled, best_run.path) / WORDS_PER_MINUTE + len(best_run.path) / 6), 1
        ),
        "playthroughs": count_playthroughs(graph) if space.exact else None,
        "best": {"score": best_run.score, "path": list(best_run.path)},
        "worst": {"score": worst_run.score, "path": list(worst_run.path)},
        "endings": endings,
        "choice_impact": sorted(choices, key=lambda c: -(c["cost"] or 0)),
        "meters": {name: {"min": ranges[name][0], "max": ranges[name][1]}
                   for name in story.meters if name in ranges},
    }


def analysis_json(data: dict[str, Any]) -> str:
    """The analysis as JSON: indented, with each ending and choice on a line of its own.

    (``json.dumps(indent=2)`` runs in Python, and spent a quarter of a second on the
    30,000 choices of a 10,000-scene story; a compact dump per row runs in C.)
    """
    fields = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            rows = ",\n".join("    " + json.dumps(row) for row in value)
            fields.append(f"  {json.dumps(key)}: [\n{rows}\n  ]")
        else:
            fields.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def format_analysis(data: dict[str, Any]) -> str:
    """Return the analysis as readable text."""
    approx = "" if data["exact"] else " (APPROXIMATE: state limit reached)"
    plays = data["playthroughs"]
    lines = [
        f"{data['story']}: {data['scenes']} scenes, {data['choices']} choices, "
        f"{data['endings_total']} endings, {data['words']} words in all "
        f"(~{data['minutes_per_run']} min per playthrough){approx}",
        f"reachable states: {data['states']}; distinct playthroughs: "
        f"{'infinite (a loop can repeat)' if plays is None and data['exact'] else plays}",
        f"best score {data['best']['score']}: {' -> '.join(data['best']['path'])}",
        f"worst score {data['worst']['score']}: {' -> '.join(data['worst']['path'])}",
        "",
        "endings:",
    ]
    for ending in data["endings"]:
        span = (f"{ending['min_score']}-{ending['max_score']}" if ending["reachable"]
                else "UNREACHABLE")
        lines.append(f"  {ending['id']:<28} {ending['outcome']:<7} score {span}")
    lines += ["", "choices that matter most (best score given up by taking them):"]
    for choice in data["choice_impact"][:12]:
        if choice["reachable"]:
            lines.append(
                f"  -{choice['cost']:<3} {choice['scene']}/{choice['id']}: best "
                f"{choice['best_after']}, worst {choice['worst_after']}"
            )
    lines += ["", "meter ranges:"]
    for name, span in data["meters"].items():
        lines.append(f"  {name:<12} {span['min']}..{span['max']}")
    return "\n".join(lines) + "\n"
