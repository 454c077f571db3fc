"""A student's machine for the class-store tests: plays or stores runs, one line per run.

``python tests/class_writer.py play DB CLASS NAME FIRST COUNT START_AT``
    waits until the wall clock reaches START_AT (so every process writes at once),
    then plays COUNT runs of the flagship story with ``callback play --auto random``
    (seeds FIRST, FIRST+1, ...) into the results database DB, printing each run
    record as one JSON line once ``callback play`` has returned (the run is stored).

``python tests/class_writer.py store DB``
    stores made-up runs into DB for ever, printing ``stored ID`` after each commit:
    the crash test kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import io
import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.classroom.records import read_run  # noqa: E402
from game.classroom.store import open_store  # noqa: E402
from game.cli import main  # noqa: E402


def play(db: str, class_code: str, name: str, first: int, count: int, start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))
    for seed in range(first, first + count):
        out, err = io.StringIO(), io.StringIO()
        code = main(["play", "rejection-call", "--auto", "random", "--seed", str(seed),
                     "--json", "--results", db, "--class", class_code, "--name", name],
                    out=out, err=err, inp=io.StringIO())
        if code != 0 or err.getvalue():
            sys.stderr.write(f"run {seed} failed ({code}): {err.getvalue()}\n")
            sys.exit(1)
        print(json.dumps(json.loads(out.getvalue())), flush=True)


def made_up(index: int) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()), "mode": "practice",
        "player": {"name": f"Student {index}", "class": "crash"},
        "story": {"id": "tiny", "title": "Tiny", "version": "1", "sha256": "00"},
        "steps": [{"scene": f"s{i}", "chosen": "thank", "text": "Thanks." * 40,
                   "feedback": "Kind.", "deltas": {"door": 1}} for i in range(8)],
        "ending": "open", "outcome": "open", "score": index % 101, "meters": {"door": 60},
        "started": "2026-12-06T10:00:00Z", "finished": "2026-12-06T10:05:00Z",
    }


def store_forever(db: str) -> None:
    with open_store(db) as store:
        index = 0
        while True:
            record = made_up(index)
            store.add(read_run(record))
            print(f"stored {record['id']}", flush=True)
            index += 1


if __name__ == "__main__":
    if sys.argv[1] == "play":
        play(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
             float(sys.argv[7]))
    else:
        store_forever(sys.argv[2])
