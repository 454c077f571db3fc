"""A call left half way is continued from the title; settings change the window and persist."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest
from gui_helpers import STORY, Pilot, TextSpy, finish, kinds, labelled, make_app, visible, write

from game.gui.app import App, ManualClock
from game.gui.screens.call import CallScreen
from game.gui.screens.pause import PauseScreen
from game.gui.screens.settings import SettingsScreen
from game.gui.screens.title import CONTINUE_LABEL, TitleScreen
from game.gui.session import Session
from game.gui.theme import HIGH_CONTRAST, Palette
from game.store.saves import load_save, save_path
from game.store.settings import load_settings, settings_path


def _title(app: App) -> TitleScreen:
    title = app.stack[0]
    assert isinstance(title, TitleScreen)
    return title


def _two_moves_then_title(pilot: Pilot) -> CallScreen:
    """Thank Maya, read on, then leave for the title through the pause menu."""
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen)
    pilot.press(pygame.K_SPACE)  # show the lines
    pilot.press(pygame.K_1)  # thank
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_RETURN)  # Continue
    pilot.press(pygame.K_SPACE)
    assert call.state.choices_made == ["thank"] and call.state.scene == "ask"
    pilot.press(pygame.K_ESCAPE)
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    pilot.click(labelled(pause.menu, "Back to title").rect.center)
    return call


def _reopen(folder: Path, story: Path) -> App:
    """A new window on the same data folder: the game was quit and started again."""
    session = Session([story], data_dir=folder / "data")
    app = App(clock=ManualClock(), session=session, text_speed=0, transitions=False)
    app.step()
    return app


def test_a_call_left_half_way_is_continued_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    story = app.session.stories[0]
    left = _two_moves_then_title(Pilot(app))
    assert load_save(tmp_path / "data").value.moves == ("thank", None)
    title = _title(app)
    assert title.menu.items[0].label == CONTINUE_LABEL and title.menu.focus == 0

    spy = TextSpy(monkeypatch)
    again = _reopen(tmp_path, story)
    spy.frame(again)
    assert visible(again.surface, spy, CONTINUE_LABEL)
    assert visible(again.surface, spy, "after 1 choice")
    pilot = Pilot(again)
    pilot.press(pygame.K_RETURN)  # Continue has the focus
    call = pilot.top
    assert isinstance(call, CallScreen) and kinds(again) == [TitleScreen, CallScreen]
    assert call.state == left.state and call.started == left.started
    spy.frame(again)
    assert visible(again.surface, spy, "Is there anything else?")  # where the player was
    pilot.press(pygame.K_1)  # keep in touch: the call ends (lines show at once here)
    debrief = finish(pilot)
    assert debrief.card.score > 0
    assert not save_path(tmp_path / "data").exists()  # the finished run replaces the save
    pilot.press(pygame.K_ESCAPE)
    pilot.click(labelled(pilot.top.menu, "Back to title").rect.center)  # type: ignore[attr-defined]
    assert CONTINUE_LABEL not in [item.label for item in _title(again).menu.items]


def test_a_story_edited_since_the_save_continues_as_far_as_the_moves_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    story = app.session.stories[0]
    _two_moves_then_title(Pilot(app))
    story.write_text(STORY.replace("id: thank", "id: thanks"), encoding="utf-8")
    spy = TextSpy(monkeypatch)
    again = _reopen(tmp_path, story)
    Pilot(again).press(pygame.K_RETURN)
    call = again.top
    assert isinstance(call, CallScreen) and call.state.history == ()
    spy.frame(again)
    assert visible(again.surface, spy, "The story has changed since you left it")


def test_a_saved_call_whose_story_is_gone_is_dropped_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    story = app.session.stories[0]
    _two_moves_then_title(Pilot(app))
    other = write(tmp_path, "other.yaml", STORY.replace("id: gui-test", "id: other"))
    story.unlink()
    spy = TextSpy(monkeypatch)
    again = _reopen(tmp_path, other)
    Pilot(again).press(pygame.K_RETURN)
    assert kinds(again) == [TitleScreen]
    spy.frame(again)
    assert visible(again.surface, spy, "is no longer at")
    assert CONTINUE_LABEL not in [item.label for item in _title(again).menu.items]
    assert load_save(tmp_path / "data").value is None


def test_a_damaged_profile_is_recovered_and_the_player_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "profile.json").write_text("{not json", encoding="utf-8")
    spy = TextSpy(monkeypatch)
    app = _reopen(tmp_path, story)
    spy.frame(app)
    assert visible(app.surface, spy, "Your profile was damaged and has been recovered")
    assert kinds(app) == [TitleScreen]  # and the game goes on
    assert isinstance(app.clock, ManualClock)
    app.clock.advance(10_000)
    spy.frame(app)
    assert not spy.find("was damaged")  # the notice goes away by itself


def test_settings_change_the_window_at_once_and_are_kept(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    pilot.press(pygame.K_s)
    settings = pilot.top
    assert isinstance(settings, SettingsScreen)
    corner = (2, app.surface.get_height() - 2)
    assert pilot.pixel(corner) != HIGH_CONTRAST.background
    pilot.press(pygame.K_2)  # high contrast
    assert app.theme.palette == HIGH_CONTRAST
    assert labelled(settings.menu, "High contrast: On").rect.w > 0
    pilot.press(pygame.K_1)  # text speed: normal -> fast
    pilot.press(pygame.K_1)  # fast -> instant
    assert app.text_speed == 0
    pilot.press(pygame.K_ESCAPE)
    assert kinds(app) == [TitleScreen]
    assert pilot.pixel(corner) == HIGH_CONTRAST.background
    document = json.loads(settings_path(tmp_path / "data").read_text(encoding="utf-8"))
    assert document["format"] == "callback-settings" and document["high_contrast"] is True

    again = _reopen(tmp_path, app.session.stories[0])
    assert again.session.settings.text_speed == "instant"
    assert again.theme.palette == HIGH_CONTRAST
    Pilot(again).press(pygame.K_1)
    call = again.top
    assert isinstance(call, CallScreen) and call.ready  # instant: no typing out


def test_settings_open_from_the_title_button_and_the_pause_menu(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    pilot.click(_title(app).settings_button.rect.center)
    assert isinstance(pilot.top, SettingsScreen)
    pilot.press(pygame.K_3)  # text size: 100% -> 125%
    assert app.theme.text_scale > 1
    pilot.click(labelled(pilot.top.menu, "Done").rect.center)  # type: ignore[attr-defined]
    assert kinds(app) == [TitleScreen]
    pilot.press(pygame.K_1)
    pilot.press(pygame.K_ESCAPE)
    pilot.click(labelled(pilot.top.menu, "Settings").rect.center)  # type: ignore[attr-defined]
    assert isinstance(pilot.top, SettingsScreen)
    assert labelled(pilot.top.menu, "Text size: 125%").rect.w > 0
    pilot.press(pygame.K_DOWN)
    pilot.press(pygame.K_DOWN)
    pilot.press(pygame.K_LEFT)  # on the text size row: one step down, back to 100%
    assert app.theme.text_scale == 1 and app.theme.palette == Palette()
    assert load_settings(tmp_path / "data").value.text_scale == 100
