"""``callback play --mode practice|assessment``: 'undo' in the terminal in practice only,
and the run record says whether the run was locked."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from tests.gui_helpers import STORY, write


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err, inp=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write(tmp_path, "story.yaml", STORY)


def test_typing_undo_in_practice_takes_the_last_answer_back(story: Path) -> None:
    # thank; Enter through 'later'; at 'ask' take it back; then insult instead
    code, out, _ = run("play", str(story), "--text", stdin="1\n\nundo\n2\n")
    assert code == 0
    assert "Practice: type 'undo'" in out and "(Your last answer is taken back.)" in out
    assert out.index("taken back") < out.rindex("You: Your company is a joke.")


def test_undo_before_any_answer_says_there_is_nothing_to_take_back(story: Path) -> None:
    code, out, _ = run("play", str(story), "--text", stdin="undo\n1\n\n1\n")
    assert code == 0 and "Nothing to take back yet" in out


def test_an_assessment_in_the_terminal_refuses_undo(story: Path) -> None:
    code, out, _ = run("play", str(story), "--text", "--mode", "assessment",
                       stdin="1\n\nundo\n1\n")
    assert code == 0
    assert "'undo' is not available" in out and "taken back" not in out
    assert "You: May I keep in touch about future roles?" in out


def _record(*argv: str, stdin: str = "") -> dict[str, Any]:
    code, out, err = run(*argv, "--json", stdin=stdin)
    assert code == 0, err
    record: dict[str, Any] = json.loads(out)
    return record


def test_the_run_record_says_the_mode_whether_it_was_locked_and_the_undos(story: Path) -> None:
    practice = _record("play", str(story), "--choices", "1,1")
    assert (practice["mode"], practice["locked"], practice["undos"]) == ("practice", False, 0)
    locked = _record("play", str(story), "--choices", "1,1", "--mode", "assessment")
    assert (locked["mode"], locked["locked"], locked["undos"]) == ("assessment", True, 0)


def test_a_workshop_has_its_own_mode(story: Path) -> None:
    code, _, err = run("play", str(story), "--workshop", "--mode", "assessment")
    assert code == 2 and "--mode" in err


def test_an_unknown_mode_is_a_usage_error(story: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    code, _, err = run("play", str(story), "--mode", "exam")
    said = err + capsys.readouterr().err  # argparse writes its own usage errors
    assert code == 2 and "'practice'" in said and "'assessment'" in said


def test_the_window_is_opened_in_the_mode_asked_for(story: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import game.gui.app

    opened: list[dict[str, Any]] = []

    def fake_window(**options: Any) -> int:  # the window itself is tested in test_gui_modes
        opened.append(options["session"])
        return 0

    monkeypatch.setattr(game.gui.app, "run_window", fake_window)
    assert run("play", str(story), "--mode", "assessment")[0] == 0
    assert run("play", str(story))[0] == 0
    assert [o["mode"] for o in opened] == ["assessment", "practice"]
