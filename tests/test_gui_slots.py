"""Three save slots from the pause menu: save a call, load it later, by keys or by mouse."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pygame
import pytest
from gui_helpers import (
    STORY,
    Pilot,
    TextSpy,
    finish,
    kinds,
    labelled,
    make_app,
    start_call,
    visible,
)

from game.gui.app import App, ManualClock
from game.gui.screens.call import CallScreen
from game.gui.screens.pause import PauseScreen
from game.gui.screens.slots import THUMBNAIL_SIZE, SlotsScreen, saved_when
from game.gui.screens.title import CONTINUE_LABEL, TitleScreen
from game.gui.session import Session
from game.gui.sound import Sounds
from game.store.saves import PNG_SIGNATURE, load_save, load_slot

PAUSED_OVER_A_CALL = ["Resume", "Save to a slot", "Load a slot", "Restart this story",
                      "Settings", "Back to title", "Quit"]


def _reopen(folder: Path, story: Path, size: tuple[int, int] = (1280, 720)) -> App:
    """A new window on the same data folder: the game was quit and started again."""
    session = Session([story], data_dir=folder / "data")
    app = App(size=size, clock=ManualClock(), session=session, text_speed=0,
              sounds=Sounds.silent(), transitions=False)
    app.step()
    return app


def _to_ask(pilot: Pilot) -> CallScreen:
    """Start the call, thank Maya and read on to her question (two moves, one choice)."""
    call = start_call(pilot)
    pilot.press(pygame.K_1)  # thank
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_RETURN)  # Continue
    pilot.press(pygame.K_SPACE)
    assert call.state.scene == "ask" and call.state.choices_made == ["thank"]
    return call


def _pause(pilot: Pilot) -> PauseScreen:
    pilot.press(pygame.K_ESCAPE)
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    return pause


def _slots(pilot: Pilot) -> SlotsScreen:
    slots = pilot.top
    assert isinstance(slots, SlotsScreen)
    return slots


def test_a_call_saved_to_slot_2_by_keyboard_loads_in_a_new_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    story = app.session.stories[0]
    pilot = Pilot(app)
    left = _to_ask(pilot)
    pause = _pause(pilot)
    assert [item.label for item in pause.menu.items] == PAUSED_OVER_A_CALL
    pilot.press(pygame.K_2)  # Save to a slot
    assert _slots(pilot).saving
    spy = TextSpy(monkeypatch)
    pilot.press(pygame.K_2)  # slot 2: saved at once, nothing asked
    slot = load_slot(2, tmp_path / "data").value
    assert slot is not None and slot.scene == "ask" and slot.saved.moves == ("thank", None)
    spy.frame(app)
    assert visible(app.surface, spy, "Saved to slot 2.")
    assert visible(app.surface, spy, "Scene: ask")  # the row shows the new contents
    pilot.press(pygame.K_ESCAPE)  # back to the pause menu
    pilot.press(pygame.K_ESCAPE)  # and on with the call
    assert pilot.top is left

    again = _reopen(tmp_path, story)
    title = again.stack[0]
    assert isinstance(title, TitleScreen)
    assert title.menu.items[0].label == CONTINUE_LABEL  # the autosave is still offered
    pilot = Pilot(again)
    pilot.press(pygame.K_1)  # play the story afresh
    pilot.press(pygame.K_SPACE)
    assert isinstance(pilot.top, CallScreen) and pilot.top.state.history == ()
    _pause(pilot)
    pilot.press(pygame.K_3)  # Load a slot
    assert not _slots(pilot).saving
    pilot.press(pygame.K_2)
    loaded = pilot.top
    assert isinstance(loaded, CallScreen) and kinds(again) == [TitleScreen, CallScreen]
    assert loaded.state == left.state and loaded.started == left.started
    spy.frame(again)
    assert visible(again.surface, spy, "Is there anything else?")  # where the call was saved
    assert load_save(tmp_path / "data").value.moves == ("thank", None)  # autosave untouched


def test_a_call_is_saved_and_loaded_with_the_mouse_alone(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    pilot.click(title.menu.items[0].rect.center)
    call = pilot.top
    assert isinstance(call, CallScreen)
    pilot.click((5, 5))  # show the whole line
    pilot.click(labelled(call.menu, "Thank you for letting me know.").rect.center)
    pilot.click((5, 5))
    assert call.state.scene == "later"
    pilot.click(call.menu_button.rect.center)
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    pilot.click(labelled(pause.menu, "Save to a slot").rect.center)
    slots = _slots(pilot)
    pilot.click(slots.menu.items[1].rect.center)
    assert load_slot(2, tmp_path / "data").value is not None
    pilot.click(labelled(slots.menu, "Back").rect.center)
    assert pilot.top is pause
    pilot.click(labelled(pause.menu, "Back to title").rect.center)
    assert kinds(app) == [TitleScreen]

    title = app.stack[0]
    assert isinstance(title, TitleScreen) and title.has_continue
    pilot.click(labelled(title.menu, "The Test Call").rect.center)
    fresh = pilot.top
    assert isinstance(fresh, CallScreen) and fresh.state.history == ()
    pilot.click(fresh.menu_button.rect.center)
    pilot.click(labelled(pilot.top.menu, "Load a slot").rect.center)  # type: ignore[attr-defined]
    pilot.click(_slots(pilot).menu.items[1].rect.center)
    loaded = pilot.top
    assert isinstance(loaded, CallScreen) and loaded is not fresh
    assert loaded.state == call.state and kinds(app) == [TitleScreen, CallScreen]


def test_a_slot_whose_story_changed_loads_as_far_as_its_moves_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    story = app.session.stories[0]
    pilot = Pilot(app)
    _to_ask(pilot)
    pilot.press(pygame.K_1)  # keep in touch: the call ends
    _pause(pilot)
    pilot.press(pygame.K_2)
    pilot.press(pygame.K_1)  # slot 1
    slot = load_slot(1, tmp_path / "data").value
    assert slot is not None and slot.saved.moves == ("thank", None, "keep")
    story.write_text(STORY.replace("id: keep", "id: stay"), encoding="utf-8")

    again = _reopen(tmp_path, story)
    pilot = Pilot(again)
    pilot.press(pygame.K_1)
    _pause(pilot)
    pilot.press(pygame.K_3)
    spy = TextSpy(monkeypatch)
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen)
    assert [step.choice for step in call.state.history] == ["thank", None]
    assert call.state.scene == "ask"  # the question whose answer is gone is asked again
    spy.frame(again)
    assert [message for message, _ in again.toasts] == [
        "The story has changed since you left it: your call picks up after 1 of your "
        "2 choices."]
    assert visible(again.surface, spy, "The story has changed")
    for drawn in spy.find("The story has changed"):  # the notice keeps off the phone
        box = pygame.Rect(drawn.topleft, drawn.font.size(drawn.text))
        assert not box.colliderect(call.phone)


def test_the_slot_picture_is_the_call_before_the_pause_menu_dimmed_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    _to_ask(pilot)
    _pause(pilot)
    pilot.press(pygame.K_2)
    pilot.press(pygame.K_3)
    slot = load_slot(3, tmp_path / "data").value
    assert slot is not None and slot.thumbnail is not None
    image = pygame.image.load(io.BytesIO(slot.thumbnail), "x.png")
    assert image.get_size() == THUMBNAIL_SIZE  # the 16:9 window, scaled down
    colours = {tuple(image.get_at((x, y)))[:3] for x in range(0, 192, 4) for y in range(0, 108, 4)}
    assert len(colours) > 20  # a picture, not a blank
    bubble = app.theme.palette.bubble_player  # the player's own line, at full strength
    assert any(all(abs(a - b) <= 8 for a, b in zip(colour, bubble, strict=True))
               for colour in colours)


def test_a_slot_whose_picture_cannot_be_decoded_shows_a_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = _to_ask(pilot)
    app.session.save_slot(1, call.story, call.state, call.started, PNG_SIGNATURE + b"junk" * 9)
    _pause(pilot)
    spy = TextSpy(monkeypatch)
    pilot.press(pygame.K_3)  # Load a slot
    slots = _slots(pilot)
    assert slots.pictures[0] is None and slots.slots[0] is not None
    spy.frame(app)
    assert visible(app.surface, spy, "No picture")
    assert visible(app.surface, spy, "The Test Call")
    assert visible(app.surface, spy, "Empty slot")
    assert [item.enabled for item in slots.menu.items] == [True, False, False, True]


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080), (640, 480)])
def test_the_pause_menu_and_the_slots_fit_the_window(tmp_path: Path,
                                                     size: tuple[int, int]) -> None:
    app = make_app(tmp_path, size=size)
    pilot = Pilot(app)
    start_call(pilot)
    pause = _pause(pilot)
    window = app.surface.get_rect()
    assert [item.label for item in pause.menu.items] == PAUSED_OVER_A_CALL
    assert window.contains(pause.panel)
    for item in pause.menu.items:
        assert pause.panel.contains(item.rect), item.label
    pilot.press(pygame.K_2)
    slots = _slots(pilot)
    assert window.contains(slots.panel)
    for item in slots.menu.items:
        assert slots.panel.contains(item.rect), item.label
    rows = [item.rect for item in slots.menu.items]
    assert all(a.bottom <= b.top for a, b in zip(rows, rows[1:], strict=False))


@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize("size", [(800, 600), (1920, 1080), (640, 480)])
def test_the_pause_menus_labels_fit_inside_their_buttons_at_any_text_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int],
        scale: int) -> None:
    app = make_app(tmp_path, size=size)
    app.apply_settings(replace(app.session.settings, text_scale=scale))
    pilot = Pilot(app)
    start_call(pilot)
    pause = _pause(pilot)
    window = app.surface.get_rect()
    spy = TextSpy(monkeypatch)
    for item in pause.menu.items:  # every button in turn, by keyboard alone
        spy.frame(app)
        assert pause.menu.items[pause.menu.focus or 0] is item
        (label,) = spy.find(f"{item.number}   {item.label}")
        assert item.rect.contains(pygame.Rect(label.topleft, label.font.size(label.text)))
        assert pause.panel.contains(item.rect) and window.contains(pause.panel), item.label
        assert visible(app.surface, spy, label.text), item.label
        pilot.press(pygame.K_DOWN)


def test_slots_that_do_not_fit_scroll_with_the_keys_and_back_stays_in_reach(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path, size=(800, 600))
    app.apply_settings(replace(app.session.settings, text_scale=200))
    pilot = Pilot(app)
    start_call(pilot)
    _pause(pilot)
    pilot.press(pygame.K_2)
    pilot.press(pygame.K_1)  # a filled slot has three lines to show
    slots = _slots(pilot)
    view, back = slots.rows.view, labelled(slots.menu, "Back")
    assert slots.rows.max_scroll > 0  # three rows do not fit 800x600 at 200%
    assert app.surface.get_rect().contains(slots.panel) and slots.panel.contains(back.rect)
    assert not back.rect.colliderect(view)  # Back is below the rows, never scrolled away
    spy = TextSpy(monkeypatch)
    for index in range(3):  # each slot in turn, by the arrow keys, comes into view whole
        if index:
            pilot.press(pygame.K_DOWN)
        row = slots.menu.items[index].rect
        assert slots.menu.focus == index and view.contains(row)
        spy.frame(app)
        texts = [d for d in spy.drawn if d.clip == view and row.colliderect(d.rect)]
        assert len(texts) >= 3 and all(row.contains(d.rect) for d in texts)  # none spills
    assert slots.rows.scroll == slots.rows.max_scroll
    for _ in range(3):
        pilot.wheel(1)
    assert slots.rows.scroll == 0
    under = slots.menu.items[2].rect  # the last row, scrolled partly below the view ...
    spot = (back.rect.centerx, back.rect.top + 3)
    assert under.collidepoint(spot) and back.rect.collidepoint(spot)
    pilot.click(spot)  # ... is not under the mouse there: Back is
    assert isinstance(pilot.top, PauseScreen)
    assert app.session.slots()[2] is None


def test_elsewhere_the_pause_menu_offers_to_load_only_when_a_slot_is_filled(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    _to_ask(pilot)
    pilot.press(pygame.K_1)  # keep in touch: the call ends
    finish(pilot)
    labels = [item.label for item in _pause(pilot).menu.items]
    assert "Load a slot" not in labels and "Save to a slot" not in labels
    pilot.press(pygame.K_ESCAPE)

    (tmp_path / "again").mkdir()
    again = make_app(tmp_path / "again")
    pilot = Pilot(again)
    call = _to_ask(pilot)
    again.session.save_slot(3, call.story, call.state, call.started, None)
    pilot.press(pygame.K_1)
    finish(pilot)
    labels = [item.label for item in _pause(pilot).menu.items]
    assert "Load a slot" in labels and "Save to a slot" not in labels
    pilot.click(labelled(pilot.top.menu, "Load a slot").rect.center)  # type: ignore[attr-defined]
    pilot.press(pygame.K_3)
    loaded = pilot.top
    assert isinstance(loaded, CallScreen) and loaded.state.scene == "ask"


def test_with_saving_off_there_are_no_slots(tmp_path: Path) -> None:
    story = tmp_path / "story.yaml"
    story.write_text(STORY, encoding="utf-8")
    session = Session([story], data_dir=tmp_path / "data", save_runs=False)
    app = App(clock=ManualClock(), session=session, text_speed=0, sounds=Sounds.silent(),
              transitions=False)
    pilot = Pilot(app)
    call = start_call(pilot)
    assert session.slots() == [None, None, None]
    assert session.save_slot(1, call.story, call.state, call.started, None) is None
    assert "Save to a slot" not in [item.label for item in _pause(pilot).menu.items]
    assert not (tmp_path / "data").exists()


@pytest.fixture
def utc() -> Iterator[None]:
    """Local time is UTC for the test (then the machine's again)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


def test_a_slot_says_when_it_was_saved_in_local_human_time(utc: None) -> None:
    this_year = datetime(2026, 12, 31, tzinfo=UTC)
    assert saved_when("2026-12-06T14:05:00Z", now=this_year) == "6 Dec 14:05"
    assert saved_when("2025-12-06T14:05:00Z", now=this_year) == "6 Dec 2025 14:05"
    assert saved_when("2026-12-06T14:05:00", now=this_year) == "6 Dec 14:05"  # no zone: UTC
    assert saved_when("yesterday", now=this_year) == ""
