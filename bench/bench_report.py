"""The class report's speed: ``python bench/bench_report.py``.

Plays 300 runs of the flagship with the real engine (seeded random answers, with the
best score still reachable after each choice, as the game records it), stores them,
and copies them (new ids, ten class codes) into a database of 3,000 runs; then times
``callback report`` end to end in a fresh interpreter (start-up, imports, reading the
store, loading the story, its best path, the Graphviz map and the page) for 30 runs
and for 3,000 runs, the median of five each.
"""

from __future__ import annotations

import functools
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.analysis.load import load_story  # noqa: E402
from game.analysis.space import best_reachable  # noqa: E402
from game.classroom.records import read_run  # noqa: E402
from game.classroom.store import open_store  # noqa: E402
from game.engine.compiled import CompiledStory  # noqa: E402
from game.engine.engine import advance, choose, offers, start  # noqa: E402
from game.engine.record import run_record  # noqa: E402
from game.engine.state import Phase  # noqa: E402
from game.story.library import find_story  # noqa: E402

PLAYED = 300
SIZES = (30, 3_000)
REPEATS = 5


def played(story: CompiledStory, sha256: str, seed: int) -> dict[str, Any]:
    """One run with seeded random answers, as the game records it."""
    rng = random.Random(seed)
    state = start(story)
    while state.phase is not Phase.ENDED:
        if state.phase is Phase.READING:
            state = advance(story, state)
        else:
            state = choose(story, state, rng.choice(
                [o for o in offers(story, state) if o.available]).id)
    minute = f"2026-12-06T{9 + seed % 8:02}:{seed % 60:02}:00Z"
    return run_record(story, sha256, state, started=minute, finished=minute,
                      best=functools.partial(best_reachable, story),
                      class_code="11B", name=f"Student {seed % 30:02}")


def fill(db: Path, records: list[dict[str, Any]], size: int) -> None:
    """Store ``size`` runs: the played ones, then copies with new ids and class codes."""
    runs = [read_run({**records[i % len(records)], "id": str(uuid.uuid4()),
                      "player": {"name": None, "class": f"C{i % 10}"}}) for i in range(size)]
    with open_store(str(db)) as store:
        store.add_all(runs)


def main() -> None:
    """Time the report at each size and print one row each."""
    loaded = load_story(find_story("rejection-call"), analyse=False)
    assert loaded.compiled is not None
    records = [played(loaded.compiled, loaded.sha256, seed) for seed in range(PLAYED)]
    with tempfile.TemporaryDirectory() as folder:
        for size in SIZES:
            db = Path(folder) / f"class-{size}.db"
            fill(db, records, size)
            page = Path(folder) / f"report-{size}.html"
            samples = []
            for _ in range(REPEATS):
                began = time.perf_counter()
                subprocess.run([sys.executable, "-m", "game", "report", "--results", str(db),
                                "-o", str(page)], check=True, capture_output=True)
                samples.append(time.perf_counter() - began)
            print(f"callback report, {size:>5,} runs   median {statistics.median(samples):.2f} s"
                  f"  (min {min(samples):.2f}, max {max(samples):.2f}; "
                  f"page {page.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
