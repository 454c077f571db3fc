"""``callback analyze``: exact facts about every possible playthrough of a story.

Everything here comes from the reachable state space (scene, meters, flags), built
once with memoisation by :func:`game.engine.reach.explore`; nothing enumerates
paths. Where the space is larger than the limit, results cover what was explored
and are marked ``exact: false``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from game.engine.reach import DEFAULT_LIMIT, StateGraph, components, explore, extremes
from game.engine.rules import Rules
from game.story.model import Story

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+(?:'\w+)?")


def word_count(story: Story) -> int:
    """Count the words a player can read: lines, choices, endings."""
    texts: list[str] = []
    for scene in story.scenes.values():
        texts += [text for line in scene.lines for text in line.values()]
        texts += [choice.text for choice in scene.choices]
        if scene.ending:
            ending = scene.ending
            texts += [ending.title, ending.time_skip, ending.epilogue, ending.lesson]
    return sum(len(_WORD.findall(text)) for text in texts)


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


def _path_scoring(graph: StateGraph, target_score: int | None) -> list[str]:
    """Return the shortest path (choice ids) to an ending with exactly this score."""
    if target_score is None:
        return []
    candidates = [n for n in range(len(graph.keys))
                  if graph.is_ending(n) and graph.score(n) == target_score]
    node = min(candidates, key=lambda n: len(graph.path_to(n)))
    return graph.path_to(node)


def analyze(story: Story, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Return the analysis as JSON-able data (see ``callback analyze --json``)."""
    rules = Rules.of(story)
    graph = explore(rules, rules.initial(), limit)
    best, worst = extremes(graph)
    exact = not graph.truncated
    words = word_count(story)

    ending_scores: dict[str, list[int]] = defaultdict(list)
    meter_range = {name: [None, None] for name in rules.meter_names}
    for node, key in enumerate(graph.keys):
        for name, value in zip(rules.meter_names, key[1], strict=True):
            low, high = meter_range[name]
            meter_range[name] = [value if low is None else min(low, value),
                                 value if high is None else max(high, value)]
        if graph.is_ending(node):
            ending_scores[key[0]].append(graph.score(node))

    endings = []
    for sid, scene in story.scenes.items():
        if scene.ending is None:
            continue
        scores = ending_scores.get(sid, [])
        endings.append({
            "id": sid, "title": scene.ending.title, "outcome": scene.ending.outcome.value,
            "reachable": bool(scores),
            "min_score": min(scores) if scores else None,
            "max_score": max(scores) if scores else None,
        })

    choice_stats: dict[tuple[str, str], list[int]] = {}
    for node, edges in enumerate(graph.edges):
        sid = graph.keys[node][0]
        for move, target in edges:
            if move is None or best[target] is None:
                continue
            stats = choice_stats.setdefault((sid, move), [best[target], worst[target]])  # type: ignore[list-item]
            stats[0] = max(stats[0], best[target])  # type: ignore[type-var]
            stats[1] = min(stats[1], worst[target])  # type: ignore[type-var]
    choices = []
    for sid, scene in story.scenes.items():
        siblings = [choice_stats.get((sid, c.id)) for c in scene.choices]
        top = max((s[0] for s in siblings if s), default=None)
        for choice, stats in zip(scene.choices, siblings, strict=True):
            choices.append({
                "scene": sid, "id": choice.id, "text": choice.text, "tags": list(choice.tags),
                "reachable": stats is not None,
                "best_after": stats[0] if stats else None,
                "worst_after": stats[1] if stats else None,
                "cost": (top - stats[0]) if stats and top is not None else None,
            })
    start_best, start_worst = best[0], worst[0]
    return {
        "story": story.id,
        "exact": exact,
        "states": len(graph.keys),
        "scenes": len(story.scenes),
        "choices": sum(len(s.choices) for s in story.scenes.values()),
        "endings_total": len(endings),
        "words": words,
        "reading_minutes": round(words / WORDS_PER_MINUTE, 1),
        "playthroughs": count_playthroughs(graph) if exact else None,
        "best": {"score": start_best, "path": _path_scoring(graph, start_best)},
        "worst": {"score": start_worst, "path": _path_scoring(graph, start_worst)},
        "endings": endings,
        "choice_impact": sorted(choices, key=lambda c: -(c["cost"] or 0)),
        "meters": {name: {"min": lo, "max": hi} for name, (lo, hi) in meter_range.items()},
    }


def format_analysis(data: dict[str, Any]) -> str:
    """Return the analysis as readable text."""
    approx = "" if data["exact"] else " (APPROXIMATE: state limit reached)"
    plays = data["playthroughs"]
    lines = [
        f"{data['story']}: {data['scenes']} scenes, {data['choices']} choices, "
        f"{data['endings_total']} endings, {data['words']} words "
        f"(~{data['reading_minutes']} min to read){approx}",
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
