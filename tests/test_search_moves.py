"""The state search's move tables give exactly the rules' moves.

The search (:func:`game.analysis.reach.explore`) takes each scene's moves from tables
built once instead of asking :meth:`Rules.successors` every time; every check and
score depends on it finding the same states, in the same order, by the same moves.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from test_analysis import random_stories

from game.analysis.checks import import_combinations
from game.analysis.load import load_story
from game.analysis.reach import explore
from game.analysis.space import _control
from game.engine.compiled import CompiledStory
from game.paths import bundled_stories


def same_search(story: CompiledStory, starts: list[dict[str, int | bool]]) -> None:
    rules, _, start_nodes = _control(story, starts)
    keys = list(dict.fromkeys(k for k, _ in start_nodes))
    tables = explore(rules, keys)
    asked = explore(rules, keys, successors=rules.successors)
    assert tables.keys == asked.keys
    assert tables.edges == asked.edges
    assert tables.parent == asked.parent


@pytest.mark.parametrize("path", [p for p in bundled_stories() if p.stem in (
    "final-round", "the-callback", "rejection-email")], ids=lambda p: p.stem)
def test_the_search_finds_the_rules_states_and_moves_in_a_bundled_story(path: Path) -> None:
    loaded = load_story(path, analyse=False)
    assert loaded.compiled is not None
    same_search(loaded.compiled, import_combinations(loaded.compiled.model))


@given(random_stories(loops=True))
def test_the_search_finds_the_rules_states_and_moves_in_random_stories(
    story: CompiledStory,
) -> None:
    same_search(story, [{}])
