"""Screenshots of the real screens, for the README and for a person to look at.

The app is driven exactly as a player would drive it: posted key and mouse
events through :meth:`App.step`, under the dummy video driver, with a manual
clock so the call timer and the typed-out text are the same on every run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pygame

from game.engine.state import Phase
from game.gui.app import App, ManualClock
from game.gui.screens.call import CallScreen
from game.gui.screens.class_debrief import ClassDebriefScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.debrief import DebriefScreen
from game.gui.screens.pause import PauseScreen
from game.gui.screens.phone import CARD_MS
from game.gui.screens.title import TitleScreen
from game.gui.screens.what_if import WhatIfScreen
from game.gui.screens.workshop import DiscussScreen, VoteScreen, WorkshopCallScreen
from game.gui.session import Session
from game.gui.sound import Sounds
from game.paths import stories_dir
from game.story.model import Channel

FLAGSHIP = "rejection-call.yaml"
SIZE = (1280, 720)
_FRAME_MS = 50
_MAX_FRAMES = 5000
_GOOD_TAGS = frozenset({"keep-door-open", "thank", "accept", "ask-keep-in-touch", "calibrated"})


Inspect = Callable[[str, App], None]
"""Called with each picture's name and the app, just after the picture is taken (tests
check the layout of every screen this way)."""


class SnapshotError(RuntimeError):
    """The scripted run did not reach the screen it wanted to photograph."""


def _default_story(app: App) -> Path:
    """Return the flagship if it loads, else the first bundled story that does."""
    flagship = stories_dir() / FLAGSHIP
    for candidate in [flagship, *app.session.stories]:
        if candidate.exists() and app.session.load(candidate).story is not None:
            return candidate
    raise SnapshotError("no bundled story loads; run 'callback validate stories' to see why")


def _focus_title(app: App, path: Path) -> None:
    """Leave the title's first focus if Enter there plays ``path``, else focus its row.

    With the bundled stories the first focus is "Play the campaign", whose next
    part (for a new player) is the flagship: the picture shows the campaign entry.
    """
    title = app.top
    assert isinstance(title, TitleScreen)
    focus = title.menu.focus
    if title.is_campaign(focus) and app.session.campaign_start() == path:
        return
    row = [p.resolve() if p else None for p in title.paths].index(path.resolve())
    for _ in range(row - (focus or 0)):
        _key(pygame.K_DOWN)


def _key(key: int) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def _type(text: str) -> None:
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))


def _digit(number: int) -> int:
    return int(getattr(pygame, f"K_{number}"))


def _camera(outdir: Path, size: tuple[int, int], session: Session) -> tuple[App, ManualClock]:
    """A headless window on a manual clock for pictures, and the folder they go in."""
    if not pygame.display.get_init():
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ["SDL_AUDIODRIVER"] = "dummy"
    outdir.mkdir(parents=True, exist_ok=True)
    clock = ManualClock()
    app = App(size=size, clock=clock, session=session, sounds=Sounds.silent(), transitions=False)
    app.check_wait = 120.0  # a still picture can wait for the story's check
    return app, clock


class _Driver:
    """Posts events, steps frames and saves pictures."""

    def __init__(self, app: App, clock: ManualClock, outdir: Path, suffix: str = "",
                 inspect: Inspect | None = None) -> None:
        self.app, self.clock, self.outdir, self.suffix = app, clock, outdir, suffix
        self.inspect = inspect
        self.written: list[Path] = []
        self.taken: set[str] = set()

    def frame(self, ms: int = _FRAME_MS) -> None:
        self.clock.advance(ms)
        self.app.step()

    def shot(self, name: str) -> None:
        path = self.outdir / f"{name}{self.suffix}.png"
        pygame.image.save(self.app.surface, path)
        self.written.append(path)
        self.taken.add(name)
        if self.inspect is not None:
            self.inspect(name, self.app)

    def settle(self, screen: CallScreen, photograph: bool = True) -> None:
        """Let the lines type out at their real pace; photograph the first time-skip card
        and the first incoming call on the way (if asked), then go on as a player would."""
        for _ in range(_MAX_FRAMES):
            if screen.card is not None:
                if photograph and "time-skip" not in self.taken:
                    self.frame(CARD_MS // 2)  # fully faded in
                    self.shot("time-skip")
                _key(pygame.K_SPACE)
            elif screen.ringing is not None:
                if photograph and "incoming-call" not in self.taken:
                    self.frame(600)
                    self.shot("incoming-call")
                _key(pygame.K_RETURN)
            elif screen.ready:
                return
            self.frame()
        raise SnapshotError("the call's text never finished typing out")

    def play_call(self, screen: CallScreen) -> None:
        """Play to the ending, photographing the second decision with a choice hovered."""
        decisions = 0
        for _ in range(_MAX_FRAMES):
            if self.app.top is not screen:
                return
            self.settle(screen)
            shown = screen.shown
            if screen.channel is Channel.TEXT and "text-thread" not in self.taken:
                self.shot("text-thread")
            if shown.phase is Phase.CHOOSING:
                decisions += 1
                offers = [o for o in shown.choices if o.available]
                good = [o for o in offers if _GOOD_TAGS & set(o.tags)] or offers
                # A mostly good run with one slip, so the debrief has something to teach.
                pick = offers[-1] if decisions == 3 and len(offers) > 1 else good[0]
                if decisions <= 2:  # the second decision if there is one, else the first
                    item = screen.menu.items[pick.number - 1]
                    pygame.event.post(
                        pygame.event.Event(
                            pygame.MOUSEMOTION, pos=item.rect.center, rel=(0, 0), buttons=(0, 0, 0)
                        )
                    )
                    self.frame(1400)
                    self.shot("call")
                if decisions == 2:
                    self.menus(screen)
                _key(_digit(pick.number))
            else:
                _key(pygame.K_RETURN)
            self.frame(900)
        raise SnapshotError("the story did not end")

    def menus(self, screen: CallScreen) -> None:
        """Photograph what opens over a call: the history, the pause menu, the save slots
        (after saving to slot 1) and the settings; then go back to the call."""
        _key(pygame.K_h)
        self.frame()
        self.shot("history")
        _key(pygame.K_ESCAPE)
        self.frame()
        _key(pygame.K_ESCAPE)
        self.frame()
        pause = self.app.top
        if not isinstance(pause, PauseScreen):
            raise SnapshotError("Esc did not open the pause menu over the call")
        self.shot("pause")
        for label, name in (("Save to a slot", "slots"), ("Settings", "settings")):
            item = next((i for i in pause.menu.items if i.label == label), None)
            if item is None or item.number is None:
                continue
            _key(_digit(item.number))
            self.frame()
            if name == "slots":
                _key(pygame.K_1)  # saved to slot 1: its picture shows
                self.frame()
            self.shot(name)
            _key(pygame.K_ESCAPE)
            self.frame()
        _key(pygame.K_ESCAPE)  # resume
        self.frame()
        if self.app.top is not screen:
            raise SnapshotError("the pause menu did not go back to the call")


PLAYER_SCREENS = ("title", "quit", "player", "time-skip", "incoming-call", "call", "history",
                  "pause", "slots", "settings", "text-thread", "consequence", "debrief", "error")
"""The player's screens :func:`write_screenshots` photographs (those the story has)."""
PLAYER_SIZES = ((1280, 720),)
"""The sizes the player's screens are photographed at as they open (no suffix)."""
LOOKS: tuple[tuple[tuple[int, int], int, bool], ...] = tuple(
    (size, scale, contrast) for size in ((800, 600), (1920, 1080)) for scale in (100, 200)
    for contrast in (False, True))
