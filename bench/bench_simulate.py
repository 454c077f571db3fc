"""How fast ``callback simulate`` plays: ``python bench/bench_simulate.py``.

Prints steps per second and playthroughs per second for the random persona on the
flagship (``stories/rejection-call.yaml``) and on a generated story of 10,000
scenes (``generate(10_000, swing=4)``), beside a floor: a bare Python walk of the
same graph held in plain dicts (scene id -> the ids it leads to), picking with
``random.Random(seed).randrange`` and starting again at an ending, for as many
steps. A step is one move (a choice taken, or a "continue"), as
:mod:`game.authoring.simulate` counts it. Every timing runs as the CLI runs
``simulate``, with the cyclic collector paused; each figure is the best of
:data:`REPEATS`. The functions are importable from another bench script.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from game.analysis.load import load_story  # noqa: E402
from game.authoring.simulate import Simulation, simulate  # noqa: E402
from game.engine.compiled import CompiledStory, compile_story  # noqa: E402
from game.gcpause import paused_gc  # noqa: E402
from game.paths import stories_dir  # noqa: E402
from game.story.model import Story  # noqa: E402

RUNS = 20_000
SEED = 1
REPEATS = 3


def timed_simulation(compiled: CompiledStory, runs: int, seed: int) -> Simulation:
    """``simulate`` with the random persona, the collector paused (as the CLI runs it)."""
    with paused_gc():
        return simulate(compiled, runs=runs, seed=seed)


def simulate_rate(compiled: CompiledStory, runs: int, seed: int) -> tuple[float, float]:
    """``(steps per second, playthroughs per second)`` of one ``simulate`` call."""
    result = timed_simulation(compiled, runs, seed)
    return float(result.steps_per_second), float(result.playthroughs_per_second)


def plain_graph(compiled: CompiledStory) -> tuple[str, dict[str, list[str]]]:
    """The story as plain dicts: its start and each scene's next scene ids.

    A choice leads to its ``goto``, a reading scene to its ``next``, a route scene
    to each of its routes' targets (conditions are ignored); an ending leads nowhere.
    """
    edges: dict[str, list[str]] = {}
    for scene_id, scene in compiled.model.scenes.items():
        if scene.ending is not None:
            edges[scene_id] = []
        elif scene.next is not None:
            edges[scene_id] = [scene.next]
        elif scene.route:
            edges[scene_id] = [r.goto for r in scene.route]
        else:
            edges[scene_id] = [c.goto for c in scene.choices]
    return compiled.model.start, edges


def dict_walk(start: str, edges: dict[str, list[str]], steps: int, seed: int) -> int:
    """Walk ``steps`` steps from ``start``, restarting at a scene that leads nowhere;
    return how many runs were started."""
    randrange = random.Random(seed).randrange
    scene, runs = start, 1
    for _ in range(steps):
        targets = edges[scene]
        if not targets:
            scene, runs = start, runs + 1
            targets = edges[scene]
        scene = targets[randrange(len(targets))]
    return runs


def dict_walk_rate(compiled: CompiledStory, steps_target: int, seed: int) -> float:
    """Steps per second of the bare dict walk over the same graph (the floor)."""
    start, edges = plain_graph(compiled)
    with paused_gc():
        began = time.perf_counter()
        dict_walk(start, edges, steps_target, seed)
        elapsed = time.perf_counter() - began
    return steps_target / max(elapsed, 1e-9)


def row(label: str, compiled: CompiledStory, runs: int = RUNS) -> str:
    """One line of the table: the best of :data:`REPEATS` for simulate and the floor."""
    steps = timed_simulation(compiled, runs, SEED).steps
    rates = [simulate_rate(compiled, runs, SEED) for _ in range(REPEATS)]
    steps_per_s, plays_per_s = max(rates)
    floor = max(dict_walk_rate(compiled, steps, SEED) for _ in range(REPEATS))
    return (f"{label:<22} {runs:>7,} {steps:>9,} {plays_per_s:>14,.0f} {steps_per_s:>10,.0f} "
            f"{floor:>12,.0f} {floor / steps_per_s:>9.1f}x")


def main() -> None:
    began = time.perf_counter()
    flagship = load_story(stories_dir() / "rejection-call.yaml", analyse=False).compiled
    assert flagship is not None
    generated = compile_story(Story.model_validate(generate(10_000, swing=4)))
    print(f"callback simulate, random persona, seed {SEED}, best of {REPEATS} "
          "(collector paused, as the CLI runs it)")
    print(f"{'story':<22} {'runs':>7} {'steps':>9} {'playthroughs/s':>14} {'steps/s':>10} "
          f"{'floor steps/s':>12} {'floor/sim':>10}")
    print(row("rejection-call", flagship))
    print(row("generated 10,000", generated))
    print(f"(total {time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
