"""A class on real processes: 30 runs stored at once, exported, merged, erased; and kill -9.

``tests/class_writer.py`` is a student's machine: it plays runs with ``callback
play`` into a shared results database, or stores runs in a loop until it is killed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from game.classroom.store import Filter, open_store
from game.cli import main

WRITER = Path(__file__).resolve().parent / "class_writer.py"
STUDENTS = [("11B", "Ana"), ("11B", "Ben"), ("11B", "Cy"), ("12C", "Dee"), ("12C", "Eli")]
RUNS_EACH = 6


def results(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["results", *argv], out=out, err=err, inp=io.StringIO())
    return code, out.getvalue(), err.getvalue()


def test_a_class_of_thirty_runs_from_five_machines_at_once(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    start_at = time.time() + 3.0  # every process loads its story first, then all write
    env = {**os.environ, "CALLBACK_HOME": str(tmp_path / "home")}
    writers = [
        subprocess.Popen([sys.executable, str(WRITER), "play", str(db), klass, name,
                          str(i * 100), str(RUNS_EACH), str(start_at)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for i, (klass, name) in enumerate(STUDENTS)]
    played = []
    for writer in writers:
        out, err = writer.communicate(timeout=100)
        assert writer.returncode == 0, err
        played += [json.loads(line) for line in out.splitlines()]
    assert len(played) == 30
    with open_store(str(db)) as store:
        stored = {run.id: run for run in store.runs()}
    assert set(stored) == {r["id"] for r in played}, "every run played is stored, once"
    for record in played:
        run = stored[record["id"]]
        assert (run.score, run.outcome, run.ending) == (record["score"], record["outcome"],
                                                        record["ending"])
        assert (run.player.class_code, run.player.name) == (record["player"]["class"],
                                                            record["player"]["name"])
        assert [s.chosen for s in run.steps] == [s["chosen"] for s in record["steps"]]

    # the facilitator exports the class as CSV and as xAPI
    code, out, _ = results("export", "--results", str(db))
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert code == 0 and len(rows) == 30
    assert sorted((r["run_id"], int(r["score"])) for r in rows) == \
        sorted((r["id"], r["score"]) for r in played)
    code, out, _ = results("export", "--results", str(db), "--format", "xapi", "--class", "11B")
    statements = json.loads(out)
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
    scores = sorted(s["result"]["score"]["raw"] for s in statements
                    if s["verb"]["id"].endswith("/completed"))
    assert scores == sorted(r["score"] for r in played if r["player"]["class"] == "11B")
    assert len(statements) == sum(len(r["steps"]) + 1 for r in played
                                  if r["player"]["class"] == "11B")

    # two machines' exports merged into a third: no run twice
    half = tmp_path / "11B.json"
    everything = tmp_path / "all.xapi.json"
    assert results("export", "--results", str(db), "--class", "11B", "--format", "json",
                   "-o", str(half))[0] == 0
    assert results("export", "--results", str(db), "--format", "xapi", "-o",
                   str(everything))[0] == 0
    merged = tmp_path / "merged.db"
    code, out, _ = results("merge", "--results", str(merged), str(half), str(everything))
    assert code == 0
    assert out.splitlines() == [f"{half}: 18 added, 0 already stored",
                                f"{everything}: 12 added, 18 already stored",
                                f"In all: 30 added, 18 already stored, into {merged}"]
    with open_store(str(merged)) as store:
        assert sorted((r.id, r.score) for r in store.runs()) == \
            sorted((r["id"], r["score"]) for r in played)

    # and class 11B asks for its data to be erased
    code, out, _ = results("delete", "--results", str(db), "--class", "11B", "--yes")
    assert code == 0 and out == f"Erased 18 runs of class 11B from {db}.\n"
    with open_store(str(db)) as store:
        assert store.count() == 12 and store.count(Filter(class_code="11B")) == 0
        assert {r.player.class_code for r in store.runs()} == {"12C"}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killing_a_writer_never_loses_an_earlier_run(tmp_path: Path) -> None:
    db = tmp_path / "class.db"
    rng = random.Random(20261206)
    reported: list[str] = []
    for _ in range(8):
        child = subprocess.Popen([sys.executable, str(WRITER), "store", str(db)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        wanted = rng.randint(1, 40)
        try:
            for _ in range(wanted):
                line = child.stdout.readline()
                assert line.startswith("stored "), line
                reported.append(line.split()[1])
            time.sleep(rng.random() * 0.02)  # kill it mid-write, or between writes
        finally:
            assert child.pid > 1
            os.kill(child.pid, signal.SIGKILL)  # only the child this test started
            child.wait(timeout=30)
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        with sqlite3.connect(db) as check:
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()
        with open_store(str(db)) as store:
            ids = {run.id for run in store.runs()}
        missing = set(reported) - ids
        assert not missing, f"runs reported stored were lost: {sorted(missing)[:3]}"
    assert len(reported) >= 8