"""Each (size, text size in percent, high contrast) every player screen is also
photographed at: the smallest and largest windows, at normal and double text, in both
themes (``title-800x600-200-hc.png``)."""
BROKEN_STORY = """\
id: broken
title: A story with a typo
cast:
  you: {name: You, role: Candidate}
start: news
scenes:
  news:
    lines:
      - narrator: The phone rings.
    chocies:
      - {id: thank, text: Thank you., goto: end}
  end:
    ending: {title: The end, outcome: open, epilogue: Done.}
"""
"""A story with one mistake, for the picture of the error screen."""


def look_suffix(size: tuple[int, int], text_scale: int, high_contrast: bool) -> str:
    """The file-name suffix of a look: ``-800x600-200-hc``."""
    return f"-{size[0]}x{size[1]}-{text_scale}" + ("-hc" if high_contrast else "")


def write_screenshots(
    outdir: Path, story: str | None = None, size: tuple[int, int] = SIZE, suffix: str = "",
    *, text_scale: int = 100, high_contrast: bool = False, inspect: Inspect | None = None,
) -> list[Path]:
    """Render the player's screens to PNG files: the title and its quit question, the
    player entry, the first time-skip card and incoming call, a decision with the
    history, pause menu, save slots and settings over it, the first text thread, the
    consequence, the debrief and the error screen (those the story has).

    The run is saved in a folder of its own that is removed afterwards, so the save
    slots have something to show and nothing of the player's is touched.

    Args:
        outdir: Folder for the pictures (created if missing).
        story: The story to play (default: the flagship, or the first that loads).
        size: Window size in pixels.
        suffix: Added to each file name (``debrief-800x600-100.png``).
        text_scale: The text size setting, in percent (100 to 200).
        high_contrast: Use the high-contrast theme.
        inspect: Called after each picture with its name and the app.

    Returns:
        The paths written, in the order a player sees the screens.
    """
    outdir = Path(outdir)
    with tempfile.TemporaryDirectory(prefix="callback-shots-") as home:
        folder = Path(home)
        session = Session(data_dir=folder, results=str(folder / "results.db"))
        session.settings = replace(session.settings, text_scale=text_scale,
                                   high_contrast=high_contrast)
        app, clock = _camera(outdir, size, session)
        return _player_run(_Driver(app, clock, outdir, suffix, inspect), story, folder)


