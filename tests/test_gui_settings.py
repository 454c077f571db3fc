"""The settings a player expects: text size, fullscreen, the window's size, meters.

Each one changes the window at once and is kept: a new window on the same data
folder opens with it. The settings screen fits any window at any text size.
"""

from __future__ import annotations

import io
import json
from itertools import combinations
from pathlib import Path

import pygame
import pytest
from gui_helpers import Pilot, TextSpy, kinds, labelled, make_app, shows, start_call, visible

from game.gui.app import WINDOW_STILL_MS, App, run_window
from game.gui.screens.call import CallScreen
from game.gui.screens.settings import SAMPLE, SettingsScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session
from game.gui.widgets import wrap
from game.store.settings import Settings, load_settings, save_settings, settings_path


def _app(tmp_path: Path, settings: Settings | None = None,
         size: tuple[int, int] = (1280, 720)) -> App:
    """An app on ``tmp_path``'s data folder, where ``settings`` were saved first."""
    if settings is not None:
        save_settings(settings, tmp_path / "data")
    return make_app(tmp_path, size=size)


def _open_settings(pilot: Pilot) -> SettingsScreen:
    pilot.press(pygame.K_s)
    screen = pilot.top
    assert isinstance(screen, SettingsScreen)
    return screen


def _kept(tmp_path: Path) -> Settings:
    loaded = load_settings(tmp_path / "data")
    assert not loaded.note
    settings = loaded.value
    assert isinstance(settings, Settings)
    return settings


def _fullscreen(app: App) -> bool:
    return bool(app.flags & pygame.FULLSCREEN)


def _desktop() -> tuple[int, int]:
    width, height = pygame.display.get_desktop_sizes()[0]
    return (width, height)


# ---------------------------------------------------------------------- text size
def test_the_text_size_grows_every_font_at_once_and_is_kept(tmp_path: Path) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    settings = _open_settings(pilot)
    body, hero = app.theme.font("body").get_height(), app.theme.font("hero").get_height()
    seen = []
    for _ in range(4):
        pilot.press(pygame.K_3)  # 100% -> 125% -> 150% -> 175% -> 200%
        seen.append(app.session.settings.text_scale)
    assert seen == [125, 150, 175, 200]
    assert labelled(settings.menu, "Text size: 200%").rect.w > 0
    assert app.theme.font("body").get_height() >= 1.9 * body
    assert app.theme.font("hero").get_height() == hero  # display type is big enough already
    assert _kept(tmp_path).text_scale == 200
    document = json.loads(settings_path(tmp_path / "data").read_text(encoding="utf-8"))
    assert document["text_scale"] == 200 and document["large_text"] is True  # for older games

    again = make_app(tmp_path)
    assert again.theme.font("body").get_height() == app.theme.font("body").get_height()
    pilot.press(pygame.K_3)  # the last step goes round to 100%
    assert app.theme.text_scale == 1 and app.theme.font("body").get_height() == body


def test_left_and_right_step_the_text_size_on_its_row_and_stop_at_the_ends(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    _open_settings(pilot)
    pilot.press(pygame.K_DOWN)
    pilot.press(pygame.K_DOWN)  # the text size row
    heard = []
    for key in (pygame.K_RIGHT,) * 5 + (pygame.K_LEFT,) * 5:
        pilot.press(key)
        heard.append(app.session.settings.text_scale)
    assert heard == [125, 150, 175, 200, 200, 175, 150, 125, 100, 100]
    pilot.press(pygame.K_DOWN)  # the volume row keeps its own Left and Right
    pilot.press(pygame.K_LEFT)
    assert app.session.settings.volume == 70 and app.session.settings.text_scale == 100


def test_a_click_on_the_arrow_ends_of_the_text_size_row_steps_it(tmp_path: Path) -> None:
    app = _app(tmp_path, Settings(text_scale=150))
    pilot = Pilot(app)
    settings = _open_settings(pilot)
    row = labelled(settings.menu, "Text size: 150%").rect
    pilot.move(row.center)
    pilot.click((row.right - 4, row.centery))  # ▶
    assert app.session.settings.text_scale == 175
    for label in ("Text size: 175%", "Text size: 150%"):  # each size lays the rows out anew
        row = labelled(settings.menu, label).rect
        pilot.click((row.x + 4, row.centery))  # ◀
    assert app.session.settings.text_scale == 125
    pilot.click(labelled(settings.menu, "Text size: 125%").rect.center)  # the middle goes round
    assert app.session.settings.text_scale == 150


def test_an_old_larger_text_file_opens_at_125_percent(tmp_path: Path) -> None:
    path = settings_path(tmp_path / "data")
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "callback-settings", "version": 1, "large_text": true}',
                    encoding="utf-8")
    assert _kept(tmp_path).text_scale == 125
    app = make_app(tmp_path)
    assert app.theme.text_scale == 1.25
    settings = _open_settings(Pilot(app))
    assert labelled(settings.menu, "Text size: 125%").rect.w > 0
    plain = '{"format": "callback-settings", "version": 1, "large_text": false}'
    path.write_text(plain, encoding="utf-8")
    assert _kept(tmp_path).text_scale == 100
    assert Settings(text_scale=175).large_text and not Settings().large_text


