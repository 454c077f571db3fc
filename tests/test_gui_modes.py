"""Practice and assessment: Backspace takes answers back in practice only; the history (H)
shows every line and each answer's score change and exports it; Esc on the title asks
before quitting; a call has an on-screen menu button and a click continues a line."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from game.classroom.store import open_store
from game.gui.screens.call import LOCKED_NOTE, MENU_LABEL, CallScreen
from game.gui.screens.confirm import ConfirmScreen
from game.gui.screens.history import HistoryScreen
from game.gui.screens.pause import PauseScreen
from game.gui.screens.title import MODE_LABELS, TitleScreen
from tests.gui_helpers import Pilot, TextSpy, finish, kinds, make_app, start_call, visible


def _answer_thank_then_continue(pilot: Pilot, call: CallScreen) -> None:
    pilot.press(pygame.K_1)  # "Thank you for letting me know."
    pilot.press(pygame.K_RETURN)  # Maya's reply at once
    pilot.press(pygame.K_RETURN)  # Continue
    pilot.press(pygame.K_SPACE)  # "Is there anything else?" at once
    assert call.shown.scene == "ask" and call.ready


def _stored_runs(tmp_path: Path) -> list:
    with open_store(str(tmp_path / "data" / "results.db")) as store:
        return store.runs()


def test_backspace_takes_answers_back_one_at_a_time_to_the_start(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    _answer_thank_then_continue(pilot, call)
    pilot.press(pygame.K_1)  # "May I keep in touch about future roles?"
    assert call.state.choices_made == ["thank", "keep"]
    pilot.press(pygame.K_BACKSPACE)
    assert call.state.choices_made == ["thank"] and call.shown.scene == "ask"
    assert call.ready  # the call is shown again at once, answers on offer
    pilot.press(pygame.K_BACKSPACE)
    assert call.state.choices_made == [] and call.shown.scene == "news"
    pilot.press(pygame.K_BACKSPACE)  # nothing left to take back: said, not an error
    assert call.state.choices_made == [] and "Nothing to take back" in app.toasts[-1][0]
    pilot.press(pygame.K_2)  # a different answer this time
    assert call.state.choices_made == ["insult"]
    assert app.session.saved is not None and app.session.saved.moves[-1] == "insult"
    debrief = finish(pilot)
    assert debrief.run.record is not None
    assert debrief.run.record["locked"] is False and debrief.run.record["undos"] == 3 - 1
    (run,) = _stored_runs(tmp_path)
    assert run.mode == "practice" and not run.locked and run.undos == 2


def test_an_assessment_run_refuses_undo_and_its_record_says_locked(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    pilot.press(pygame.K_m)  # the title's mode button, by its key
    assert app.session.mode == "assessment"
    call = start_call(pilot)
    assert call.locked and call.undo_button not in call.bar  # no Undo button either
    _answer_thank_then_continue(pilot, call)
    pilot.press(pygame.K_BACKSPACE)
    assert call.state.choices_made == ["thank"]  # unchanged
    assert app.toasts[-1][0] == LOCKED_NOTE
    pilot.press(pygame.K_h)  # earlier lines can still be reviewed
    assert isinstance(pilot.top, HistoryScreen) and "locked" in pilot.top.mode
    pilot.press(pygame.K_ESCAPE)
    pilot.press(pygame.K_1)
    pilot.press(pygame.K_BACKSPACE)
    assert call.state.choices_made == ["thank", "keep"]
    debrief = finish(pilot)
    assert debrief.run.record is not None
    assert debrief.run.record["mode"] == "assessment" and debrief.run.record["locked"] is True
    assert debrief.run.record["undos"] == 0
    (run,) = _stored_runs(tmp_path)
    assert run.mode == "assessment" and run.locked


def test_the_mode_button_on_the_title_switches_by_mouse_and_says_which(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    spy = TextSpy(monkeypatch)
    spy.frame(app)
    assert visible(app.surface, spy, MODE_LABELS["practice"])
    pilot.click(title.mode_button.rect.center)
    assert app.session.mode == "assessment"
    spy.frame(app)
    assert visible(app.surface, spy, MODE_LABELS["assessment"])
    pilot.click(title.mode_button.rect.center)
    assert app.session.mode == "practice"


def test_the_history_shows_lines_answers_and_score_changes_and_exports_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    _answer_thank_then_continue(pilot, call)
    spy = TextSpy(monkeypatch)
    pilot.press(pygame.K_h)
    history = pilot.top
    assert isinstance(history, HistoryScreen)
    spy.frame(app)
    assert visible(app.surface, spy, "Maya Okafor: Sorry, we went with someone else.")
    assert visible(app.surface, spy, "You: Thank you for letting me know.")
    assert visible(app.surface, spy, "(Composure +10, Door +20)")
    assert visible(app.surface, spy, "Maya Okafor: Is there anything else?")
    pilot.press(pygame.K_e)
    assert history.exported is not None and history.exported.is_file()
    text = history.exported.read_text(encoding="utf-8")
    assert "> You: Thank you for letting me know.    [score +" in text
    assert "[Monday, 9:05 am]" in text and "Maya Okafor: Is there anything else?" in text
    assert str(history.exported) in app.toasts[-1][0]
    pilot.press(pygame.K_ESCAPE)
    assert kinds(app) == [TitleScreen, CallScreen] and call.shown.scene == "ask"


def test_a_long_history_scrolls_by_keys_wheel_and_track_and_opens_at_the_newest(
        tmp_path: Path) -> None:
    app = make_app(tmp_path, size=(800, 600))
    app.apply_settings(app.session.settings)
    pilot = Pilot(app)
    call = start_call(pilot)
    for _ in range(6):  # answer, take back: a history only grows with answers kept
        _answer_thank_then_continue(pilot, call)
        pilot.press(pygame.K_BACKSPACE)
        pilot.press(pygame.K_BACKSPACE)
    _answer_thank_then_continue(pilot, call)
    pilot.press(pygame.K_h)
    history = pilot.top
    assert isinstance(history, HistoryScreen)
    history.rows = history.rows * 8  # a long call: the same rows, many times
    history.layout(app.surface.get_size())
    assert history.max_scroll > 0 and history.scroll == 0  # the newest rows show
    pilot.press(pygame.K_PAGEUP)
    paged = history.scroll
    assert paged > 0
    pilot.wheel(-1)  # towards you: down, towards the newest
    assert history.scroll < paged
    pilot.press(pygame.K_HOME)
    assert history.scroll == history.max_scroll
    pilot.click((history.track.centerx, history.track.bottom - 2))  # below the thumb
    assert history.scroll < history.max_scroll
    pilot.press(pygame.K_END)
    assert history.scroll == 0
    back = next(i for i in history.menu.items if i.label.startswith("Back"))
    pilot.click(back.rect.center)
    assert pilot.top is call


def test_esc_on_the_title_asks_before_quitting(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    pilot.press(pygame.K_ESCAPE)
    assert isinstance(pilot.top, ConfirmScreen) and app.running
    pilot.press(pygame.K_RETURN)  # "Stay" has the focus: Enter by habit changes nothing
    assert kinds(app) == [TitleScreen] and app.running
    pilot.press(pygame.K_ESCAPE)
    pilot.press(pygame.K_ESCAPE)  # Esc again: stay
    assert kinds(app) == [TitleScreen] and app.running
    pilot.press(pygame.K_ESCAPE)
    confirm = pilot.top
    assert isinstance(confirm, ConfirmScreen)
    pilot.click(confirm.menu.items[0].rect.center)  # "Quit"
    assert not app.running


def test_a_call_has_a_menu_button_and_a_click_anywhere_continues_a_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    spy = TextSpy(monkeypatch)
    spy.frame(app)
    assert visible(app.surface, spy, MENU_LABEL)
    pilot.click(call.menu.items[0].rect.center)  # answer by mouse
    assert call.state.choices_made == ["thank"]
    pilot.click((call.phone.centerx, call.phone.centery))  # shows Maya's reply at once
    assert call.ready and call.shown.phase.value == "reading"
    pilot.click((call.phone.centerx, call.phone.centery))  # a click anywhere continues
    assert call.shown.scene == "ask"
    pilot.click(call.menu_button.rect.center)
    assert isinstance(pilot.top, PauseScreen)


def test_a_notice_during_a_call_never_covers_the_phone(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path, size=(800, 600))
    pilot = Pilot(app)
    call = start_call(pilot)
    spy = TextSpy(monkeypatch)
    app.notify("The story has changed since you left it: your call picks up after 1 of "
               "your 2 choices.")
    drawn = spy.frame(app)
    toast = [d for d in drawn if "story has changed" in d.text]
    assert toast and all(d.topleft[0] >= call.phone.right for d in toast)


def test_meters_show_during_a_call_only_when_asked_and_follow_the_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    app = make_app(tmp_path)
    pilot = Pilot(app)
    call = start_call(pilot)
    spy = TextSpy(monkeypatch)
    spy.frame(app)
    assert not spy.find("Composure")  # hidden by default
    app.apply_settings(replace(app.session.settings, show_meters=True))
    spy.frame(app)
    assert visible(app.surface, spy, "Composure") and visible(app.surface, spy, "Follow-ups")
    before = [d.text for d in spy.drawn if d.topleft[0] > call.meter_box.right - 80
              and call.meter_box.top <= d.topleft[1] < call.meter_box.bottom]
    pilot.press(pygame.K_1)  # thank: door +20, composure +10
    spy.frame(app)
    after = [d.text for d in spy.drawn if d.topleft[0] > call.meter_box.right - 80
             and call.meter_box.top <= d.topleft[1] < call.meter_box.bottom]
    assert before != after and len(after) == 3
    bottom_answer = max(item.rect.bottom for item in call.menu.items)
    assert bottom_answer <= call.meter_box.top  # the answers never run into the meters


def test_a_new_text_speed_applies_to_the_line_typing_now(tmp_path: Path) -> None:
    from dataclasses import replace

    app = make_app(tmp_path, text_speed=5)  # very slow: the first lines take many seconds
    pilot = Pilot(app)
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen)
    pilot.wait(1000)
    assert call.transcript.revealing
    app.apply_settings(replace(app.session.settings, text_speed="fast"))
    pilot.wait(16)
    assert call.transcript.speed == 110 and call.transcript.revealing
    for _ in range(60):  # fast: the rest types out within a few seconds
        pilot.wait(100)
    assert not call.transcript.revealing
    pilot.press(pygame.K_1)  # answer; the reply types out...
    app.apply_settings(replace(app.session.settings, text_speed="instant"))
    pilot.wait(16)  # ...and instant shows it all at once
    assert not call.transcript.revealing
