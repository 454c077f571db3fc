"""``callback simulate``'s fast walk: the same runs as a plain walk of the rules, and
its step count. (How fast it is lives in ``bench/bench_simulate.py``, never here.)"""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from bench.generate import generate
from game.analysis.load import load_story
from game.authoring.simulate import MAX_STEPS, ScoreSummary, Simulation, simulate
from game.cli import main
from game.engine.compiled import CompiledStory, compile_story
from game.engine.rules import Key
from game.paths import stories_dir
from game.story.model import Story

FLAGSHIP = stories_dir() / "rejection-call.yaml"


@cache
def bundled(story_id: str) -> CompiledStory:
    compiled = load_story(stories_dir() / f"{story_id}.yaml", analyse=False).compiled
    assert compiled is not None
    return compiled


@cache
def generated(swing: int, conditional: bool = False) -> CompiledStory:
    """A small generated story (``bench/generate.py``): with a swing of 30 its meters
    clamp at both ends; ``conditional`` hides two of each scene's choices behind
    conditions (on meters, flags and the score), often leaving one."""
    data = generate(300, seed=5, swing=swing)
    if conditional:
        for scene in data["scenes"].values():
            for choice in scene.get("choices", []):
                if choice["id"] == "c1":
                    choice["if"] = "composure > 60 and score >= 40"
                elif choice["id"] == "c2":
                    choice["if"] = "door < 50 or warned"
    return compile_story(Story.model_validate(data))


@dataclass
class Reference:
    """What a straightforward walk of the public rules adds up to."""

    endings: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    scores: list[int] = field(default_factory=list)
    scenes: set[str] = field(default_factory=set)
    choices: set[tuple[str, str]] = field(default_factory=set)
    lengths: list[int] = field(default_factory=list)  # steps of each run
    stuck: int = 0


def reference_walk(compiled: CompiledStory, *, runs: int, seed: int,
                   weights_of: dict[str, float]) -> Reference:
    """Every run the simple way: apply every available choice, then pick with
    ``rng.choices`` weighted by the persona's tags (1 for a choice none of them weighs)."""
    rules, rng, found = compiled.rules, random.Random(seed), Reference()
    for _ in range(runs):
        key: Key = rules.initial()
        steps = 0
        while steps < MAX_STEPS:
            found.scenes.add(key[0])
            scene = rules.scene(key)
            if scene.ending is not None:
                found.endings[key[0]] += 1
                outcome = rules.outcome(key)
                found.outcomes[outcome.value if outcome else "?"] += 1
                found.scores.append(rules.final_score(key))
                break
            if scene.next is not None:
                key, steps = rules.enter(scene.next, key[1], key[2]), steps + 1
                continue
            options = [(c, rules.step(key, c)) for c, ok in rules.choices(key) if ok]
            if not options:
                found.stuck += 1
                break
            weights = [max((weights_of.get(t, 0.0) for t in c.tags), default=0.0) or 1.0
                       for c, _ in options]
            choice, after = options[rng.choices(range(len(options)), weights=weights)[0]]
            found.choices.add((key[0], choice.id))
            key, steps = after, steps + 1
        else:  # (MAX_STEPS moves and no ending: stuck)
            found.stuck += 1
        found.lengths.append(steps)
    return found


CASES = [
    ("rejection-call", "random"), ("rejection-call", "keeps-door-open"),
    ("rejection-call", "argues"), ("rejection-call", "too-keen"), ("other-side", "random"),
    ("generated", "random"), ("clamping", "random"), ("clamping", "heavy-b"),
    ("conditional", "random"), ("conditional", "heavy-b"),
]
EXTRA = {"heavy-b": {"b": 7.0, "c": 0.0}}


def story_for(name: str) -> CompiledStory:
    """A bundled story by id, or a generated one (see :func:`generated`)."""
    if name == "generated":
        return generated(4)
    if name in ("clamping", "conditional"):
        return generated(30, conditional=name == "conditional")
    return bundled(name)


@pytest.mark.parametrize(("story", "persona"), CASES)
@pytest.mark.parametrize("seed", [1, 7])
def test_the_fast_walk_plays_the_runs_a_plain_walk_plays(story: str, persona: str,
                                                          seed: int) -> None:
    compiled = story_for(story)
    weights = (EXTRA[persona] if persona in EXTRA else {} if persona == "random"
               else compiled.model.personas[persona])
    expected = reference_walk(compiled, runs=300, seed=seed, weights_of=dict(weights))
    got = simulate(compiled, runs=300, seed=seed, persona=persona, extra=EXTRA,
                   clock=iter([0.0, 1.0]).__next__)
    assert got.endings == dict(expected.endings.most_common())
    assert list(got.endings) == [e for e, _ in expected.endings.most_common()]
    assert got.outcomes == {k: expected.outcomes.get(k, 0)
                            for k in ("open", "ajar", "shut", "closed")}
    assert got.score == ScoreSummary.of(expected.scores)
    assert got.stuck == expected.stuck
    assert_coverage(got, compiled, expected)
    assert got.steps == sum(expected.lengths)
    # one second on the clock: the rates are the counts
    assert (got.steps_per_second, got.playthroughs_per_second) == (got.steps, 300)


def assert_coverage(got: Simulation, compiled: CompiledStory, expected: Reference) -> None:
    scenes = compiled.model.scenes
    shown = {sid for sid, scene in scenes.items() if not scene.route}
    assert set(got.coverage.scenes_never_visited) == shown - expected.scenes
    never = {f"{sid}/{c.id}" for sid, s in scenes.items() for c in s.choices} - {
        f"{sid}/{cid}" for sid, cid in expected.choices}
    assert set(got.coverage.choices_never_taken) == never
    assert got.coverage.choices_taken == len(expected.choices)


def test_best_and_worst_still_count_their_steps() -> None:
    compiled = bundled("rejection-call")
    for persona in ("best", "worst"):
        got = simulate(compiled, runs=20, seed=3, persona=persona,
                       clock=iter([0.0, 2.0]).__next__)
        assert got.steps > 20 and got.steps % 20 == 0  # every run takes the same path
        assert got.steps_per_second == round(got.steps / 2)
        assert got.playthroughs_per_second == 10


def test_json_reports_steps_per_second_consistent_with_the_runs_lengths() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["simulate", str(FLAGSHIP), "--runs", "300", "--seed", "7", "--json"],
                out=out, err=err)
    assert code == 0, err.getvalue()
    data = json.loads(out.getvalue())
    keys = list(data)
    assert keys[-2:] == ["playthroughs_per_second", "steps_per_second"]
    steps_per_s, plays_per_s = data["steps_per_second"], data["playthroughs_per_second"]
    assert steps_per_s > 0 and plays_per_s > 0
    lengths = reference_walk(bundled("rejection-call"), runs=300, seed=7, weights_of={}).lengths
    # both rates are rounded counts over the same time: steps / runs lies between
    mean = sum(lengths) / 300
    assert (steps_per_s - 0.5) / (plays_per_s + 0.5) <= mean <= (
        steps_per_s + 0.5) / max(plays_per_s - 0.5, 0.5)


def test_text_summary_shows_both_rates(tiny_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["simulate", str(tiny_path), "--runs", "50"], out=out, err=err) == 0
    first = out.getvalue().splitlines()[0]
    assert " playthroughs/s, " in first and first.endswith(" steps/s")
