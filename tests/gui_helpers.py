"""Helpers for the window tests: a story, an app on a manual clock, and a 'pilot'.

``tests/conftest.py`` selects SDL's dummy video and audio drivers before pygame
loads, so every window here is headless.

The pilot posts real pygame events (KEYDOWN, MOUSEMOTION, MOUSEBUTTONDOWN,
MOUSEWHEEL, VIDEORESIZE) and runs one frame with ``App.step()`` after each, as
a player's input would arrive.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.gui.app import App, ManualClock
from game.gui.screens.base import Screen
from game.gui.screens.call import CallScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.debrief import DebriefScreen
from game.gui.session import Session

STORY = """\
id: gui-test
title: The Test Call
summary: A short call for the window tests.
minutes: 2
cast:
  you: {name: Alex Morgan, role: Candidate}
  maya: {name: Maya Okafor, role: "Recruiter, Northwind"}
meters:
  composure: {label: Composure}
  door: {label: Door, weight: 2}
  contacts: {label: Follow-ups, min: 0, max: 10, start: 0, weight: 0}
flags:
  do_not_recruit: {help: An insult or a threat., max_score: 15, forces_outcome: closed}
start: news
scenes:
  news:
    time: "Monday, 9:05 am"
    lines:
      - narrator: Your phone rings.
      - maya: Sorry, we went with someone else.
    choices:
      - id: thank
        text: Thank you for letting me know.
        goto: later
        effects: {door: 20, composure: 10}
        feedback: Thanking them keeps the door open.
      - id: insult
        text: Your company is a joke.
        goto: closed
        effects: {door: -40, composure: -30, do_not_recruit: true}
        feedback: An insult closes the door for good.
      - id: beg
        text: Please reconsider.
        goto: later
        if: composure >= 90
        locked: needs composure 90+
        feedback: Pressing for a second chance now costs you.
  later:
    lines:
      - maya: Thanks for taking it so well.
    next: ask
  ask:
    lines:
      - maya: Is there anything else?
    choices:
      - id: keep
        text: May I keep in touch about future roles?
        goto: open
        effects: {door: 20, contacts: 1}
        feedback: Asking to keep in touch keeps you in mind.
      - id: bye
        text: (Hang up.)
        goto: shut
        effects: {door: -10}
        feedback: Hanging up fast leaves no impression.
  open:
    ending:
      title: The door stays open
      outcome: open
      time_skip: Three weeks later...
      epilogue: Maya calls about a new role.
      lesson: Thank them and ask to keep in touch.
  shut:
    ending: {title: Forgotten, outcome: shut, time_skip: Months later..., epilogue: Nothing.}
  closed:
    ending: {title: Closed, outcome: closed, epilogue: Your file says do not recruit.}
"""

BROKEN = STORY.replace("    choices:\n      - id: keep", "    chocies:\n      - id: keep")


def write(folder: Path, name: str, text: str) -> Path:
    """Write a story file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def make_app(
    folder: Path,
    stories: list[Path] | None = None,
    size: tuple[int, int] = (1280, 720),
    text_speed: int = 40,
) -> App:
    """Open an app on a manual clock, with its own data folder, showing ``stories``."""
    if stories is None:
        stories = [write(folder, "story.yaml", STORY)]
    session = Session(stories, data_dir=folder / "data")
    app = App(size=size, clock=ManualClock(), session=session, text_speed=text_speed)
    app.step()
    return app


class Pilot:
    """Drives an app with posted events, one frame per action."""

    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def top(self) -> Screen:
        """The screen on top of the stack."""
        return self.app.top

    def post(self, kind: int, **data: object) -> None:
        """Post one event and run a frame."""
        pygame.event.post(pygame.event.Event(kind, data))
        self.app.step()

    def press(self, key: int, mod: int = 0) -> None:
        """Press a key."""
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)

    def move(self, pos: tuple[int, int]) -> None:
        """Move the mouse to ``pos``."""
        self.post(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))

    def click(self, pos: tuple[int, int], button: int = 1) -> None:
        """Press a mouse button at ``pos``."""
        self.post(pygame.MOUSEBUTTONDOWN, pos=pos, button=button)

    def wheel(self, y: int) -> None:
        """Turn the mouse wheel (negative: towards you, scrolling down)."""
        self.post(pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y))

    def wait(self, ms: int) -> None:
        """Let ``ms`` milliseconds pass and run a frame."""
        assert isinstance(self.app.clock, ManualClock)
        self.app.clock.advance(ms)
        self.app.step()

    def pixel(self, pos: tuple[int, int]) -> tuple[int, int, int]:
        """Return the colour on screen at ``pos``."""
        colour = self.app.surface.get_at(pos)
        return (colour.r, colour.g, colour.b)

    def until(self, done: object, frames: int = 400, ms: int = 50) -> None:
        """Run frames (``ms`` apart) until ``done()`` is true."""
        for _ in range(frames):
            if done():  # type: ignore[operator]
                return
            self.wait(ms)
        raise AssertionError("condition never became true")


def kinds(app: App) -> list[type]:
    """Return the classes of the screens on the stack, bottom first."""
    return [type(screen) for screen in app.stack]


def start_call(pilot: Pilot) -> CallScreen:
    """Start the first story from the title and show its first lines at once."""
    pilot.press(pygame.K_1)
    call = pilot.top
    assert isinstance(call, CallScreen)
    pilot.press(pygame.K_SPACE)
    assert call.ready
    return call


def finish(pilot: Pilot) -> DebriefScreen:
    """From an ended call, go through the consequence screen to a scored debrief."""
    pilot.press(pygame.K_RETURN)
    assert isinstance(pilot.top, ConsequenceScreen)
    pilot.press(pygame.K_RETURN)
    debrief = pilot.top
    assert isinstance(debrief, DebriefScreen)
    debrief.run.wait(30)
    pilot.until(lambda: debrief.ready)
    return debrief
