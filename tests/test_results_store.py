"""The class store: every finished run in SQLite, old run files imported, bad files refused."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from game.classroom.keep import keep_run, open_results
from game.classroom.records import read_run
from game.classroom.store import SCHEMA_VERSION, Filter, ResultsError, open_store
from game.cli import main
from game.store.results import pending_dir, results_dir, save_run

ROOT = Path(__file__).resolve().parent.parent


def play(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["play", *argv], out=out, err=err, inp=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def stored(path: Path) -> list:
    with open_store(str(path)) as store:
        return store.runs()


def test_every_text_run_is_stored_with_its_decisions_and_player(
        tiny_path: Path, player_home: Path) -> None:
    code, out, err = play(str(tiny_path), "--choices", "argue", "--json", "--class", " 11B ",
                          "--name", "Ana  Lima")
    assert code == 0 and err == ""
    record = json.loads(out)
    (run,) = stored(player_home / "results.db")
    assert run.id == record["id"] and run.mode == "practice"
    assert (run.player.class_code, run.player.name) == ("11B", "Ana Lima")
    assert (run.story.id, run.story.title) == ("tiny", record["story"]["title"])
    assert run.story.sha256 == hashlib.sha256(tiny_path.read_bytes()).hexdigest()
    (step,) = run.steps
    assert (step.scene, step.chosen, step.text) == ("news", "argue", "You're making a mistake.")
    assert step.feedback and step.deltas == {"door": -40}
    assert (run.score, run.outcome, run.ending) == (record["score"], "closed", "closed")
    assert run.meters == record["meters"] and run.finished.endswith("Z")
    code, _, _ = play(str(tiny_path), "--choices", "thank")
    assert code == 0
    runs = stored(player_home / "results.db")
    assert len(runs) == 2
    assert sorted(str(r.player.name) for r in runs) == ["Ana Lima", "None"], "anonymous by default"


def test_results_go_where_the_option_or_the_environment_says(
        tiny_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        player_home: Path) -> None:
    assert play(str(tiny_path), "--choices", "thank", "--results",
                str(tmp_path / "class" / "a.db"))[0] == 0
    monkeypatch.setenv("CALLBACK_RESULTS", str(tmp_path / "env.db"))
    assert play(str(tiny_path), "--choices", "thank")[0] == 0
    assert len(stored(tmp_path / "class" / "a.db")) == 1
    assert len(stored(tmp_path / "env.db")) == 1
    assert not (player_home / "results.db").exists()


def test_a_story_played_on_its_own_starts_fresh_unless_the_player_continues(
        player_home: Path) -> None:
    argue = "let-it-go-tonight,argue-decision"
    assert play("rejection-call", "--choices", argue, "--auto", "first")[0] == 0
    code, out, _ = play("the-callback", "--auto", "first")
    assert code == 0
    assert "Starting fresh: nothing is carried over from earlier calls." in out
    code, out, _ = play("the-callback", "--continue", "--auto", "first")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("Continuing your campaign"))
    assert "argued (from " in line, line
    code, out, _ = play("the-callback", "--auto", "first", "--json")
    assert json.loads(out)["imports"] == {}


def test_each_named_player_has_a_campaign_of_their_own(player_home: Path) -> None:
    assert play("rejection-call", "--choices", "let-it-go-tonight,argue-decision", "--auto",
                "first", "--class", "11B", "--name", "Ana")[0] == 0
    code, out, _ = play("the-callback", "--continue", "--auto", "first", "--json",
                        "--class", "11b", "--name", "ana")
    assert json.loads(out)["imports"].get("argued") is True, "the same player, any case"
    code, out, _ = play("the-callback", "--continue", "--auto", "first", "--json",
                        "--class", "11B", "--name", "Ben")
    assert not json.loads(out)["imports"].get("argued"), "Ben never argued"
    assert not (player_home / "profile.json").exists(), "the machine's profile is untouched"


def test_old_run_files_are_imported_once_and_left_in_place(
        tiny_path: Path, player_home: Path, tmp_path: Path) -> None:
    old = {"format": "callback-run", "version": 1,
           "story": {"id": "tiny", "title": "Tiny", "version": "1", "sha256": "ab"},
           "steps": [{"scene": "news", "offered": [{"id": "thank", "text": "Thanks."}],
                      "chosen": "thank", "deltas": {"door": 20}, "flags": {},
                      "best_reachable": 73}],
           "ending": "open", "outcome": "open", "score": 73, "best_possible": 73,
           "meters": {"door": 70}, "flags": {}, "imports": {},
           "started": "2026-11-25T17:15:48Z", "finished": "2026-11-25T17:15:51Z"}
    path = save_run(old, results_dir(player_home))
    (results_dir(player_home) / "broken.json").write_text("{", encoding="utf-8")
    before = path.read_bytes()
    with open_results(str(player_home / "results.db")) as opened:
        assert len(opened.notes) == 1 and "broken.json" in opened.notes[0]
        (run,) = opened.store.runs()
        assert run.steps[0].text == "Thanks.", "an old record's choice text comes from offered"
    with open_results(str(player_home / "results.db")) as opened:
        assert opened.notes == [] and opened.store.count() == 1
    assert path.read_bytes() == before
    with open_results(str(tmp_path / "class.db")) as opened:
        assert opened.store.count() == 0, "this machine's old runs stay out of a class's"
    with open_store(str(player_home / "results.db")) as store:  # imported again: by id
        assert store.add(read_run(json.loads(before))) is False


@pytest.mark.parametrize("content", [b"just some notes\n", b"SQLite format 3\x00" + b"\x07" * 5000])
def test_a_file_that_is_not_a_sound_database_is_refused_and_never_changed(
        tmp_path: Path, content: bytes, tiny_path: Path) -> None:
    path = tmp_path / "results.db"
    path.write_bytes(content)
    with pytest.raises(ResultsError, match=str(path)):
        open_store(str(path))
    assert path.read_bytes() == content
    code, _, err = play(str(tiny_path), "--choices", "thank", "--results", str(path))
    assert code == 0 and path.read_bytes() == content
    assert err.count("\n") == 1 and str(path) in err and "will be stored" in err


def test_a_database_from_a_newer_callback_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE callback_meta SET value = ? WHERE key = 'schema_version'",
                           (str(SCHEMA_VERSION + 1),))
    connection.close()
    before = path.read_bytes()
    with pytest.raises(ResultsError, match="newer Callback"):
        open_store(str(path))
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "marks.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE marks (pupil TEXT)")
    connection.close()
    with pytest.raises(ResultsError, match="not a Callback results database"):
        open_store(str(path))


def test_a_run_that_cannot_be_stored_waits_and_is_stored_next_time(
        tiny_path: Path, tmp_path: Path, player_home: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    target = str(blocked / "r.db")
    code, out, err = play(str(tiny_path), "--choices", "thank", "--json", "--results", target)
    assert code == 0 and err.count("\n") == 1 and "will be stored the next time" in err
    run_id = json.loads(out)["id"]
    assert len(list(pending_dir(player_home).glob("*.json"))) == 1
    blocked.unlink()
    code, _, err = play(str(tiny_path), "--choices", "argue", "--results", target)
    assert code == 0 and err == "callback: Stored 1 run that could not be stored earlier.\n"
    runs = stored(blocked / "r.db")
    assert run_id in {r.id for r in runs} and len(runs) == 2
    assert list(pending_dir(player_home).glob("*.json")) == []


def test_a_pending_run_for_another_database_stays_pending(player_home: Path,
                                                          tmp_path: Path) -> None:
    code, out, _ = play(str(ROOT / "tests" / "fixtures" / "tiny.yaml"), "--choices", "thank",
                        "--json")
    record = json.loads(out)
    record["id"] = "0f6e5b0e-0000-4000-8000-000000000001"
    note = keep_run(record, str(tmp_path / "x" / "not-a-folder" / "r.db"), player_home)
    assert note == ""  # that one could be made
    (tmp_path / "y").write_text("", encoding="utf-8")
    note = keep_run({**record, "id": "0f6e5b0e-0000-4000-8000-000000000002"},
                    str(tmp_path / "y" / "r.db"), player_home)
    assert "will be stored" in note
    with open_results(str(player_home / "results.db"), player_home) as opened:
        assert opened.store.count(Filter(story="tiny")) == 1  # only the one played above
    assert len(list(pending_dir(player_home).glob("*.json"))) == 1


@pytest.mark.parametrize("busy", [15.0, 0.1], ids=["busy-timeout", "retries"])
def test_a_locked_database_waits_and_the_run_is_stored(
        tiny_path: Path, tmp_path: Path, busy: float, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("game.classroom.dialects.BUSY_SECONDS", busy)
    path = tmp_path / "r.db"
    open_store(str(path)).close()
    other_game = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_game.execute("BEGIN IMMEDIATE")  # another game is writing, and slowly
    other_game.execute("INSERT INTO callback_meta VALUES ('other', 'game')")
    releaser = threading.Timer(1.0, other_game.execute, ["COMMIT"])
    releaser.start()
    try:
        code, out, err = play(str(tiny_path), "--choices", "thank", "--json", "--results",
                              str(path))
    finally:
        releaser.join()
        other_game.close()
    assert code == 0 and err == ""
    assert [r.id for r in stored(path)] == [json.loads(out)["id"]]
