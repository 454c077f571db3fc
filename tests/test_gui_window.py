"""The window's edges: bad stories, crashes, no display, the run loop, campaign, pictures."""

from __future__ import annotations

import io
from pathlib import Path

import pygame
import pytest
from gui_helpers import BROKEN, STORY, Pilot, finish, kinds, make_app, start_call, write

from game.gui.app import App, ManualClock, run_window
from game.gui.screens.call import CallScreen
from game.gui.screens.error import ErrorScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session
from game.gui.snapshots import write_screenshots
from game.gui.widgets import wrap
from game.story.loader import load_story


# ---------------------------------------------------------------------- errors
def test_a_broken_story_shows_its_problems_not_a_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", BROKEN)
    app = make_app(tmp_path, [bad])
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen) and title.broken == [True]
    pilot.press(pygame.K_1)
    screen = pilot.top
    assert isinstance(screen, ErrorScreen) and not screen.crash
    expected = [d.format() for d in load_story(bad, analyse=False).errors]
    assert screen.details == expected and any("CB004" in line for line in expected)
    pilot.press(pygame.K_RETURN)
    assert kinds(app) == [TitleScreen]


def test_an_unexpected_error_shows_a_calm_screen_and_a_crash_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, player_home: Path
) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    start_call(pilot)

    def boom(self: CallScreen, dt_ms: int) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(CallScreen, "update", boom)
    pilot.wait(16)
    assert kinds(app) == [TitleScreen, ErrorScreen]
    screen = pilot.top
    assert isinstance(screen, ErrorScreen) and screen.crash
    reports = list((player_home / "logs").glob("crash-*.txt"))
    assert len(reports) == 1 and "RuntimeError: boom" in reports[0].read_text()
    assert str(reports[0]) in screen.details[0]
    pilot.press(pygame.K_RETURN)
    assert kinds(app) == [TitleScreen]


def test_no_display_prints_one_line_and_returns_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise pygame.error("x11 not available")

    monkeypatch.setattr(pygame.display, "set_mode", refuse)
    err = io.StringIO()
    assert run_window(story="stories/x.yaml", err=err, headless_ok=True) == 1
    text = err.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.startswith("callback: no display available (x11 not available); ")
    assert text.rstrip().endswith("play in the terminal with: callback play stories/x.yaml --text")


def test_the_dummy_video_driver_counts_as_no_display() -> None:
    err = io.StringIO()
    assert run_window(err=err) == 1
    assert "'dummy' video driver" in err.getvalue()


def test_no_x11_or_wayland_is_reported_before_sdl_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    err = io.StringIO()
    assert run_window(story="s.yaml", err=err) == 1
    assert err.getvalue() == (
        "callback: no display available (neither DISPLAY nor WAYLAND_DISPLAY is set); "
        "play in the terminal with: callback play s.yaml --text\n"
    )


def test_run_window_opens_the_story_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "story.yaml", STORY)
    seen: list[list[str]] = []

    def fake_run(self: App) -> int:
        seen.append([type(s).__name__ for s in self.stack])
        return 0

    monkeypatch.setattr(App, "run", fake_run)
    session = Session([], data_dir=tmp_path)
    options = {"session": session}
    assert (
        run_window(story=str(path), err=io.StringIO(), headless_ok=True, app_options=options) == 0
    )
    assert seen == [["TitleScreen", "CallScreen"]]
    assert session.stories == [path]  # listed on the title, for Back to title and replay


def test_run_sleeps_on_the_event_queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []

    def fake_wait(*args: object) -> pygame.event.Event:
        calls.append(args)
        return pygame.event.Event(pygame.QUIT)

    app = make_app(tmp_path)
    monkeypatch.setattr(pygame.event, "wait", fake_wait)
    assert app.run() == 0
    assert calls == [()]  # the title waits for input without a timeout
    app = make_app(tmp_path)
    Pilot(app).press(pygame.K_1)
    calls.clear()
    app.run()
    assert calls == [(16,)]  # while a line types out: wake for the next frame


# ---------------------------------------------------------------------- campaign, pictures
def test_campaign_offers_the_next_story(tmp_path: Path) -> None:
    first = write(
        tmp_path, "a.yaml", STORY.replace("id: gui-test", "id: first\ncampaign: {order: 1}")
    )
    second = write(
        tmp_path, "b.yaml", STORY.replace("id: gui-test", "id: second\ncampaign: {order: 2}")
    )
    session = Session([second, first], data_dir=tmp_path / "data", campaign=True)
    assert session.stories == [first, second] and session.campaign_start() == first
    app = App(clock=ManualClock(), session=session)
    pilot = Pilot(app)
    start_call(pilot)
    pilot.press(pygame.K_2)
    debrief = finish(pilot)
    assert [item.label for item in debrief.menu.items][-1].startswith("Next story")
    pilot.press(pygame.K_RETURN)  # the next story has the focus
    nxt = pilot.top
    assert isinstance(nxt, CallScreen) and nxt.story.id == "second"


def test_write_screenshots_renders_four_screens(tmp_path: Path) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    paths = write_screenshots(tmp_path / "shots", story=str(story))
    assert [p.name for p in paths] == ["title.png", "call.png", "consequence.png", "debrief.png"]
    for path in paths:
        assert pygame.image.load(path).get_size() == (1280, 720)


def test_wrap_keeps_lines_inside_the_width() -> None:
    pygame.font.init()
    font = pygame.font.Font(None, 24)
    lines = wrap(font, "A fairly long sentence, and a Supercalifragilisticexpialidocious word.", 90)
    assert len(lines) > 2 and all(font.size(line)[0] <= 90 for line in lines)
    assert wrap(font, "one\ntwo", 500) == ["one", "two"]
