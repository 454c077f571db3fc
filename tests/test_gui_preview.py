"""Live preview (`callback play STORY --watch`), for real: rewrite the file while playing.

The app runs on a manual clock, so "a quarter of a second later" is one
``pilot.wait(POLL_MS)``; the reload itself runs on a worker thread, which the
tests wait for with ``Preview.wait`` instead of sleeping.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pygame
import pytest
from gui_helpers import Pilot, TextSpy, kinds, visible, write

from game.analysis.load import load_story
from game.cli import main
from game.gui.app import App, ManualClock, run_window
from game.gui.preview import MAX_SHOWN, POLL_MS, FileWatch, Preview
from game.gui.screens.call import CallScreen
from game.gui.screens.error import ErrorScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session

WATCHED = """\
id: watched
title: The Watched Call
summary: A call that changes while you play it.
minutes: 2
cast:
  you: {name: Alex Morgan, role: Candidate}
  maya: {name: Maya Okafor, role: Recruiter}
meters:
  door: {label: Door}
start: news
scenes:
  news:
    lines:
      - maya: Sorry, we went with someone else.
    choices:
      - id: thank
        text: Thank you for letting me know.
        goto: feedback
        effects: {door: 10}
        feedback: Thanking them keeps the door open.
      - id: argue
        text: You are making a mistake.
        goto: shut
        effects: {door: -30}
        feedback: Arguing closes the door.
  feedback:
    lines:
      - maya: Would some feedback help?
    choices:
      - id: ask
        text: Yes please, anything I could work on.
        goto: third
        effects: {door: 10}
        feedback: Asking once, after accepting, helps.
      - id: skip
        text: No, that's fine.
        goto: third
        feedback: Fine, but a chance missed.
  third:
    lines:
      - maya: Anything else?
    choices:
      - id: keep
        text: May I keep in touch?
        goto: open
        effects: {door: 20}
        feedback: Asking to keep in touch keeps you in mind.
      - id: bye
        text: (Hang up.)
        goto: shut
        feedback: Hanging up fast leaves no impression.
  open:
    ending: {title: Open, outcome: open, epilogue: Maya calls about a new role.}
  shut:
    ending: {title: Shut, outcome: shut, epilogue: Nothing.}
"""

NEW_LINE = "Sorry, we offered the role to someone else."
NEW_THIRD = """\
  third:
    lines:
      - maya: Before you go, may I keep your CV on file for the next opening?
    choices:
      - id: keep
        text: Please do, and thank you again for calling.
        goto: open
        effects: {door: 20}
        feedback: Asking to keep in touch keeps you in mind.
      - id: bye
        text: (Hang up.)
        goto: shut
        feedback: Hanging up fast leaves no impression.
"""


def _edited() -> str:
    """The story with a line changed and the third scene rewritten."""
    start = WATCHED.index("  third:\n")
    end = WATCHED.index("  open:\n")
    return WATCHED[:start].replace("Sorry, we went with someone else.", NEW_LINE) + (
        NEW_THIRD + WATCHED[end:]
    )


def _app(folder: Path, path: Path) -> App:
    session = Session([path], data_dir=folder / "data")
    app = App(clock=ManualClock(), session=session, text_speed=40, watch=path,
              transitions=False)
    assert app.preview is not None
    app.preview.open()
    app.step()
    return app


def _save(pilot: Pilot, path: Path, text: str) -> None:
    """Write ``text`` as an editor would, let one polling interval pass, and settle."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))  # a newer mtime, even on coarse FS
    app = pilot.app
    assert app.preview is not None
    pilot.wait(POLL_MS)  # the file is looked at: the reload starts
    assert app.preview.wait(10)
    pilot.wait(0)  # ... and is handed back to the window


def _call(app: App) -> CallScreen:
    assert kinds(app) == [TitleScreen, CallScreen]
    call = app.top
    assert isinstance(call, CallScreen)
    return call