def _player_run(driver: _Driver, story: str | None, folder: Path) -> list[Path]:
    """Play ``story`` from the title to the debrief, photographing each screen."""
    app, outdir, suffix = driver.app, driver.outdir, driver.suffix
    try:
        path = Path(story) if story else _default_story(app)
        app.add_story(path)
        _focus_title(app, path)
        driver.frame()
        driver.shot("title")
        _key(pygame.K_ESCAPE)  # "Quit Callback?": Esc again stays
        driver.frame()
        driver.shot("quit")
        _key(pygame.K_ESCAPE)
        driver.frame()
        _key(pygame.K_p)  # who is playing: a class code and a name typed in
        driver.frame()
        _type("11B")
        _key(pygame.K_TAB)
        _type("Ana")
        driver.frame()
        driver.shot("player")
        _key(pygame.K_ESCAPE)  # cancelled: the pictures that follow are anonymous
        driver.frame()
        _key(pygame.K_RETURN)
        driver.frame()
        screen = app.top
        if not isinstance(screen, CallScreen):
            raise SnapshotError(f"{path} did not open as a call (is it a valid story?)")
        driver.play_call(screen)
        if not isinstance(app.top, ConsequenceScreen):
            raise SnapshotError("the call did not lead to the consequence screen")
        driver.shot("consequence")
        _key(pygame.K_RETURN)
        driver.frame()
        debrief = app.top
        if not isinstance(debrief, DebriefScreen):
            raise SnapshotError("the consequence screen did not lead to the debrief")
        debrief.run.wait(120)
        driver.frame()
        driver.shot("debrief")
        broken = folder / "broken.yaml"
        broken.write_text(BROKEN_STORY, encoding="utf-8")
        app.to_title()
        app.add_story(broken)
        app.open_story(broken)
        driver.frame()
        driver.shot("error")
        return [outdir / f"{n}{suffix}.png" for n in PLAYER_SCREENS if n in driver.taken]
    finally:
        pygame.display.quit()


WORKSHOP_SIZES = ((1920, 1080), (1280, 720), (800, 600))
"""The projector sizes workshop pictures are taken at."""
WORKSHOP_SCREENS = ("call", "discuss", "vote", "what-if", "vote-revealed", "tie", "consequence",
                    "class-debrief")


