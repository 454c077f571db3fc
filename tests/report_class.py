"""A class for the report tests: runs of the flagship played by the real engine and
stored through the real results store.

``play_class(db, 30)`` plays 30 runs with seeded random answers (some of them keen to
keep the door open, as a class that has had the lesson would be), as 30 named students
of class 11B, and one projected workshop run with hands counted at each decision;
every record goes through :func:`game.classroom.records.read_run` into the store.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

from game.analysis.load import load_story
from game.analysis.space import best_reachable
from game.classroom.records import read_run
from game.classroom.store import open_store
from game.engine.compiled import CompiledStory
from game.engine.engine import advance, choose, offers, start
from game.engine.record import run_record
from game.engine.state import Phase, PlayState
from game.story.library import find_story

KIND = ("thank", "keep-door-open", "ask-keep-in-touch", "ask-feedback", "calibrated")
"""Tags a student who listened in the warm-up leans towards."""


def flagship() -> tuple[CompiledStory, str]:
    """The flagship story, compiled, and its file's SHA-256."""
    loaded = load_story(find_story("rejection-call"), analyse=False)
    assert loaded.compiled is not None
    return loaded.compiled, loaded.sha256


def play(story: CompiledStory, seed: int, votes: bool = False
         ) -> tuple[PlayState, list[dict[str, int]]]:
    """One run: random answers, leaning kind for even seeds; with ``votes``, made-up hands."""
    rng = random.Random(seed)
    state = start(story)
    hands: list[dict[str, int]] = []
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.READING:
            state = advance(story, state)
            continue
        available = [o for o in offers(story, state) if o.available]
        kind = [o for o in available if set(o.tags) & set(KIND)]
        pick = rng.choice(kind if kind and seed % 2 == 0 else available)
        if votes:
            counts = {o.id: rng.randint(0, 4) for o in available}
            counts[pick.id] = max(counts.values()) + 1 + rng.randint(0, 3)
            hands.append(counts)
        state = choose(story, state, pick.id)
    return state, hands


def record(story: CompiledStory, sha256: str, seed: int, **extra: Any) -> dict[str, Any]:
    """The run record of ``play(story, seed)``, finished at a minute set by the seed."""
    workshop = extra.get("mode") == "workshop"
    state, hands = play(story, seed, votes=workshop)
    minute = f"2026-12-0{1 + seed % 5}T10:{seed % 60:02}:00Z"
    return run_record(story, sha256, state, started=minute, finished=minute,
                      best=functools.partial(best_reachable, story),
                      votes=hands if workshop else None, **extra)


def play_class(db: Path, size: int = 30) -> list[dict[str, Any]]:
    """Store ``size`` students' runs and one workshop run in ``db``; return the records."""
    story, sha256 = flagship()
    records = [record(story, sha256, seed, class_code="11B", name=f"Student {seed:02}")
               for seed in range(size)]
    records.append(record(story, sha256, 1000, class_code="11B", mode="workshop"))
    with open_store(str(db)) as store:
        assert store.add_all(read_run(r) for r in records) == len(records)
    return records