def test_saving_reloads_and_replays_then_errors_overlay_and_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "story.yaml", WATCHED)
    spy = TextSpy(monkeypatch)
    app = _app(tmp_path, path)
    pilot = Pilot(app)
    preview = app.preview
    assert preview is not None
    call = _call(app)
    for _ in range(2):  # two choices, with posted keys
        pilot.press(pygame.K_SPACE)  # show the lines at once
        pilot.press(pygame.K_1)
    assert call.state.choices_made == ["thank", "ask"] and call.state.scene == "third"
    pilot.wait(POLL_MS * 3)  # nothing changed: nothing reloads
    assert app.top is call and preview.replayed is None

    # A good save: the line and the third scene change; the choices are replayed.
    _save(pilot, path, _edited())
    reloaded = _call(app)
    assert reloaded is not call and reloaded.story is preview.story is not call.story
    assert reloaded.state.choices_made == ["thank", "ask"] and reloaded.state.scene == "third"
    assert [s.choice for s in reloaded.state.history] == [s.choice for s in call.state.history]
    assert reloaded.ready and not reloaded.transcript.revealing  # re-shown at once
    assert preview.replayed == (2, 2)
    texts = [entry.text for entry in reloaded.transcript.entries]
    assert NEW_LINE in texts and "Sorry, we went with someone else." not in texts
    assert [item.label for item in reloaded.menu.items][0] == (
        "Please do, and thank you again for calling."
    )
    spy.frame(app)
    assert visible(app.surface, spy, "Reloaded: 2 of 2 choices replayed")
    assert visible(app.surface, spy, "Before you go, may I keep")  # the new line, in its bubble
    assert visible(app.surface, spy, "Please do, and thank you again")  # the new choice
    assert visible(app.surface, spy, "Sorry, we offered the role")  # the changed first line
    pilot.wait(5000)
    spy.frame(app)
    assert not spy.find("Reloaded:")  # the toast goes away by itself

    # A broken save: an overlay lists the problems; the last good version keeps running.
    broken = _edited().replace("    choices:\n      - id: keep", "    chocies:\n      - id: keep")
    _save(pilot, path, broken)
    assert app.top is reloaded  # nothing that is running was touched
    expected = [d.format() for d in load_story(path, analyse=False).errors]
    assert preview.problems == expected and len(expected) >= 1
    where = re.compile(rf"{re.escape(str(path))}:(\d+):(\d+): error CB004")
    match = next(m for line in expected if (m := where.match(line)))
    assert int(match[1]) == broken.splitlines().index("    chocies:") + 1
    spy.frame(app)
    assert visible(app.surface, spy, f"{path}:{match[1]}:{match[2]}: error CB004")
    assert visible(app.surface, spy, "not reloaded")
    pilot.press(pygame.K_1)  # the game still responds, on the last good version
    assert reloaded.state.choices_made == ["thank", "ask", "keep"]
    assert reloaded.state.phase.value == "ended"

    # A half-saved file (cut off mid-line) is just another error overlay.
    _save(pilot, path, _edited()[: len(_edited()) // 2])
    assert app.top is reloaded and preview.problems
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line) for line in preview.problems)

    # Fixed: the overlay goes and all three choices are replayed.
    _save(pilot, path, _edited())
    fixed = _call(app)
    assert preview.problems == [] and fixed is not reloaded
    assert fixed.state.choices_made == ["thank", "ask", "keep"] and preview.replayed == (3, 3)
    spy.frame(app)
    assert not spy.find("not reloaded") and not spy.find(str(path))
    assert visible(app.surface, spy, "Reloaded: 3 of 3 choices replayed")


def test_choices_that_no_longer_apply_are_replayed_as_far_as_they_go(tmp_path: Path) -> None:
    path = write(tmp_path, "story.yaml", WATCHED)
    app = _app(tmp_path, path)
    pilot = Pilot(app)
    for _ in range(2):
        pilot.press(pygame.K_SPACE)
        pilot.press(pygame.K_1)
    _save(pilot, path, WATCHED.replace("id: ask", "id: ask-once"))  # the second choice is gone
    call = _call(app)
    assert call.state.choices_made == ["thank"] and call.state.scene == "feedback"
    assert app.preview is not None and app.preview.replayed == (1, 2)
    assert app.preview.toast == "Reloaded: 1 of 2 choices replayed"
    pilot.press(pygame.K_1)  # and play goes on from there, on the new version
    assert call.state.choices_made == ["thank", "ask-once"]


def test_a_reload_during_the_debrief_returns_to_the_same_point(tmp_path: Path) -> None:
    path = write(tmp_path, "story.yaml", WATCHED)
    app = _app(tmp_path, path)
    pilot = Pilot(app)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_2)  # argue: the call ends
    pilot.press(pygame.K_RETURN)  # the consequence screen
    assert not isinstance(app.top, CallScreen)
    _save(pilot, path, WATCHED.replace("Arguing closes the door.", "Arguing shuts it."))
    call = _call(app)
    assert call.state.choices_made == ["argue"] and call.shown.phase.value == "ended"


def test_a_file_that_starts_broken_shows_the_error_screen_then_plays_when_fixed(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "story.yaml", WATCHED.replace("goto: feedback", "goto: feedbak"))
    app = _app(tmp_path, path)
    pilot = Pilot(app)
    screen = app.top
    assert isinstance(screen, ErrorScreen) and screen.path == path  # nothing good to keep
    assert any(": error CB010:" in line for line in screen.details)
    _save(pilot, path, WATCHED)
    call = _call(app)
    assert call.state.history == () and app.preview is not None and app.preview.problems == []


