"""The command line: exit codes, scripted play, the run record."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.paths import stories_dir

EXAMPLES = Path(__file__).resolve().parent.parent / "game" / "story" / "examples"


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, inp=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_validate_exit_codes(tiny_path: Path, tmp_path: Path) -> None:
    assert run("validate", str(tiny_path))[0] == 0
    bad = EXAMPLES / "CB010.yaml"
    code, out, _ = run("validate", str(bad))
    assert code == 1 and "CB010" in out
    assert run("validate", str(tmp_path / "missing.yaml"))[0] == 1
    assert run("validate")[0] == 2
    assert run("validate", "--bogus")[0] == 2
    assert run("nonsense")[0] == 2


def test_strict_makes_warnings_fail_and_json_format(tmp_path: Path) -> None:
    warn = EXAMPLES / "CB026.yaml"
    assert run("validate", str(warn))[0] == 0
    code, out, _ = run("validate", "--strict", "--format", "json", str(warn))
    assert code == 1
    (entry,) = json.loads(out)
    assert entry["valid"] is False and entry["diagnostics"][0]["code"] == "CB026"


def test_explain(tmp_path: Path) -> None:
    code, out, _ = run("validate", "--explain", "CB010")
    assert code == 0 and "missing target" in out
    assert run("validate", "--explain", "CB999")[0] == 2


def test_scripted_text_play_prints_the_story_and_the_debrief(tiny_path: Path) -> None:
    code, out, _ = run("play", str(tiny_path), "--text", "--choices", "1")
    assert code == 0
    assert "Maya Okafor: Sorry, we went with someone else." in out
    assert "You: Thanks for letting me know." in out
    assert "Relationship score: 73/100" in out and "Door: open" in out
    assert "73 is in the open band (70-100): called back for a new role." in out
    assert "Thanking them keeps the door open." in out


def test_interactive_play_reads_answers_and_reprompts(tiny_path: Path) -> None:
    code, out, err = run("play", str(tiny_path), "--text", stdin="7\n\nx\n99\nargue\n")
    assert code == 0 and err == ""
    assert out.count("> Type a number from 1 to 2, or a choice id.\n") == 4
    assert "not offered" not in out and "offered:" not in out
    assert "Door: closed" in out


def test_interactive_play_explains_a_locked_choice(write_story, tiny_path: Path) -> None:
    text = tiny_path.read_text().replace(
        "      - id: argue\n",
        "      - id: mentor\n        text: Could you mentor me?\n        goto: open\n"
        "        if: argued\n        locked: You have not argued yet.\n"
        "        feedback: Odd.\n      - id: argue\n")
    path = write_story(text)
    code, out, _ = run("play", str(path), "--text", stdin="2\nARGUE\n")
    assert code == 0 and "-  Could you mentor me? (locked: You have not argued yet.)" in out
    assert "That choice is locked (You have not argued yet). Type 1 or 3, or a choice id." in out
    assert "Door: closed" in out, "ids are matched whatever their case"


def test_json_run_record(tiny_path: Path) -> None:
    code, out, err = run("play", str(tiny_path), "--choices", "argue", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["story"]["id"] == "tiny" and len(record["story"]["sha256"]) == 64
    (step,) = record["steps"]
    assert step["scene"] == "news" and step["chosen"] == "argue"
    assert step["offered"][0] == {"id": "thank", "text": "Thanks for letting me know.",
                                  "tags": ["thank"]}
    assert step["deltas"] == {"door": -40} and step["best_reachable"] == record["score"]
    assert (record["ending"], record["outcome"]) == ("closed", "closed")
    assert record["band"] == {"min": 0, "max": 29} and record["score"] <= 29
    assert record["flags"] == {"argued": True}
    assert record["started"].endswith("Z") and record["finished"].endswith("Z")
    assert err == "", "with --json the prose is shown nowhere"


def test_json_play_from_piped_answers_prints_only_the_record(tiny_path: Path) -> None:
    code, out, err = run("play", str(tiny_path), "--json", stdin="x\n1\n")
    assert code == 0 and err == ""
    assert json.loads(out)["ending"] == "open"


def test_json_play_at_a_terminal_needs_a_script(tiny_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = io.StringIO(), io.StringIO()
    code = main(["play", str(tiny_path), "--json"], out=out, err=err, inp=Terminal())
    assert code == 2 and out.getvalue() == ""
    assert "give --choices or --auto" in err.getvalue() and err.getvalue().count("\n") == 1


def test_scripted_errors_exit_1(tiny_path: Path) -> None:
    code, _, err = run("play", str(tiny_path), "--choices", "9")
    assert code == 1 and err == (
        "callback: scripted choice 1: choice 9 is not offered in scene 'news' "
        "(offered: 1=thank, 2=argue)\n")
    code, _, err = run("play", str(tiny_path), "--text")
    assert code == 1 and "input ended before the story did" in err


def test_auto_modes(tiny_path: Path) -> None:
    assert "Door: open" in run("play", str(tiny_path), "--auto", "best")[1]
    assert "Door: open" in run("play", str(tiny_path), "--auto", "first")[1]
    one = run("play", str(tiny_path), "--auto", "random", "--seed", "3", "--json")[1]
    two = run("play", str(tiny_path), "--auto", "random", "--seed", "3", "--json")[1]
    assert json.loads(one)["steps"] == json.loads(two)["steps"]


def test_python_m_game_is_the_same_command(tiny_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "game", "validate", str(tiny_path)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "pygame" not in proc.stdout + proc.stderr


def test_an_unexpected_error_is_one_line_and_a_crash_report(tiny_path, monkeypatch,
                                                            player_home: Path) -> None:
    import game.authoring.validate

    def boom(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(game.authoring.validate, "validate_command", boom)
    code, out, err = run("validate", str(tiny_path))
    assert code == 1 and out == ""
    assert err.startswith(
        "callback: unexpected error (RuntimeError: simulated bug); crash report: ")
    assert err.count("\n") == 1 and "Traceback" not in err
    (report,) = (player_home / "logs").glob("crash-*.txt")
    assert "simulated bug" in report.read_text()


def test_validating_a_folder_checks_stories_and_rubrics(tmp_path: Path, tiny_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(tiny_path.read_text())
    (tmp_path / "bad.rubric.yaml").write_text("rubric: bad\ntags: {argue: x}\nmeterz: {}\n")
    code, out, err = run("validate", str(tmp_path))
    assert code == 1 and "2 file(s): 1 error(s)" in err
    assert "bad.rubric.yaml:3:1: error CB004: unknown key 'meterz' (did you mean 'meters'?)" in out


def test_empty_scripted_choices_are_a_usage_error(tiny_path: Path) -> None:
    for script in (",,", "1,,2", ""):
        code, out, err = run("play", str(tiny_path), "--choices", script)
        assert code == 2 and out == "", script
        assert "is empty" in err and err.count("\n") == 1, script


def test_validate_searches_folders_recursively(tmp_path: Path, tiny_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.yaml").write_text(tiny_path.read_text())
    (tmp_path / "b" / "deep" / "c.yml").write_text(tiny_path.read_text())
    (tmp_path / "b" / "x.rubric.yml").write_text("rubric: x\ntags: {argue: x}\nmeterz: {}\n")
    (tmp_path / ".git" / "hidden.yaml").write_text("not: a story\n")
    (tmp_path / "notes.txt").write_text("not yaml")
    code, out, err = run("validate", "--format", "json", str(tmp_path))
    assert code == 1
    entries = json.loads(out)
    assert [Path(e["path"]).relative_to(tmp_path).as_posix() for e in entries] == [
        "a.yaml", "b/deep/c.yml", "b/x.rubric.yml"]
    assert [e["valid"] for e in entries] == [True, True, False]
    assert entries[2]["diagnostics"][0]["message"] == "unknown key 'meterz'"


def test_validate_a_folder_without_stories_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "story.yaml").write_text("id: x\n")
    code, out, err = run("validate", str(tmp_path))
    assert (code, out) == (1, "")
    assert err == f"{tmp_path}: no story files (*.yaml, *.yml) found\n"
    code, out, err = run("validate", "--format", "json", str(tmp_path))
    assert code == 1 and err == ""
    (entry,) = json.loads(out)
    assert entry["path"] == str(tmp_path) and entry["valid"] is False
    assert entry["diagnostics"][0]["message"] == "no story files (*.yaml, *.yml) found"


def test_new_writes_the_schema_beside_the_story(tmp_path: Path) -> None:
    target = tmp_path / "course" / "week-1" / "my-story.yaml"
    code, _, err = run("new", str(target))
    assert code == 0
    assert target.read_text().splitlines()[0] == "# yaml-language-server: $schema=story.schema.json"
    schema = target.parent / "story.schema.json"
    assert schema.read_text() == run("schema")[1]
    assert f"wrote {schema}" in err
    assert run("validate", str(target))[0] == 0
    schema.write_text("{}")  # an author's own schema is kept
    code, _, err = run("new", str(target.parent / "second.yaml"))
    assert code == 0 and schema.read_text() == "{}" and "story.schema.json" not in err


def test_new_reports_an_unwritable_place_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    code, _, err = run("new", str(tmp_path / "file" / "story.yaml"))
    assert code == 1 and err.startswith("callback: cannot write ") and err.count("\n") == 1


def test_bundled_stories_are_found_by_id_from_any_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # as after installing the wheel: no stories/ here
    code, out, err = run("play", "rejection-call", "--text", "--auto", "first")
    assert code == 0 and "Relationship score:" in out, err
    assert run("analyze", "rejection-call")[0] == 0
    assert run("simulate", "rejection-call", "--runs", "5")[0] == 0
    assert run("graph", "rejection-call", "--format", "mermaid")[0] == 0
    code, out, err = run("play", "rejection-cal", "--text")
    assert (code, out) == (1, "")
    assert err.startswith("callback: no such story file or bundled story 'rejection-cal' "
                          "(bundled: check-in, ") and err.count("\n") == 1


def test_a_bundled_story_is_found_by_its_id_too(
        tmp_path: Path, tiny_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import game.paths

    (tmp_path / "lib").mkdir()
    shutil.copy(tiny_path, tmp_path / "lib" / "01-first.yaml")
    monkeypatch.setattr(game.paths, "bundled_stories",
                        lambda: sorted((tmp_path / "lib").glob("*.yaml")))
    monkeypatch.chdir(tmp_path)
    assert run("play", "tiny", "--choices", "1")[0] == 0
    assert run("play", "01-first", "--choices", "1")[0] == 0
    assert "(bundled: tiny)" in run("play", "nope", "--text")[2]


def test_tools_refuse_a_rubric_file_clearly() -> None:
    rubric = str(stories_dir() / "default.rubric.yaml")
    for argv in (["play", rubric, "--text"], ["analyze", rubric], ["simulate", rubric],
                 ["graph", rubric]):
        code, out, err = run(*argv)
        assert (code, out) == (1, ""), argv
        assert f"{rubric} is a rubric file, not a story" in err and err.count("\n") == 1, argv
        assert "missing required key" not in err


def test_campaign_shows_carried_choices_in_text_and_no_prose_with_json() -> None:
    answers = "let-it-go-tonight,argue-decision"
    code, out, err = run("play", "--campaign", "--choices", answers, "--auto", "first")
    assert code == 0, err
    assert "Carried over from earlier scenarios" in out
    code, out, err = run("play", "--campaign", "--choices", answers, "--auto", "first", "--json")
    assert code == 0 and err == ""
    assert [r["story"]["id"] for r in json.loads(out)][-1] == "the-callback"


def test_analyze_json_is_the_analysis_with_one_row_per_line() -> None:
    from game.analysis.load import load_story
    from game.authoring.analyze import analyze

    code, out, _ = run("analyze", "rejection-call", "--json")
    assert code == 0
    story = load_story(stories_dir() / "rejection-call.yaml").compiled
    assert story is not None
    assert json.loads(out) == analyze(story).to_json()
    rows = [line for line in out.splitlines() if line.startswith('    {"scene": ')]
    assert len(rows) == len(analyze(story).choice_impact)  # each choice on its own line


def test_a_batch_command_flushes_everything_before_its_fast_exit(tmp_path: Path) -> None:
    """Batch commands end with os._exit (no teardown of a large heap): what they print
    must all be out by then, however long."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "game", "analyze", "rejection-call", "--json"],
        cwd=tmp_path, env={"PYTHONPATH": str(root), "CALLBACK_HOME": str(tmp_path / "home"),
                           "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["story"] == "rejection-call"


@pytest.mark.parametrize("command", [
    ["play", "rejection-call", "--text", "--auto", "best"],
    ["schema"],
    ["analyze", "rejection-call", "--json"],
    ["validate", "--explain", "CB010"],
])
@pytest.mark.parametrize("reads", [0, 3], ids=["closed-pager", "head-3"])
def test_output_cut_short_ends_quietly(tmp_path: Path, command: list[str], reads: int) -> None:
    """``callback ... | head -3``, or a pager quit before anything was shown: no
    traceback, no crash report, and the shell's code for a closed pipe (0 when all the
    output was already in the pipe when the reader left)."""
    root = Path(__file__).resolve().parent.parent
    home = tmp_path / "home"
    reader, writer = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", *command], cwd=tmp_path,
        env={"PYTHONPATH": str(root), "CALLBACK_HOME": str(home), "PATH": "/usr/bin:/bin",
             "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
        stdin=subprocess.DEVNULL, stdout=writer, stderr=subprocess.PIPE)
    os.close(writer)
    assert proc.pid > 1
    try:
        with os.fdopen(reader, "rb") as lines:
            for _ in range(reads):
                assert lines.readline()
        _, err_bytes = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = err_bytes.decode()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert "unexpected error" not in err and err == "", err
    assert proc.returncode in ((141,) if reads == 0 else (0, 141)), err
    assert not list(home.glob("logs/crash-*.txt"))


def test_the_command_line_is_a_parser_and_a_dispatcher() -> None:
    """Each command's work lives in its own layer; a new command adds a small module."""
    import game.cli

    source = Path(game.cli.__file__).read_text(encoding="utf-8")
    assert len(source.splitlines()) < 300
    assert set(game.cli.COMMANDS) == {
        "validate", "play", "analyze", "simulate", "graph", "new", "schema", "screenshots",
        "results", "report"}


def test_a_copied_story_validates_and_says_how_to_get_its_schema(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    copy = tmp_path / "my-stories" / "rejection-call.yaml"
    copy.parent.mkdir()
    shutil.copy(root / "stories" / "rejection-call.yaml", copy)
    code, out, err = run("validate", str(copy))
    schema = copy.parent / "story.schema.json"
    assert code == 0, out + err
    assert out == (f"{copy}:1:1: note: editors complete keys from story.schema.json, which "
                   f"is not beside it: callback schema -o {schema}\n")
    assert run("schema", "-o", str(schema))[0] == 0
    assert json.loads(schema.read_text(encoding="utf-8")) == json.loads(run("schema")[1])
    assert run("validate", str(copy))[1] == ""
