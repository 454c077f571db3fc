"""`callback results`: list, export (CSV, JSON, xAPI), merge and delete, as a facilitator would."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from game.classroom.store import open_store
from game.cli import main


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, inp=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def play(tiny: Path, choice: str, *who: str, db: Path | None = None) -> dict:
    where = ["--results", str(db)] if db else []
    code, out, err = run("play", str(tiny), "--choices", choice, "--json", *who, *where)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def class_db(tiny_path: Path, tmp_path: Path) -> tuple[Path, list[dict]]:
    """Five runs: three of class 11B (one by a name that looks like a formula), one of 12C,
    one anonymous."""
    db = tmp_path / "class.db"
    records = [
        play(tiny_path, "thank", "--class", "11B", "--name", "Ana", db=db),
        play(tiny_path, "argue", "--class", "11B", "--name", "=SUM(A1:A9)", db=db),
        play(tiny_path, "thank", "--class", "11B", "--name=-Bo", db=db),
        play(tiny_path, "argue", "--class", "12C", "--name", "Cy", db=db),
        play(tiny_path, "thank", db=db),
    ]
    return db, records


def test_list_is_a_readable_table_and_filters(class_db: tuple[Path, list[dict]]) -> None:
    db, records = class_db
    code, out, _ = run("results", "list", "--results", str(db))
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["Finished", "(UTC)", "Story", "Class", "Player",
                                              "Score", "Door", "Ending"]
    assert lines[-1] == f"5 runs in {db}"
    assert sum("(anonymous)" in line for line in lines) == 1
    code, out, _ = run("results", "list", "--results", str(db), "--class", "11B")
    assert out.splitlines()[-1] == f"3 runs in {db}" and " 12C " not in out
    code, out, _ = run("results", "list", "--results", str(db), "--class", "11B", "--json")
    assert sorted(r["id"] for r in json.loads(out)) == sorted(r["id"] for r in records[:3])
    code, out, _ = run("results", "list", "--results", str(db), "--since", "2999-01-01")
    assert out == f"No runs match (of 5 stored in {db}).\n"
    day = records[0]["finished"][:10]
    code, out, _ = run("results", "list", "--results", str(db), "--until", day, "--story",
                       "tiny")
    assert out.splitlines()[-1] == f"5 runs in {db}", "--until takes in the whole day"
    code, _, err = run("results", "list", "--results", str(db), "--since", "last week")
    assert code == 2 and "'last week' is not a date" in err


def test_csv_opens_cleanly_in_a_spreadsheet(class_db: tuple[Path, list[dict]],
                                            tmp_path: Path) -> None:
    db, records = class_db
    target = tmp_path / "out" / "class.csv"
    code, _, err = run("results", "export", "--results", str(db), "--class", "11B",
                       "-o", str(target))
    assert code == 0 and err == f"Exported 3 runs to {target}\n"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with the mark a spreadsheet looks for"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 3
    by_id = {row["run_id"]: row for row in rows}
    for record in records[:3]:
        row = by_id[record["id"]]
        assert row["score"] == str(record["score"]) and row["door"] == record["outcome"]
        assert row["decision 1"] == f"news: {record['steps'][0]['chosen']}"
        assert row["meter: door"] == str(record["meters"]["door"])
        assert row["finished"] == record["finished"] and row["class_code"] == "11B"
    names = sorted(row["name"] for row in rows)
    assert names == ["'-Bo", "'=SUM(A1:A9)", "Ana"], "no cell can start a formula"


def test_xapi_statements_are_valid_and_never_duplicate(class_db: tuple[Path, list[dict]]
                                                       ) -> None:
    db, records = class_db
    code, out, _ = run("results", "export", "--results", str(db), "--format", "xapi")
    assert code == 0
    statements = json.loads(out)
    assert len(out.splitlines()) == len(statements) + 2, "one statement per line"
    for statement in statements:
        BaseXapiStatement.model_validate(statement)  # the ralph-malph xAPI model
    assert len({s["id"] for s in statements}) == len(statements) == 10
    again = json.loads(run("results", "export", "--results", str(db), "--format", "xapi")[1])
    assert [s["id"] for s in again] == [s["id"] for s in statements], "ids are stable"
    by_run: dict[str, list[dict]] = {}
    for statement in statements:
        run_id = statement["context"]["extensions"][
            "https://callback-game.invalid/xapi/extensions/run"]
        run_id = run_id["id"] if isinstance(run_id, dict) else run_id
        by_run.setdefault(run_id, []).append(statement)
    for record in records:
        answered, completed = by_run[record["id"]]
        assert answered["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
        definition = answered["object"]["definition"]
        assert definition["interactionType"] == "choice"
        assert [c["id"] for c in definition["choices"]] == ["thank", "argue"]
        assert answered["result"]["response"] == record["steps"][0]["chosen"]
        assert answered["result"]["extensions"][
            "https://callback-game.invalid/xapi/extensions/feedback"] == \
            record["steps"][0]["feedback"]
        score = completed["result"]["score"]
        assert completed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
        assert score["raw"] == record["score"] and (score["min"], score["max"]) == (0, 100)
        assert -1 <= score["scaled"] <= 1 and score["scaled"] == (record["score"] - 50) / 50
        assert completed["result"]["success"] is (record["outcome"] in ("open", "ajar"))
        assert completed["result"]["extensions"][
            "https://callback-game.invalid/xapi/extensions/meters"] == record["meters"]
        registrations = {s["context"].get("registration") for s in (answered, completed)}
        klass = record["player"]["class"]
        assert len(registrations) == 1
        (registration,) = registrations
        if klass is None:
            assert registration is None
        else:
            assert uuid.UUID(registration).version == 5
    regs = {r["player"]["class"]: by_run[r["id"]][1]["context"].get("registration")
            for r in records}
    assert len({regs["11B"], regs["12C"]}) == 2
    assert {by_run[r["id"]][1]["context"].get("registration") for r in records[:3]} == \
        {regs["11B"]}, "a class is one registration"


@pytest.mark.parametrize("fmt", ["json", "xapi"])
def test_merge_adds_each_run_once(class_db: tuple[Path, list[dict]], tmp_path: Path,
                                  tiny_path: Path, fmt: str) -> None:
    db, records = class_db
    export = tmp_path / f"export.{fmt}"
    assert run("results", "export", "--results", str(db), "--format", fmt, "-o",
               str(export))[0] == 0
    other = tmp_path / "other.db"
    own = play(tiny_path, "thank", "--class", "9A", db=other)
    code, out, _ = run("results", "merge", "--results", str(other), str(export))
    assert code == 0 and out == f"{export}: 5 added, 0 already stored\n"
    code, out, _ = run("results", "merge", "--results", str(other), str(export), str(export))
    assert out.splitlines()[-1] == f"In all: 0 added, 10 already stored, into {other}"
    with open_store(str(other)) as store:
        merged = {r.id: r for r in store.runs()}
    assert set(merged) == {r["id"] for r in records} | {own["id"]}
    for record in records:
        run_ = merged[record["id"]]
        assert (run_.score, run_.outcome, run_.ending) == (record["score"], record["outcome"],
                                                           record["ending"])
        assert run_.player.class_code == record["player"]["class"]
        assert run_.player.name == record["player"]["name"]
        assert run_.meters == record["meters"] and run_.finished == record["finished"]
        assert [(s.scene, s.chosen, s.feedback) for s in run_.steps] == \
            [(s["scene"], s["chosen"], s["feedback"]) for s in record["steps"]]


def test_a_malformed_export_is_named_with_its_line_and_nothing_is_merged(
        class_db: tuple[Path, list[dict]], tmp_path: Path) -> None:
    db, _ = class_db
    export = tmp_path / "export.json"
    run("results", "export", "--results", str(db), "--format", "json", "-o", str(export))
    lines = export.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[3].rstrip(","))
    del broken["score"]
    lines[3] = json.dumps(broken) + ","
    bad = tmp_path / "bad.json"
    bad.write_text("\n".join(lines), encoding="utf-8")
    other = tmp_path / "other.db"
    code, out, err = run("results", "merge", "--results", str(other), str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"{bad}:4: not a run record: score: Field required\n")
    assert f"Nothing from {bad} was merged." in err
    truncated = tmp_path / "cut.json"
    truncated.write_text(export.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    code, _, err = run("results", "merge", "--results", str(other), str(truncated))
    assert code == 1 and err.startswith(f"{truncated}:6:") and "not valid JSON" in err
    with open_store(str(other)) as store:
        assert store.count() == 0


def test_delete_says_how_many_asks_and_erases_for_good(class_db: tuple[Path, list[dict]]
                                                       ) -> None:
    db, records = class_db
    code, out, err = run("results", "delete", "--results", str(db), "--class", "11B",
                         stdin="n\n")
    assert "This will erase 3 runs of class 11B" in err and out == "Nothing erased.\n"
    code, out, err = run("results", "delete", "--results", str(db), "--class", "11B",
                         stdin="y\n")
    assert code == 0 and out == f"Erased 3 runs of class 11B from {db}.\n"
    with open_store(str(db)) as store:
        assert sorted(r.player.name or "" for r in store.runs()) == ["", "Cy"]
    for leftover in (db, db.with_name(db.name + "-wal")):
        if leftover.exists():
            assert b"SUM(A1:A9)" not in leftover.read_bytes(), f"{leftover} keeps a name"
    code, out, _ = run("results", "delete", "--results", str(db), "--before", "2999-01-01",
                       "--yes")
    assert code == 0 and out == f"Erased 2 runs finished before 2999-01-01 from {db}.\n"
    code, _, err = run("results", "delete", "--results", str(db))
    assert code == 2 and "give --class CODE or --before DATE" in err


def test_a_bad_results_file_is_named_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    path.write_text("name,score\nAna,73\n", encoding="utf-8")
    for action in (["list"], ["export"], ["delete", "--class", "x", "--yes"]):
        code, out, err = run("results", *action, "--results", str(path))
        assert (code, out) == (1, "") and err.count("\n") == 1
        assert f"callback: {path}: is not a Callback results database" in err
    assert path.read_text(encoding="utf-8") == "name,score\nAna,73\n"
