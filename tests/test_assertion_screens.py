"""The quick answers to 'never' and 'can reach' assertions agree with the product search.

Validation answers each such assertion by two linear walks over the state graph, and
builds the product of the graph with "has this run taken a tagged choice" only to
show a failing run. Both must give the same verdict on every story and every
question, or an author would see a different answer than the exact search gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.analysis.checks import _Analysis
from game.analysis.load import load_story
from game.analysis.reach import DEFAULT_LIMIT, ancestors
from game.engine.compiled import CompiledStory, compile_story
from game.paths import bundled_stories
from game.story.model import Outcome, Story
from game.story.source import SourceMap

OUTCOMES = list(Outcome)


def product_never(check: _Analysis, tags: frozenset[str], outcomes: list[Outcome]) -> bool:
    product = check.product(tags)
    return not any(took and check.rules.outcome(product.key(n)) in outcomes
                   for n, (_, took) in enumerate(product.keys))


def product_can_reach(check: _Analysis, outcome: Outcome, unless: frozenset[str]) -> bool:
    product = check.product(unless, exempt_start=outcome)
    good = ancestors(product, {n for n in range(len(product.keys))
                               if (o := check.rules.outcome(product.key(n))) is not None
                               and o.rank >= outcome.rank})
    return all(took or n in good or product.is_ending(n)
               for n, (_, took) in enumerate(product.keys))


def agree(check: _Analysis, outcomes: list[Outcome] = OUTCOMES) -> None:
    tags = sorted(check.story.tags) or ["none"]
    for tag in tags:
        group = frozenset([tag])
        for wanted in ([o] for o in outcomes):
            assert check.never_holds(group, wanted) == product_never(check, group, wanted), (
                tag, wanted)
        wide = [Outcome.OPEN, Outcome.AJAR]
        assert check.never_holds(group, wide) == product_never(check, group, wide), tag
        for outcome in outcomes:
            assert check.can_reach_holds(outcome, group) == product_can_reach(
                check, outcome, group), (tag, outcome)


STORIES = [p for p in bundled_stories() if not p.name.endswith(".rubric.yaml")]


@pytest.mark.parametrize("path", [p for p in STORIES if p.stem in (
    "final-round", "rejection-email")], ids=lambda p: p.stem)
def test_each_tag_and_door_gets_the_product_searchs_verdict_in_a_bundled_story(
    path: Path,
) -> None:
    loaded = load_story(path, analyse=False)
    assert loaded.compiled is not None and loaded.source_map is not None
    agree(_Analysis(loaded.compiled, loaded.source_map, DEFAULT_LIMIT),
          [Outcome.OPEN, Outcome.AJAR])


@st.composite
def tagged_stories(draw: Any) -> CompiledStory:
    """A small story with loops, conditions, tags on some choices, every kind of
    door, and a flag whose floor lowers the door."""
    n_scenes = draw(st.integers(1, 6))
    n_endings = draw(st.integers(1, 4))
    scenes: dict[str, Any] = {}
    for i in range(n_scenes):
        choices = []
        for j in range(draw(st.integers(1, 3))):
            target = draw(st.integers(0, n_scenes + n_endings - 1))
            goto = f"s{target}" if target < n_scenes else f"e{target - n_scenes}"
            effects: dict[str, int | bool] = {}
            if draw(st.booleans()):
                effects["m"] = draw(st.integers(-3, 3))
            if draw(st.integers(0, 3)) == 0:
                effects["low"] = draw(st.booleans())
            choice: dict[str, Any] = {
                "id": f"c{j}", "text": f"Choice {j}", "goto": goto, "effects": effects,
                "feedback": "x", "tags": draw(st.lists(st.sampled_from(["a", "b"]),
                                                       unique=True, max_size=2))}
            if j and draw(st.booleans()):
                choice["if"] = draw(st.sampled_from(["m >= 2", "low", "not low", "m < 1"]))
            choices.append(choice)
        scenes[f"s{i}"] = {"lines": [{"narrator": f"Scene {i}"}], "choices": choices}
    for k in range(n_endings):
        scenes[f"e{k}"] = {"ending": {"title": f"E{k}", "epilogue": "x",
                                      "outcome": draw(st.sampled_from(OUTCOMES)).value}}
    story = Story.model_validate({
        "id": "random", "title": "Random", "cast": {"you": {"name": "You"}},
        "meters": {"m": {"label": "M", "min": 0, "max": 4, "start": draw(st.integers(0, 4))}},
        "flags": {"low": {"help": "x", "forces_outcome": "shut",
                          "default": draw(st.booleans())}},
        "tags": {"a": "A.", "b": "B."},
        "start": "s0", "scenes": scenes,
    })
    return compile_story(story)


@given(tagged_stories())
def test_the_quick_answers_agree_with_the_product_search_on_random_stories(
    story: CompiledStory,
) -> None:
    agree(_Analysis(story, SourceMap("random.yaml"), DEFAULT_LIMIT))
