"""Bundled stories played by the real engine, for tests that look at every state of a run.

``compiled("check-in")`` loads a bundled story by id; ``seeded_run(story, rng)`` yields
each state of one playthrough, the start and the ending included, choosing at random
among the available answers (among those with a ``prefer`` tag, where there are some).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from game.analysis.load import load_story
from game.engine.compiled import CompiledStory
from game.engine.engine import advance, choose, offers, start
from game.engine.state import Phase, PlayState
from game.story.library import find_story


def compiled(story_id: str) -> CompiledStory:
    """A bundled story, compiled (without the slow analysis)."""
    loaded = load_story(find_story(story_id), analyse=False)
    assert loaded.compiled is not None
    return loaded.compiled


def settle(story: CompiledStory, state: PlayState) -> PlayState:
    """Read on until the story waits for a choice or ends."""
    while state.phase is Phase.READING:
        state = advance(story, state)
    return state


def seeded_run(story: CompiledStory, rng: random.Random,
               prefer: frozenset[str] = frozenset()) -> Iterator[PlayState]:
    """Every state of one random playthrough, from the start to the ending."""
    state = start(story)
    while True:
        yield state
        if state.phase is Phase.ENDED:
            return
        if state.phase is Phase.READING:
            state = advance(story, state)
            continue
        options = [o for o in offers(story, state) if o.available]
        preferred = [o for o in options if prefer & set(o.tags)]
        state = choose(story, state, rng.choice(preferred or options).id)
