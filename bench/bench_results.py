"""The class store's speed: ``python bench/bench_results.py``.

Prints the median time of storing one finished run (into an open store, and the
way the game does it: open, store, close), then fills a database with 3,000 runs
of six decisions each and times ``callback results export`` as CSV and as xAPI
end to end, each in a fresh interpreter (start-up and imports included).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.classroom.keep import keep_run  # noqa: E402
from game.classroom.records import Run, read_run  # noqa: E402
from game.classroom.store import open_store  # noqa: E402

RUNS = 3_000


def made_up(index: int) -> dict[str, object]:
    """A run like the flagship's: six decisions, three options each, four meters."""
    steps = [{"scene": f"scene-{i}", "chosen": f"choice-{index % 3}",
              "text": "Thank you for letting me know, I appreciate the call.",
              "feedback": "Thanking them first keeps the conversation warm.",
              "offered": [{"id": f"choice-{k}", "text": "An answer of a sentence or two.",
                           "tags": ["thank"]} for k in range(3)],
              "deltas": {"door": 5, "composure": -2}, "flags": {}, "best_reachable": 80}
             for i in range(6)]
    return {"id": str(uuid.uuid4()), "mode": "practice",
            "player": {"name": f"Student {index % 30}", "class": f"C{index % 100}"},
            "story": {"id": "rejection-call", "title": "The rejection call", "version": "1",
                      "sha256": "ab" * 32},
            "steps": steps, "ending": "door-open", "outcome": "open", "score": index % 101,
            "best_possible": 92,
            "meters": {"door": 70, "composure": 60, "warmth": 55, "brand": 65},
            "flags": {"thanked": True}, "imports": {},
            "started": "2026-12-06T10:00:00Z", "finished": f"2026-12-06T10:{index % 60:02}:00Z"}


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def main() -> None:
    """Run the benchmarks and print one row each."""
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "results.db")
        with open_store(db) as store:
            samples = []
            for index in range(200):
                run: Run = read_run(made_up(index))
                began = time.perf_counter()
                store.add(run)
                samples.append(time.perf_counter() - began)
        print(f"store one run, store open (median of 200)       {median_ms(samples)}")
        samples = []
        for index in range(50):
            record = made_up(index)
            began = time.perf_counter()
            note = keep_run(record, db, Path(folder))
            samples.append(time.perf_counter() - began)
            assert note == "", note
        print(f"store one run, open + store + close (median of 50) {median_ms(samples)}")

        big = str(Path(folder) / "class.db")
        with open_store(big) as store:
            store.add_all(read_run(made_up(i)) for i in range(RUNS))
            assert store.count() == RUNS
        for fmt in ("csv", "xapi"):
            out = Path(folder) / f"export.{fmt}"
            began = time.perf_counter()
            subprocess.run([sys.executable, "-m", "game", "results", "export", "--results",
                            big, "--format", fmt, "-o", str(out)], check=True,
                           capture_output=True)
            took = time.perf_counter() - began
            print(f"callback results export --format {fmt}, {RUNS:,} runs  {took:.2f} s "
                  f"({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