def write_workshop_screenshots(outdir: Path, story: str | None = None,
                               size: tuple[int, int] = WORKSHOP_SIZES[0]) -> list[Path]:
    """Render every workshop screen at ``size`` to ``workshop-SCREEN-WxH.png`` files.

    A class of eleven plays the story: hands are counted at each decision, mostly
    for a good answer, the second decision is a tie the facilitator breaks, and the
    first is looked at with "what if" before the vote is revealed.
    """
    outdir = Path(outdir)
    app, clock = _camera(outdir, size, Session(save_runs=False, class_code="11B"))
    suffix = f"{size[0]}x{size[1]}"
    try:
        path = Path(story) if story else _default_story(app)
        app.add_story(path)
        driver = _Driver(app, clock, outdir)
        app.start_workshop(path)
        driver.frame()
        if not isinstance(app.top, WorkshopCallScreen):
            raise SnapshotError(f"{path} did not open as a workshop (is it a valid story?)")
        _workshop_run(driver, app.top, suffix)
        return [outdir / f"workshop-{name}-{suffix}.png" for name in WORKSHOP_SCREENS]
    finally:
        pygame.display.quit()


def _workshop_run(driver: _Driver, call: WorkshopCallScreen, suffix: str) -> None:
    """Play ``call`` to the class debrief, taking each workshop screen's picture once."""
    app = driver.app
    decisions = 0
    for _ in range(_MAX_FRAMES):
        top = app.top
        if isinstance(top, WorkshopCallScreen):
            driver.settle(top, photograph=False)
            if top.shown.phase is Phase.CHOOSING and decisions == 0:
                driver.shot(f"workshop-call-{suffix}")
            _key(pygame.K_RETURN)
        elif isinstance(top, DiscussScreen):
            if decisions == 0:
                driver.shot(f"workshop-discuss-{suffix}")
            _key(pygame.K_RETURN)
        elif isinstance(top, VoteScreen):
            decisions += 1
            _vote(driver, top, decisions, suffix)
        elif isinstance(top, ConsequenceScreen):
            driver.shot(f"workshop-consequence-{suffix}")
            _key(pygame.K_RETURN)
        elif isinstance(top, ClassDebriefScreen):
            top.run.wait(120)
            driver.frame()
            driver.shot(f"workshop-class-debrief-{suffix}")
            return
        else:
            raise SnapshotError(f"the workshop reached an unexpected {type(top).__name__}")
        driver.frame(300)
    raise SnapshotError("the workshop did not end")


def _vote(driver: _Driver, vote: VoteScreen, decision: int, suffix: str) -> None:
    """Count a class's hands (mostly for a good answer) and play the result."""
    offers = [o for o in vote.offered if o.available]
    good = [o for o in offers if _GOOD_TAGS & set(o.tags)] or offers
    best, other = good[0], next((o for o in offers if o is not good[0]), good[0])
    hands = [(best, 7), (other, 4)] if decision != 2 else [(best, 5), (other, 5)]
    for offer, count in hands:
        for _ in range(count):
            _key(_digit(offer.number))
    driver.frame()
    if decision == 1:
        driver.shot(f"workshop-vote-{suffix}")
        _key(pygame.K_w)
        driver.frame()
        what = driver.app.top
        if isinstance(what, WhatIfScreen):
            what.lookup.wait(120)
            driver.frame()
            driver.shot(f"workshop-what-if-{suffix}")
            _key(pygame.K_ESCAPE)
            driver.frame()
    _key(pygame.K_r)
    driver.frame()
    if decision == 1:
        driver.shot(f"workshop-vote-revealed-{suffix}")
    _key(pygame.K_RETURN)
    driver.frame()
    if decision == 2:
        driver.shot(f"workshop-tie-{suffix}")
        _key(_digit(best.number))
        driver.frame()


def write_all_screenshots(outdir: Path, story: str | None = None) -> list[Path]:
    """The player's screens at 1280x720 as they open, then in each of :data:`LOOKS`;
    then every workshop screen at each projector size (its own type and colours)."""
    paths = write_screenshots(outdir, story)
    for size, scale, contrast in LOOKS:
        paths += write_screenshots(outdir, story, size, look_suffix(size, scale, contrast),
                                   text_scale=scale, high_contrast=contrast)
    for size in WORKSHOP_SIZES:
        paths += write_workshop_screenshots(outdir, story, size)
    return paths