@pytest.mark.parametrize("value", [130, 0, 250, "150", 150.0, True, None])
def test_a_hand_edited_text_size_falls_back_with_a_note(tmp_path: Path, value: object,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    chosen = Settings(text_scale=150, high_contrast=True)
    save_settings(chosen, folder)
    save_settings(Settings(), folder)  # the chosen settings become the .bak
    document = json.loads(settings_path(folder).read_text(encoding="utf-8"))
    document["text_scale"] = value
    settings_path(folder).write_text(json.dumps(document), encoding="utf-8")
    spy = TextSpy(monkeypatch)
    app = make_app(tmp_path)
    assert app.session.settings == chosen
    spy.frame(app)
    said = f"text_scale {value!r} is not one of 100, 125, 150, 175, 200"
    assert visible(app.surface, spy, "Your settings was damaged")
    assert any(said in note for note, _ in app.toasts)


# ---------------------------------------------------------------------- fullscreen
def test_the_fullscreen_row_fills_the_screen_and_comes_back_to_the_window(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    settings = _open_settings(pilot)
    pilot.press(pygame.K_7)
    assert _fullscreen(app) and app.surface.get_size() == _desktop()
    shown = pygame.display.get_surface()
    assert shown is not None and shown.get_size() == _desktop()
    assert settings.size == _desktop() and app.stack[0].size == _desktop()  # laid out again
    assert labelled(settings.menu, "Fullscreen: On").rect.w > 0
    assert _kept(tmp_path).fullscreen
    pilot.press(pygame.K_7)
    assert not _fullscreen(app) and app.flags & pygame.RESIZABLE
    assert app.surface.get_size() == (1280, 720) and settings.size == (1280, 720)
    assert not _kept(tmp_path).fullscreen


def test_a_new_window_opens_fullscreen_when_it_was_left_so(tmp_path: Path) -> None:
    app = _app(tmp_path, Settings(fullscreen=True))
    assert _fullscreen(app) and app.surface.get_size() == _desktop()
    assert app.theme.scale == pytest.approx(min(_desktop()[1] / 720, _desktop()[0] / 960))
    Pilot(app).press(pygame.K_F11)
    assert not _fullscreen(app) and app.surface.get_size() == (1280, 720)


def test_f11_toggles_fullscreen_from_the_title_and_from_a_call(tmp_path: Path) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    pilot.press(pygame.K_F11)
    assert _fullscreen(app) and kinds(app) == [TitleScreen]
    assert _kept(tmp_path).fullscreen
    pilot.press(pygame.K_F11)
    assert not _fullscreen(app) and app.surface.get_size() == (1280, 720)
    call = start_call(pilot)
    pilot.press(pygame.K_F11)
    assert _fullscreen(app) and pilot.top is call and call.size == _desktop()
    assert call.state.choices_made == []  # the key went to the window, not to the call
    pilot.press(pygame.K_F11)
    assert not _fullscreen(app) and isinstance(pilot.top, CallScreen)
    assert not _kept(tmp_path).fullscreen


# ---------------------------------------------------------------------- the window's size
def _resize(pilot: Pilot, size: tuple[int, int]) -> None:
    pilot.post(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])


def test_a_resized_window_is_kept_once_it_has_been_still_a_second(tmp_path: Path) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    _resize(pilot, (1000, 700))
    pilot.wait(WINDOW_STILL_MS // 2)
    _resize(pilot, (1100, 750))  # still dragging: nothing written yet
    pilot.wait(WINDOW_STILL_MS // 2)
    assert _kept(tmp_path).window_size is None
    pilot.wait(WINDOW_STILL_MS // 2)
    assert _kept(tmp_path).window_size == (1100, 750)
    assert app.session.settings.window_size == (1100, 750)


def test_a_resize_just_before_quitting_is_kept(tmp_path: Path) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    _resize(pilot, (900, 640))
    pilot.post(pygame.QUIT)
    assert not app.running and _kept(tmp_path).window_size == (900, 640)


def test_the_fullscreen_size_is_never_kept_as_the_windows(tmp_path: Path) -> None:
    app = _app(tmp_path, Settings(window_size=(1000, 700)), size=(1000, 700))
    pilot = Pilot(app)
    pilot.press(pygame.K_F11)
    _resize(pilot, _desktop())
    pilot.wait(2 * WINDOW_STILL_MS)
    assert _kept(tmp_path).window_size == (1000, 700)
    pilot.press(pygame.K_F11)
    assert app.surface.get_size() == (1000, 700)


def test_run_window_opens_at_the_size_the_window_was_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[tuple[int, int], bool]] = []
    desktop = (0, 0)

    def fake_run(self: App) -> int:
        nonlocal desktop
        desktop = _desktop()
        seen.append((self.surface.get_size(), _fullscreen(self)))
        self.toggle_fullscreen()
        seen.append((self.surface.get_size(), _fullscreen(self)))
        return 0

    monkeypatch.setattr(App, "run", fake_run)
    folder = tmp_path / "data"

    def opened(kept: Settings, **options: object) -> list[tuple[tuple[int, int], bool]]:
        """Where a window run on ``kept`` settings opened, and where F11 took it."""
        save_settings(kept, folder)
        seen.clear()
        options.setdefault("session", Session([], data_dir=folder))
        assert run_window(err=io.StringIO(), headless_ok=True, app_options=options) == 0
        return list(seen)

    assert opened(Settings(window_size=(900, 650))) == [((900, 650), False), (desktop, True)]
    assert opened(Settings(window_size=(900, 650), fullscreen=True)) == [
        (desktop, True), ((900, 650), False)]  # F11 goes back to the window it came from
    asked = opened(Settings(window_size=(900, 650)), size=(800, 600))
    assert asked[0] == ((800, 600), False)  # a size asked for wins


@pytest.mark.parametrize("size", [[100, 600], [800, 20_000], [800], "800x600", [True, 600]])
def test_a_hand_edited_window_size_falls_back_with_a_note(tmp_path: Path, size: object) -> None:
    chosen = Settings(window_size=(1024, 700))
    save_settings(chosen, tmp_path)
    save_settings(Settings(), tmp_path)
    document = json.loads(settings_path(tmp_path).read_text(encoding="utf-8"))
    document["window_size"] = size
    settings_path(tmp_path).write_text(json.dumps(document), encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert loaded.value == chosen and f"window_size {size!r} is not a width" in loaded.note


# ---------------------------------------------------------------------- meters
def test_meters_during_play_is_a_switch_that_is_kept(tmp_path: Path) -> None:
    app = _app(tmp_path)
    pilot = Pilot(app)
    settings = _open_settings(pilot)
    assert not app.session.settings.show_meters
    pilot.press(pygame.K_8)
    assert app.session.settings.show_meters
    assert labelled(settings.menu, "Meters during play: On").rect.w > 0
    assert _kept(tmp_path).show_meters
    assert make_app(tmp_path).session.settings.show_meters


# ---------------------------------------------------------------------- the screen fits
@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("size", [(800, 600), (1920, 1080)], ids=["800x600", "1920x1080"])
def test_every_row_fits_the_window_whole_and_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], scale: int,
    high_contrast: bool,
) -> None:
    app = _app(tmp_path, Settings(text_scale=scale, high_contrast=high_contrast), size=size)
    pilot = Pilot(app)
    screen = _open_settings(pilot)
    window = app.surface.get_rect()
    assert window.contains(screen.panel) and screen.panel.contains(screen.view)
    spy = TextSpy(monkeypatch)
    spy.frame(app)
    assert visible(app.surface, spy, "Settings") and visible(app.surface, spy, "Esc to close")
    body = app.theme.font("body")
    for line in wrap(body, SAMPLE, screen.view.w):  # the sample line, whole
        assert visible(app.surface, spy, line), line
    items = screen.menu.items
    assert [item.number for item in items] == list(range(1, len(items) + 1))
    unscrolled = []
    for index, item in enumerate(items):  # every row in turn, by keyboard alone
        assert screen.menu.focus == index
        spy.frame(app)
        assert screen.view.contains(item.rect), item.label
        (label,) = spy.find(item.label)
        drawn = pygame.Rect(label.topleft, label.font.size(label.text))
        assert item.rect.contains(drawn), item.label
        assert shows(app.surface, label), item.label
        unscrolled.append(item.rect.move(0, screen.scroll))
        pilot.press(pygame.K_DOWN)
    for a, b in combinations(unscrolled, 2):
        assert not a.colliderect(b)
    assert window.contains(screen.panel)


def test_the_wheel_scrolls_the_rows_and_only_rows_in_view_take_a_click(tmp_path: Path) -> None:
    app = _app(tmp_path, Settings(text_scale=200), size=(800, 600))
    pilot = Pilot(app)
    screen = _open_settings(pilot)
    assert screen.max_scroll > 0  # at 200% the rows scroll at 800x600
    done = labelled(screen.menu, "Done")
    assert not screen.view.contains(done.rect)
    pilot.click(done.rect.center)  # below the rows: the sample line, not Done
    assert pilot.top is screen
    for _ in range(10):
        pilot.wheel(-1)
    assert screen.scroll == screen.max_scroll and screen.view.contains(done.rect)
    meters = labelled(screen.menu, "Meters during play: Off")
    pilot.click(meters.rect.center)
    assert app.session.settings.show_meters
    pilot.click(done.rect.center)
    assert kinds(app) == [TitleScreen]


def test_the_keys_bring_the_focused_row_into_view(tmp_path: Path) -> None:
    app = _app(tmp_path, Settings(text_scale=200), size=(800, 600))
    pilot = Pilot(app)
    screen = _open_settings(pilot)
    pilot.press(pygame.K_UP)  # from the first row round to Done, at the bottom
    assert screen.scroll == screen.max_scroll
    assert screen.view.contains(labelled(screen.menu, "Done").rect)
    pilot.press(pygame.K_1)  # a number changes its row and shows it
    assert screen.scroll == 0 and app.session.settings.text_speed == "fast"
