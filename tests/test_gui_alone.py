"""A whole story played by keyboard alone, and again by mouse alone: save to a slot, quit,
continue, take two answers back, open the history and export it, and reach the debrief."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.gui.screens.call import CallScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.debrief import DebriefScreen
from game.gui.screens.history import HistoryScreen
from game.gui.screens.pause import PauseScreen
from game.gui.screens.slots import SlotsScreen
from game.gui.screens.title import CONTINUE_LABEL, TitleScreen
from game.store.saves import load_slot
from tests.gui_helpers import STORY, Pilot, key_of, kinds, labelled, make_app, write


def _call(pilot: Pilot) -> CallScreen:
    call = pilot.top
    assert isinstance(call, CallScreen)
    return call


def _exported(history: HistoryScreen) -> str:
    assert history.exported is not None and history.exported.is_file()
    return history.exported.read_text(encoding="utf-8")


def test_a_whole_story_by_keyboard_alone(tmp_path: Path) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    app = make_app(tmp_path, [story])
    pilot = Pilot(app)
    pilot.press(pygame.K_1)  # the first story
    pilot.press(pygame.K_SPACE)  # its first lines at once
    call = _call(pilot)
    pilot.press(pygame.K_1)  # "Thank you for letting me know."
    pilot.press(pygame.K_RETURN)  # Maya's reply at once
    pilot.press(pygame.K_RETURN)  # Continue
    pilot.press(pygame.K_SPACE)
    assert call.shown.scene == "ask" and call.ready

    pilot.press(pygame.K_ESCAPE)  # the pause menu, to save to slot 1
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    pilot.press(key_of(labelled(pause.menu, "Save to a slot")))
    assert isinstance(pilot.top, SlotsScreen)
    pilot.press(pygame.K_1)
    assert load_slot(1, tmp_path / "data").value is not None
    pilot.press(pygame.K_ESCAPE)
    pilot.press(key_of(labelled(pause.menu, "Quit")))
    assert not app.running

    app = make_app(tmp_path, [story])  # the next session, on the same machine
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen) and title.menu.items[0].label == CONTINUE_LABEL
    assert app.session.slots()[0] is not None  # the slot is there too
    pilot.press(pygame.K_RETURN)  # "Continue your call" has the focus
    call = _call(pilot)
    assert call.shown.scene == "ask" and call.state.choices_made == ["thank"]
    pilot.press(pygame.K_2)  # "(Hang up.)"
    assert call.state.choices_made == ["thank", "bye"]
    pilot.press(pygame.K_BACKSPACE)
    pilot.press(pygame.K_BACKSPACE)  # two answers taken back: the start again
    assert call.state.choices_made == [] and call.shown.scene == "news"
    pilot.press(pygame.K_1)
    pilot.press(pygame.K_RETURN)
    pilot.press(pygame.K_RETURN)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_1)  # "May I keep in touch about future roles?"
    assert call.state.choices_made == ["thank", "keep"]

    pilot.press(pygame.K_h)
    history = pilot.top
    assert isinstance(history, HistoryScreen)
    pilot.press(pygame.K_e)
    assert "> You: May I keep in touch about future roles?" in _exported(history)
    pilot.press(pygame.K_ESCAPE)
    assert pilot.top is call

    pilot.press(pygame.K_RETURN)  # the ending's lines at once (if any), then what happened
    if pilot.top is call:
        pilot.press(pygame.K_RETURN)
    assert isinstance(pilot.top, ConsequenceScreen)
    pilot.press(pygame.K_RETURN)
    debrief = pilot.top
    assert isinstance(debrief, DebriefScreen)
    debrief.run.wait(30)
    pilot.until(lambda: debrief.ready)
    assert debrief.run.record is not None
    assert debrief.run.record["undos"] == 2 and debrief.run.record["outcome"] == "open"


def test_a_whole_story_by_mouse_alone(tmp_path: Path) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    app = make_app(tmp_path, [story])
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    pilot.click(labelled(title.menu, "The Test Call").rect.center)
    call = _call(pilot)
    anywhere = (call.phone.centerx, call.phone.centery)
    pilot.click(anywhere)  # the whole line at once
    pilot.click(labelled(call.menu, "Thank you for letting me know.").rect.center)
    pilot.click(anywhere)  # Maya's reply at once
    pilot.click(anywhere)  # a click anywhere continues
    pilot.click(anywhere)
    assert call.shown.scene == "ask" and call.ready

    pilot.click(call.menu_button.rect.center)
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    pilot.click(labelled(pause.menu, "Save to a slot").rect.center)
    slots = pilot.top
    assert isinstance(slots, SlotsScreen)
    pilot.click(slots.menu.items[0].rect.center)
    assert load_slot(1, tmp_path / "data").value is not None
    pilot.click(labelled(slots.menu, "Back").rect.center)
    pilot.click(labelled(pause.menu, "Quit").rect.center)
    assert not app.running

    app = make_app(tmp_path, [story])
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    pilot.click(labelled(title.menu, CONTINUE_LABEL).rect.center)
    call = _call(pilot)
    assert call.shown.scene == "ask" and call.state.choices_made == ["thank"]
    pilot.click(labelled(call.menu, "(Hang up.)").rect.center)
    pilot.click(call.undo_button.rect.center)
    pilot.click(call.undo_button.rect.center)  # two answers taken back
    assert call.state.choices_made == [] and call.shown.scene == "news"
    anywhere = (call.phone.centerx, call.phone.centery)
    pilot.click(labelled(call.menu, "Thank you for letting me know.").rect.center)
    pilot.click(anywhere)
    pilot.click(anywhere)
    pilot.click(anywhere)
    pilot.click(labelled(call.menu, "May I keep in touch about future roles?").rect.center)
    assert call.state.choices_made == ["thank", "keep"]

    pilot.click(call.history_button.rect.center)
    history = pilot.top
    assert isinstance(history, HistoryScreen)
    pilot.click(labelled(history.menu, "Export as text").rect.center)
    assert "> You: May I keep in touch about future roles?" in _exported(history)
    pilot.click(labelled(history.menu, "Back to the call").rect.center)
    assert pilot.top is call

    pilot.click(anywhere)  # the ending's lines at once (if any)
    pilot.click(call.menu.items[0].rect.center)  # "See what happened next"
    consequence = pilot.top
    assert isinstance(consequence, ConsequenceScreen)
    pilot.click(consequence.menu.items[0].rect.center)
    debrief = pilot.top
    assert isinstance(debrief, DebriefScreen)
    debrief.run.wait(30)
    pilot.until(lambda: debrief.ready)
    assert debrief.run.record is not None and debrief.run.record["undos"] == 2
    assert kinds(app)[-1] is DebriefScreen
