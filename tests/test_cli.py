"""The command line: exit codes, scripted play, the run record."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from game.cli import main


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, inp=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_validate_exit_codes(tiny_path: Path, tmp_path: Path) -> None:
    assert run("validate", str(tiny_path))[0] == 0
    bad = Path(__file__).parent / "fixtures" / "diagnostics" / "CB010.yaml"
    code, out, _ = run("validate", str(bad))
    assert code == 1 and "CB010" in out
    assert run("validate", str(tmp_path / "missing.yaml"))[0] == 1
    assert run("validate")[0] == 2
    assert run("validate", "--bogus")[0] == 2
    assert run("nonsense")[0] == 2


def test_strict_makes_warnings_fail_and_json_format(tmp_path: Path) -> None:
    warn = Path(__file__).parent / "fixtures" / "diagnostics" / "CB026.yaml"
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
    assert "Thanking them keeps the door open." in out


def test_interactive_play_reads_answers_and_reprompts(tiny_path: Path) -> None:
    code, out, _ = run("play", str(tiny_path), "--text", stdin="7\nargue\n")
    assert code == 0
    assert "choice 7 is not offered" in out
    assert "Door: closed" in out


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
    assert record["flags"] == {"argued": True}
    assert record["started"].endswith("Z") and record["finished"].endswith("Z")
    assert "Maya Okafor" in err, "prose goes to stderr when --json is on"


def test_scripted_errors_exit_1(tiny_path: Path) -> None:
    code, _, err = run("play", str(tiny_path), "--choices", "9")
    assert code == 1 and "choice 9 is not offered in scene 'news'" in err
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
    import game.cli

    def boom(*_args: object) -> int:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(game.cli, "cmd_validate", boom)
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
