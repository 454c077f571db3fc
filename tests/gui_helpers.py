"""Helpers for the window tests: a story, an app on a manual clock, and a 'pilot'.

``tests/conftest.py`` selects SDL's dummy video and audio drivers before pygame
loads, so every window here is headless.

The pilot posts real pygame events (KEYDOWN, MOUSEMOTION, MOUSEBUTTONDOWN,
MOUSEWHEEL, VIDEORESIZE) and runs one frame with ``App.step()`` after each, as
a player's input would arrive.

:class:`TextSpy` records where the screens draw each line of text, and
:func:`shows` checks the pixels there: the text's own glyphs, in its colour,
are really on screen (not clipped away, not painted over).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygame
import pytest

from game.gui import widgets
from game.gui.app import App, ManualClock
from game.gui.screens.base import Screen
from game.gui.screens.call import CallScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.debrief import DebriefScreen
from game.gui.session import Session
from game.gui.sound import Sounds
from game.gui.widgets import Item, Menu

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

DEAD_END = STORY.replace(
    """    choices:
      - id: keep
        text: May I keep in touch about future roles?
        goto: open
""",
    """    choices:
      - id: keep
        text: May I keep in touch about future roles?
        goto: open
        if: composure >= 90
""",
).replace(
    """      - id: bye
        text: (Hang up.)
        goto: shut
        effects: {door: -10}
        feedback: Hanging up fast leaves no impression.
""",
    "",
)
"""STORY, except that 'ask' offers one choice whose condition is false whenever it is reached."""

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
    sounds: Sounds | None = None,
    transitions: bool = False,
) -> App:
    """Open an app on a manual clock, with its own data folder, showing ``stories``.

    It is silent unless given ``sounds`` (a test's fake mixer), and changes screens
    without a fade unless asked, so pixels can be checked on the frame after a change.
    """
    if stories is None:
        stories = [write(folder, "story.yaml", STORY)]
    session = Session(stories, data_dir=folder / "data")
    app = App(size=size, clock=ManualClock(), session=session, text_speed=text_speed,
              sounds=sounds or Sounds.silent(), transitions=transitions)
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


def labelled(menu: Menu, label: str) -> Item:
    """Return the item of ``menu`` labelled ``label``."""
    return next(item for item in menu.items if item.label == label)


def key_of(item: Item) -> int:
    """The number key that activates a menu ``item`` (its badge)."""
    assert item.number is not None
    return int(getattr(pygame, f"K_{item.number}"))


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


# ---------------------------------------------------------------------- text on screen
@dataclass(frozen=True)
class Drawn:
    """One line of text a screen drew: what, with which font and colour, and where."""

    text: str
    font: pygame.font.Font
    colour: tuple[int, int, int]
    topleft: tuple[int, int]
    clip: pygame.Rect | None = None
    """The surface's clip when it was drawn (a scrolling area clips its rows)."""

    @property
    def rect(self) -> pygame.Rect:
        """Where the line's glyphs are on screen (their inked box, not the font's line box)."""
        inked = self.font.render(self.text, True, (255, 255, 255)).get_bounding_rect()
        return inked.move(self.topleft)


class TextSpy:
    """Record every line drawn through the widgets' ``draw_lines`` and ``draw_text``.

    Every ``game.gui`` module that imported those helpers gets a recording copy,
    so the spy sees transcript bubbles, choices, titles and overlays alike.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.drawn: list[Drawn] = []
        lines, text = widgets.draw_lines, widgets.draw_text

        def spy_lines(
            surface: pygame.Surface,
            font: pygame.font.Font,
            rows: list[str],
            colour: Any,
            x: int,
            y: int,
            **options: Any,
        ) -> int:
            step = round(font.get_linesize() * options.get("spacing", 1.0))
            for index, row in enumerate(rows):
                left = x
                if options.get("align") == "center":
                    left = x + (options.get("width", 0) - font.size(row)[0]) // 2
                elif options.get("align") == "right":
                    left = x + options.get("width", 0) - font.size(row)[0]
                if row:
                    self.drawn.append(Drawn(row, font, tuple(colour), (left, y + index * step),
                                            surface.get_clip()))
            return lines(surface, font, rows, colour, x, y, **options)

        def spy_text(
            surface: pygame.Surface, font: pygame.font.Font, row: str, colour: Any, **anchor: Any
        ) -> pygame.Rect:
            rect = text(surface, font, row, colour, **anchor)
            self.drawn.append(Drawn(row, font, tuple(colour), rect.topleft, surface.get_clip()))
            return rect

        for name, module in list(sys.modules.items()):
            if not name.startswith("game.gui"):
                continue
            if getattr(module, "draw_lines", None) is lines:
                monkeypatch.setattr(module, "draw_lines", spy_lines)
            if getattr(module, "draw_text", None) is text:
                monkeypatch.setattr(module, "draw_text", spy_text)

    def frame(self, app: App) -> list[Drawn]:
        """Draw one frame (no time passes) and return the text drawn in it."""
        self.drawn.clear()
        app.step()
        return list(self.drawn)

    def find(self, wanted: str | Callable[[str], bool]) -> list[Drawn]:
        """Return the lines drawn in the last frame that contain ``wanted`` (or match it)."""
        test = wanted if callable(wanted) else (lambda text: wanted in text)
        return [d for d in self.drawn if test(d.text)]


def shows(surface: pygame.Surface, drawn: Drawn) -> bool:
    """Return True if ``drawn``'s glyphs are on ``surface`` where it was drawn.

    Every fully covered pixel of the rendered text must have the text's colour
    on screen (within a small tolerance), and there must be a real amount of them.
    """
    image = drawn.font.render(drawn.text, True, drawn.colour)
    x0, y0 = drawn.topleft
    bounds = surface.get_rect()
    solid = hits = 0
    for y in range(image.get_height()):
        for x in range(image.get_width()):
            if image.get_at((x, y)).a < 250:
                continue
            solid += 1
            if not bounds.collidepoint(x0 + x, y0 + y):
                continue
            seen = surface.get_at((x0 + x, y0 + y))
            if all(abs(a - b) <= 6 for a, b in zip(seen[:3], drawn.colour, strict=True)):
                hits += 1
    return solid >= 20 and hits >= solid * 0.97


def visible(surface: pygame.Surface, spy: TextSpy, wanted: str) -> bool:
    """Return True if some line containing ``wanted`` was drawn last frame and shows."""
    return any(shows(surface, d) for d in spy.find(wanted))
