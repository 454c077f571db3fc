"""The window's edges: bad stories, crashes, no display, the run loop, pictures."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pygame
import pytest
from gui_helpers import (
    BROKEN,
    DEAD_END,
    STORY,
    Pilot,
    TextSpy,
    kinds,
    make_app,
    start_call,
    visible,
    write,
)

from game.analysis.checks import check_playable
from game.analysis.load import load_story
from game.gui import session as session_module
from game.gui.app import App, run_window
from game.gui.screens.call import CallScreen
from game.gui.screens.error import ErrorScreen
from game.gui.screens.loading import LoadingScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session
from game.gui.snapshots import LOOKS, look_suffix, write_screenshots
from game.gui.widgets import wrap
from game.store.profile import Carried


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


def test_a_story_with_a_dead_end_is_refused_before_play(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "dead.yaml", DEAD_END)
    loaded = load_story(path, analyse=False)
    assert loaded.compiled is not None and loaded.source_map is not None and not loaded.errors
    spy = TextSpy(monkeypatch)
    app = make_app(tmp_path, [path])
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen) and title.broken == [False]  # it loads: it lies later
    pilot.press(pygame.K_1)
    screen = pilot.top
    assert kinds(app) == [TitleScreen, ErrorScreen]  # never a call that strands the player
    assert isinstance(screen, ErrorScreen) and not screen.crash and screen.path == path
    expected = [d.format() for d in check_playable(loaded.compiled, loaded.source_map, {})]
    assert screen.details == expected
    dead_end = re.compile(rf"{re.escape(str(path))}:(\d+):(\d+): error CB021: scene 'ask'")
    found = [m for line in screen.details if (m := dead_end.match(line))]
    assert found and int(found[0][1]) == DEAD_END.splitlines().index("  ask:") + 1
    spy.frame(app)
    assert visible(app.surface, spy, f"{path.name}:{found[0][1]}:{found[0][2]}: error CB021")
    pilot.press(pygame.K_RETURN)
    assert kinds(app) == [TitleScreen]


def test_the_check_starts_from_the_players_own_campaign_values(tmp_path: Path) -> None:
    text = (
        STORY.replace("id: gui-test", "id: gui-test\ncampaign: {order: 1, imports: [argued]}")
        .replace("flags:\n", "flags:\n  argued: {help: Argued in an earlier call.}\n")
        .replace(
            "goto: open\n        effects: {door: 20",
            "goto: open\n        if: not argued\n        effects: {door: 20",
        )
        .replace("      - id: bye", "      - id: bye\n        if: not argued")
    )
    path = write(tmp_path, "imports.yaml", text)
    app = make_app(tmp_path, [path])
    pilot = Pilot(app)
    pilot.press(pygame.K_1)
    assert isinstance(pilot.top, CallScreen)  # a new player has not argued: it plays
    app.to_title()
    app.session.profile.values["argued"] = Carried(
        "argued", True, "earlier", "Earlier", "argue", ""
    )
    pilot.press(pygame.K_1)
    assert isinstance(pilot.top, CallScreen), "a story played on its own starts fresh"
    app.to_title()
    app.session.carry = True  # the player chose to continue their campaign
    pilot.press(pygame.K_1)
    screen = pilot.top
    assert isinstance(screen, ErrorScreen)  # from this player's start, 'ask' is a dead end
    assert any(": error CB021: scene 'ask'" in line for line in screen.details)


def test_a_slow_check_shows_a_checking_screen_and_then_plays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    real = session_module.check_for_play

    def slow(*args: object) -> object:
        gate.wait(10)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "check_for_play", slow)
    app = make_app(tmp_path)
    app.check_wait = 0.0
    pilot = Pilot(app)
    pilot.press(pygame.K_1)
    loading = pilot.top
    assert isinstance(loading, LoadingScreen) and loading.wake_in() is not None
    pilot.wait(500)
    assert pilot.top is loading  # the window keeps drawing while the story is checked
    gate.set()
    assert loading.check.wait(10)
    pilot.wait(50)
    assert kinds(app) == [TitleScreen, CallScreen]


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


# ---------------------------------------------------------------------- pictures
def test_write_screenshots_renders_every_screen_the_story_has(tmp_path: Path) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    paths = write_screenshots(tmp_path / "shots", story=str(story))
    assert [p.name for p in paths] == [
        "title.png", "quit.png", "player.png", "call.png", "history.png", "pause.png",
        "slots.png", "settings.png", "consequence.png", "debrief.png", "error.png"]
    for path in paths:
        assert pygame.image.load(path).get_size() == (1280, 720)


def test_screenshots_are_taken_in_each_look_and_leave_no_player_data(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    monkeypatch.setenv("CALLBACK_HOME", str(tmp_path / "home"))
    size, scale, contrast = (800, 600), 200, True
    assert (size, scale, contrast) in LOOKS and len(LOOKS) == 8
    suffix = look_suffix(size, scale, contrast)
    paths = write_screenshots(tmp_path / "shots", str(story), size, suffix, text_scale=scale,
                              high_contrast=contrast)
    assert paths[0].name == "title-800x600-200-hc.png" and len(paths) == 11
    title = pygame.image.load(paths[0])
    assert title.get_size() == size
    assert title.get_at((2, 2))[:3] == (0, 0, 0)  # the high-contrast background
    home = tmp_path / "home"  # the run, its slot and settings went elsewhere (only the
    kept = {p.name for p in home.iterdir()} if home.exists() else set()  # check cache is here)
    assert kept <= {"cache"}


def test_wrap_keeps_lines_inside_the_width() -> None:
    pygame.font.init()
    font = pygame.font.Font(None, 24)
    lines = wrap(font, "A fairly long sentence, and a Supercalifragilisticexpialidocious word.", 90)
    assert len(lines) > 2 and all(font.size(line)[0] <= 90 for line in lines)
    assert wrap(font, "one\ntwo", 500) == ["one", "two"]