def test_a_misspelt_key_hides_no_other_error_on_the_authors_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The typo, the missing scene and the unknown meter, all on screen in one save."""
    from test_loader import THREE_SCENES

    spy = TextSpy(monkeypatch)
    path = write(tmp_path, "story.yaml", THREE_SCENES)
    app = _app(tmp_path, path)
    screen = app.top
    assert isinstance(screen, ErrorScreen)
    codes = [re.search(r": error (CB\d+):", line) for line in screen.details]
    assert [m.group(1) for m in codes if m] == ["CB004", "CB010", "CB011"]
    spy.frame(app)
    for wanted in ("story.yaml:13:5: error CB004", "story.yaml:24:15: error CB010",
                   "story.yaml:31:19: error CB011"):
        assert visible(app.surface, spy, wanted), wanted


def test_many_problems_show_the_first_few_and_a_count(tmp_path: Path) -> None:
    path = write(tmp_path, "story.yaml", WATCHED)
    app = _app(tmp_path, path)
    pilot = Pilot(app)
    bad = WATCHED
    for target in ("feedback", "third", "open", "shut"):
        bad = bad.replace(f"goto: {target}\n", f"goto: {target}-x\n")
    _save(pilot, path, bad.replace("effects:", "efects:"))
    preview = app.preview
    assert preview is not None and len(preview.problems) > MAX_SHOWN
    lines = preview.overlay_lines()
    assert lines[:MAX_SHOWN] == preview.problems[:MAX_SHOWN]
    assert lines[-1] == f"+{len(preview.problems) - MAX_SHOWN} more"
    _call(app)  # still playing


def test_the_file_watch_polls_at_most_every_interval_and_ignores_touches(tmp_path: Path) -> None:
    path = write(tmp_path, "story.yaml", "one")
    watch = FileWatch(path, interval=250)
    assert watch.changed(0)  # first look: new content
    path.write_text("two, longer", encoding="utf-8")
    assert not watch.changed(100)  # not due yet: the file is not even looked at
    assert watch.changed(250)
    os.utime(path, ns=(1, 1))  # touched: same bytes
    assert not watch.changed(500)
    path.unlink()  # an editor saving by rename: gone for a moment
    assert not watch.changed(750)
    path.write_text("three", encoding="utf-8")
    assert watch.changed(1000)


def test_only_watch_mode_wakes_the_loop_to_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[object, ...]] = []

    def fake_wait(*args: object) -> pygame.event.Event:
        calls.append(args)
        return pygame.event.Event(pygame.QUIT)

    path = write(tmp_path, "story.yaml", WATCHED)
    app = _app(tmp_path, path)
    Pilot(app).press(pygame.K_SPACE)  # nothing types out: only the call timer would wake it
    monkeypatch.setattr(pygame.event, "wait", fake_wait)
    app.run()
    assert calls == [(POLL_MS,)]


def test_play_watch_opens_the_window_in_preview_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "story.yaml", WATCHED)
    seen: list[dict[str, object]] = []
    monkeypatch.setattr("game.gui.app.run_window", lambda **kw: seen.append(kw) or 0)
    err = io.StringIO()
    assert main(["play", str(path), "--watch"], err=err) == 0
    assert seen == [{"story": str(path), "err": err, "campaign": False, "watch": True,
                     "workshop": False,
                     "session": {"results": None, "class_code": None, "name": None,
                                 "carry": False, "mode": "practice"}}]
    assert main(["play", str(path)], err=err) == 0 and seen[-1]["watch"] is False
    for extra in (["--text"], ["--choices", "1"], ["--json"]):
        err = io.StringIO()
        assert main(["play", str(path), "--watch", *extra], err=err) == 2
        assert "--watch previews one STORY in the window" in err.getvalue()


def test_run_window_with_watch_plays_the_file_and_watches_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "story.yaml", WATCHED)
    seen: list[tuple[list[type], Preview | None]] = []

    def fake_run(self: App) -> int:
        seen.append((kinds(self), self.preview))
        return 0

    monkeypatch.setattr(App, "run", fake_run)
    options = {"session": Session([], data_dir=tmp_path), "clock": ManualClock()}
    code = run_window(str(path), io.StringIO(), watch=True, headless_ok=True, app_options=options)
    assert code == 0 and seen[0][0] == [TitleScreen, CallScreen]
    preview = seen[0][1]
    assert preview is not None and preview.path == path and preview.story is not None
