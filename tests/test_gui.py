"""The window, for real: play through posted events and App.step(); check screens and pixels."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from gui_helpers import (
    STORY,
    Pilot,
    TextSpy,
    finish,
    key_of,
    kinds,
    labelled,
    make_app,
    start_call,
    visible,
    write,
)

from game.classroom.store import open_store
from game.gui.screens.call import CallScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.debrief import DebriefScreen
from game.gui.screens.details import change_text, floor_text
from game.gui.screens.pause import PauseScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session


# ---------------------------------------------------------------------- title and play
def test_bundled_stories_are_listed_without_rubric_files() -> None:
    session = Session(save_runs=False)
    assert session.stories
    assert not any(p.name.endswith(".rubric.yaml") for p in session.stories)


def test_play_from_title_to_debrief_with_the_keyboard(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    assert kinds(app) == [TitleScreen]
    call = start_call(pilot)
    assert kinds(app) == [TitleScreen, CallScreen]
    pilot.press(pygame.K_1)  # "Thank you for letting me know."
    assert call.state.choices_made == ["thank"]
    pilot.press(pygame.K_RETURN)  # show Maya's reply at once
    pilot.press(pygame.K_RETURN)  # Continue
    assert call.shown.scene == "ask"
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_DOWN)  # focus the first answer
    pilot.press(pygame.K_RETURN)
    assert call.state.choices_made == ["thank", "keep"]
    debrief = finish(pilot)
    assert debrief.card is not None and debrief.card.outcome.value == "open"
    with open_store(str(tmp_path / "data" / "results.db")) as store:  # the run is stored
        (run,) = store.runs()
    assert [s.chosen for s in run.steps] == ["thank", "keep"] and run.outcome == "open"
    pilot.press(pygame.K_RETURN)  # "Back to title" has the focus
    assert kinds(app) == [TitleScreen]


def test_play_with_the_mouse_and_see_a_hard_floor(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    pilot.click(title.menu.items[0].rect.center)
    call = pilot.top
    assert isinstance(call, CallScreen) and not call.ready
    pilot.click((5, 5))  # a click anywhere shows the whole line
    assert call.ready
    pilot.click(call.menu.items[1].rect.center)  # "Your company is a joke."
    assert call.state.choices_made == ["insult"]
    pilot.click(call.menu.items[0].rect.center)  # "See what happened next"
    consequence = pilot.top
    assert isinstance(consequence, ConsequenceScreen)
    pilot.click(consequence.menu.items[0].rect.center)
    debrief = pilot.top
    assert isinstance(debrief, DebriefScreen)
    debrief.run.wait(30)
    pilot.until(lambda: debrief.ready)
    assert debrief.card is not None
    assert debrief.card.floors == ("do_not_recruit",)
    assert debrief.card.outcome.value == "closed"
    assert floor_text(call.story.model, "do_not_recruit") == [
        "Hard floor: Do not recruit",
        "An insult or a threat.",
        "This caps your score at 15 and keeps the door no better than closed, "
        "whatever the meters say.",
    ]
    pilot.click(debrief.menu.items[0].rect.center)  # Play again
    again = pilot.top
    assert isinstance(again, CallScreen) and again is not call
    assert again.state.history == ()


def test_lines_type_out_and_a_key_only_skips_while_typing(tmp_path: Path) -> None:
    app = make_app(tmp_path, text_speed=40)
    pilot = Pilot(app)
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen)
    pilot.wait(600)
    assert call.transcript.revealing and not call.ready
    pilot.press(pygame.K_2)  # a number while typing shows the text; it does not answer
    assert call.ready and call.state.history == ()
    pilot.press(pygame.K_2)
    assert call.state.choices_made == ["insult"]


def test_lines_finish_typing_on_their_own_at_a_readable_pace(tmp_path: Path) -> None:
    app = make_app(tmp_path, text_speed=40)
    pilot = Pilot(app)
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen)
    waited = 0
    while not call.ready:
        pilot.wait(100)
        waited += 100
    typed = len("Your phone rings.") + len("Sorry, we went with someone else.")
    assert waited >= typed * 1000 // 40
    assert call.wake_in() is not None and call.wake_in() <= 1000  # the timer still ticks


def test_hovering_a_choice_highlights_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    palette = app.theme.palette
    item = call.menu.items[0]
    spot = (item.rect.right - 12, item.rect.centery)
    assert pilot.pixel(spot) == palette.button
    pilot.move(item.rect.center)
    assert pilot.pixel(spot) == palette.button_hover
    pilot.move(call.menu.items[1].rect.center)
    assert pilot.pixel(spot) == palette.button


def test_a_locked_choice_is_greyed_with_its_reason_and_cannot_be_taken(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    locked = call.menu.items[2]
    assert not locked.enabled and locked.note == "Locked: needs composure 90+"
    assert pilot.pixel((locked.rect.right - 12, locked.rect.centery)) == app.theme.palette.locked
    pilot.press(pygame.K_3)
    pilot.click(locked.rect.center)
    assert call.state.history == ()


def test_arrow_keys_and_enter_choose(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    pilot.press(pygame.K_RETURN)  # nothing is focused yet: Enter does nothing
    assert call.state.history == ()
    pilot.press(pygame.K_DOWN)
    pilot.press(pygame.K_DOWN)
    pilot.press(pygame.K_DOWN)  # the locked third answer is skipped: back to the first
    assert call.menu.focus == 0
    pilot.press(pygame.K_UP)
    pilot.press(pygame.K_RETURN)
    assert call.state.choices_made == ["insult"]


# ---------------------------------------------------------------------- debrief
def test_debrief_meter_bars_are_proportional_to_the_values(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    for key in (pygame.K_1, pygame.K_SPACE, pygame.K_RETURN, pygame.K_SPACE, pygame.K_1):
        pilot.press(key)
    assert call.state.choices_made == ["thank", "keep"]
    debrief = finish(pilot)
    assert debrief.card is not None
    scored = {m.id: m for m in debrief.card.meters if m.weight > 0}
    assert [bar[0] for bar in debrief.bars] == ["composure", "door"]  # weight 0: no bar
    palette = app.theme.palette
    for meter_id, track, fill in debrief.bars:
        fraction = scored[meter_id].fraction
        assert abs(fill.w - track.w * fraction) <= 1
        assert pilot.pixel((fill.x + fill.w // 2, fill.centery)) != palette.bar_back
        assert pilot.pixel((track.right - 3, track.centery)) == palette.bar_back
    door = dict((bar[0], bar[2]) for bar in debrief.bars)["door"]
    composure = dict((bar[0], bar[2]) for bar in debrief.bars)["composure"]
    assert door.w > composure.w  # 90 against 60


def test_debrief_names_the_band_that_joins_the_score_and_the_door(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = TextSpy(monkeypatch)
    app = make_app(tmp_path)
    pilot = Pilot(app)
    start_call(pilot)
    for key in (pygame.K_1, pygame.K_RETURN, pygame.K_RETURN, pygame.K_SPACE, pygame.K_DOWN,
                pygame.K_RETURN):  # thank, then keep in touch
        pilot.press(key)
    debrief = finish(pilot)
    card = debrief.card
    assert card is not None and card.outcome.value == "open"
    assert card.band.min <= card.score <= card.band.max
    spy.frame(app)
    assert visible(app.surface, spy, str(card.score))
    assert visible(app.surface, spy, f"{card.score} is in the open band (70-100).")


def test_debrief_details_scroll_when_long(tmp_path: Path) -> None:
    long_feedback = "An insult closes the door for good. " * 12
    text = STORY.replace(
        "feedback: An insult closes the door for good.", f"feedback: {long_feedback}"
    )
    app = make_app(tmp_path, [write(tmp_path, "long.yaml", text)], size=(800, 600))
    pilot = Pilot(app)
    start_call(pilot)
    pilot.press(pygame.K_2)
    debrief = finish(pilot)
    assert debrief.max_scroll > 0
    pilot.wheel(-1)
    assert debrief.scroll > 0
    pilot.press(pygame.K_END)
    assert debrief.scroll == debrief.max_scroll
    pilot.press(pygame.K_HOME)
    assert debrief.scroll == 0


def test_score_changes_are_signed() -> None:
    assert [change_text(n) for n in (5, 0, -12)] == ["+5", "±0", "−12"]


# ---------------------------------------------------------------------- pause, resize
def test_escape_pauses_and_the_menu_resumes_restarts_and_goes_to_title(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    pilot.press(pygame.K_1)
    corner = (call.phone.centerx, call.phone.bottom - 16)  # the phone's home bar
    lit = pilot.pixel(corner)
    pilot.press(pygame.K_ESCAPE)
    pause = pilot.top
    assert isinstance(pause, PauseScreen) and app.stack[-2] is call
    assert pilot.pixel(corner) != lit  # the call is dimmed behind the menu
    assert pilot.pixel((pause.panel.x + 12, pause.panel.centery)) == app.theme.palette.panel
    timer = call.call_ms
    pilot.wait(5000)
    assert call.call_ms == timer  # the call timer stops while paused
    pilot.press(pygame.K_ESCAPE)  # resume
    assert pilot.top is call and call.state.choices_made == ["thank"]
    pilot.press(pygame.K_ESCAPE)
    pilot.press(key_of(labelled(pilot.top.menu, "Restart this story")))
    restarted = pilot.top
    assert isinstance(restarted, CallScreen) and restarted is not call
    assert restarted.state.history == () and kinds(app) == [TitleScreen, CallScreen]
    pilot.press(pygame.K_ESCAPE)
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    pilot.click(labelled(pause.menu, "Back to title").rect.center)
    assert kinds(app) == [TitleScreen]
    pilot.press(pygame.K_ESCAPE)  # Esc on the title asks first (tests/test_gui_modes.py)
    pilot.press(pygame.K_y)
    assert not app.running


def test_quit_from_the_pause_menu(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    start_call(pilot)
    pilot.press(pygame.K_ESCAPE)
    pilot.press(key_of(labelled(pilot.top.menu, "Quit")))
    assert not app.running


def test_resizing_the_window_lays_every_screen_out_again(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    phone = call.phone.copy()
    pilot.post(pygame.VIDEORESIZE, size=(800, 600), w=800, h=600)
    assert app.surface.get_size() == (800, 600)
    assert app.theme.scale < 1
    assert call.phone.w < phone.w and call.phone.h < phone.h
    window = app.surface.get_rect()
    assert all(window.contains(item.rect) for item in call.menu.items)
    assert app.stack[0].size == (800, 600)
    pilot.post(pygame.WINDOWRESIZED, x=1600, y=900)
    assert app.surface.get_size() == (1600, 900) and call.phone.h > phone.h


def test_text_speed_zero_shows_lines_at_once(tmp_path: Path) -> None:
    app = make_app(tmp_path, text_speed=0)
    pilot = Pilot(app)
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen) and call.ready
    assert call.wake_in() is not None and call.wake_in() <= 1000  # only the timer ticks


def test_text_checks_see_what_is_really_on_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = TextSpy(monkeypatch)
    app = make_app(tmp_path)
    pilot = Pilot(app)
    start_call(pilot)
    spy.frame(app)
    assert visible(app.surface, spy, "Sorry, we went with")
    assert not visible(app.surface, spy, "Nobody said this.")
    pilot.press(pygame.K_ESCAPE)  # the pause menu dims the call: its text no longer shows as is
    spy.frame(app)
    assert spy.find("Sorry, we went with")  # drawn ...
    assert not visible(app.surface, spy, "Sorry, we went with")  # ... but covered
    assert visible(app.surface, spy, "Paused")
