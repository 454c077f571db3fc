"""The window: a stack of screens, one frame per :meth:`App.step`, and :func:`run_window`.

Tests drive the real app headless (``SDL_VIDEODRIVER=dummy``): they post
``KEYDOWN`` and ``MOUSEBUTTONDOWN`` events, call :meth:`App.step` (one frame, no
sleeping) and look at :attr:`App.stack` and at pixels of :attr:`App.surface`.
:meth:`App.run` is the same loop for people: it sleeps on the event queue while
nothing moves instead of spinning (in live preview, ``--watch``, it wakes every
quarter second to look at the story file; see :mod:`game.gui.preview`).

Stories are checked before play, as ``callback play`` checks them (see
:mod:`game.gui.prepare`): one that would strand the player is refused on the
error screen with its ``file:line:col`` lines.

Only what the title screen needs is imported with this module, so the window's first
frame comes early: the call, workshop, error and pause screens and the live preview
are imported where they are first used (``tests/test_first_frame.py`` keeps the
preview out; ``bench/bench_gui.py`` times the first frame).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import pygame

from game.gui.screens.base import Screen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session
from game.gui.sound import RING, Sounds
from game.gui.theme import Theme, projector_theme, theme_for
from game.gui.widgets import draw_toasts

if TYPE_CHECKING:  # the rest is imported where it is first needed, after the first frame
    from game.analysis.load import LoadedStory
    from game.classroom.workshop import Workshop
    from game.engine.compiled import CompiledStory
    from game.engine.state import PlayState
    from game.gui.preview import Preview
    from game.gui.runs import FinishedRun, Retry
    from game.store.saves import Saved
    from game.store.settings import Settings

WINDOW_SIZE = (1280, 720)
MIN_SIZE = (640, 480)
TOAST_MS = 7000
"""How long a notice (a recovered save, a failed write) stays at the bottom of the window."""
_HEADLESS_DRIVERS = ("dummy", "offscreen")
_POLL_MS = 50
CHECK_WAIT_S = 0.3
"""How long opening a story may block while it is checked before a 'Checking' screen shows."""
TRANSITION_MS = 180
"""How long one screen fades into the next (none under reduced motion)."""
_FRAME_MS = 16
WINDOW_STILL_MS = 1000
"""How long a resized window keeps its size before the size is saved (not each step of a drag)."""
FIRST_FRAME_ENV = "CALLBACK_FIRST_FRAME"
"""Names a file: write the time of the first frame there, then quit (see :func:`run_window`)."""
FIRST_FRAME_STAY_ENV = "CALLBACK_FIRST_FRAME_STAY"
"""Set (to anything) with ``CALLBACK_FIRST_FRAME``: write the time, but keep running."""


def monotonic_ms() -> int:
    """Return a millisecond clock that never goes backwards."""
    return int(time.monotonic() * 1000)


class ManualClock:
    """A clock that moves only when told to: for tests and screenshots."""

    def __init__(self, start: int = 0) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        """Move the clock forward by ``ms`` milliseconds."""
        self.now += ms


class App:
    """The game window: a stack of screens with the title screen at the bottom.

    Args:
        size: Window size in pixels.
        theme: Colours and fonts (default: the standard theme).
        clock: Returns milliseconds; inject a :class:`ManualClock` in tests.
        session: The stories, profile and saved runs (default: the bundled stories).
        text_speed: Characters per second for typed-out lines; 0 for none
            (default: the player's setting).
        flags: ``pygame.display.set_mode`` flags.
        watch: A story file to preview live: it is played at once and reloaded
            whenever it changes on disk (see :mod:`game.gui.preview`).
        poll_ms: How often the live preview looks at the file (default
            :data:`game.gui.preview.POLL_MS`).
        sounds: The ring, ping, hang-up and click (default: played on this machine's
            mixer at the player's volume; silent where there is no audio device).
        transitions: Fade from one screen to the next (the player's reduced-motion
            setting turns it off too); tests that look at pixels right after a
            change of screen pass False.

    Raises:
        pygame.error: if no window can be opened.
    """

    def __init__(
        self,
        size: tuple[int, int] = WINDOW_SIZE,
        theme: Theme | None = None,
        clock: Callable[[], int] | None = None,
        session: Session | None = None,
        text_speed: int | None = None,
        flags: int = pygame.RESIZABLE,
        watch: Path | None = None,
        poll_ms: int | None = None,
        sounds: Sounds | None = None,
        transitions: bool = True,
    ) -> None:
        pygame.display.init()
        pygame.font.init()
        self.session = session or Session()
        settings = self.session.settings
        self.window_size = size
        """The window's size out of fullscreen: leaving fullscreen comes back to it."""
        self._resized_at: int | None = None  # when the player last resized; None once kept
        self.flags = flags
        if settings.fullscreen:  # opened straight at the whole screen, not a window first
            size, self.flags = self._mode(fullscreen=True)
        self.surface = pygame.display.set_mode(size, self.flags)
        pygame.display.set_caption("Callback")
        # SDL starts with text input on: every key would also arrive as TEXTINPUT (and
        # a touch screen may show its keyboard). Only a text field turns it on.
        pygame.key.stop_text_input()
        self.theme = theme or theme_for(settings)
        self.theme.fit(self.surface.get_size())
        self.clock = clock or monotonic_ms
        self.text_speed = settings.chars_per_second if text_speed is None else text_speed
        self.sounds = sounds or Sounds(volume=settings.volume, muted=settings.muted)
        self.transitions = transitions
        self._fade: tuple[pygame.Surface, int] | None = None  # the last screen, and when it went
        self.toasts: list[tuple[str, int]] = []  # (message, when it goes, on self.clock)
        self._resume: Saved | None = None
        self.check_wait = CHECK_WAIT_S
        self.running = True
        self.stack: list[Screen] = []
        self.workshop: Workshop | None = None
        """The class's run while the window is in workshop mode (projector theme)."""
        self._last_tick = self.clock()
        self.push(TitleScreen(self))
        self.preview: Preview | None = None
        if watch is not None:  # only --watch pays for the live preview
            from game.gui.preview import POLL_MS, Preview

            interval = POLL_MS if poll_ms is None else poll_ms
            self.preview = Preview(self, Path(watch), interval)

    # ------------------------------------------------------------------ the stack
    @property
    def previewing(self) -> bool:
        """True while an author previews a story file live (its calls are not saved)."""
        return self.preview is not None

    @property
    def top(self) -> Screen:
        """The screen that receives input."""
        return self.stack[-1]

    @property
    def motion(self) -> bool:
        """True if screens may move: fades and cards (off under reduced motion)."""
        return self.transitions and not self.session.settings.reduced_motion

    def push(self, screen: Screen) -> None:
        """Put ``screen`` on top (an opaque one fades in over the last frame)."""
        screen.layout(self.surface.get_size())
        if self.stack and screen.opaque and self.motion:
            self._fade = (self.surface.copy(), self.clock())
        self.stack.append(screen)

    def pop(self) -> None:
        """Remove the top screen (never the title at the bottom)."""
        if len(self.stack) > 1:
            self.stack.pop()

    def replace(self, screen: Screen) -> None:
        """Swap the top screen for ``screen``."""
        self.sounds.stop(RING)  # a phone left ringing on a screen that is gone
        self.pop()
        self.push(screen)

    def to_title(self) -> None:
        """Go back to the title screen (listing the saved call, if there is one now).

        This ends a workshop: the window goes back to the player's own theme.
        """
        ended = self._end_workshop()
        self._unstack()
        if ended:
            self.stack[0].layout(self.surface.get_size())

    def _end_workshop(self) -> bool:
        """Leave workshop mode, if the window is in it: back to the player's own theme."""
        if self.workshop is None:
            return False
        self.workshop = None
        self.theme = theme_for(self.session.settings)
        self.theme.fit(self.surface.get_size())
        return True

    def _unstack(self) -> None:
        """Take every screen off above the title (a workshop goes on)."""
        self.sounds.stop(RING)
        del self.stack[1:]
        title = self.stack[0]
        saved = self.session.saved is not None
        if isinstance(title, TitleScreen) and title.has_continue != saved:
            self.refresh_title()

    def quit(self) -> None:
        """Stop the loop after this frame (keeping the window's size if it was just changed)."""
        self.save_window_size()
        self.running = False

    # ------------------------------------------------------------------ stories
    def add_story(self, path: Path) -> int:
        """List ``path`` on the title screen if it is not there yet; return its index."""
        before = len(self.session.stories)
        index = self.session.add(Path(path))
        if len(self.session.stories) != before:
            self.refresh_title()
        return index

    def refresh_title(self) -> None:
        """Rebuild the title screen from the session's stories."""
        self.stack[0] = TitleScreen(self)
        self.stack[0].layout(self.surface.get_size())

    def open_story(self, path: Path) -> None:
        """Play the story at ``path``, or show its problems if it cannot be played.

        The story is checked from this player's start first (a dead end or a
        trap refuses it, as ``callback play`` does). A quick check is waited
        for; a slow one shows a 'Checking' screen while the window stays live.
        """
        from game.gui.screens.loading import LoadingScreen

        check = self.session.prepare(Path(path))
        if check.wait(self.check_wait):
            assert check.result is not None
            self.start_checked(check.result)
        else:
            self._unstack()
            self.push(LoadingScreen(self, check))

    def start_checked(self, result: LoadedStory) -> None:
        """Play a checked story from the start (or a saved call), or say why it cannot be played."""
        from game.gui.screens.call import CallScreen
        from game.gui.screens.error import ErrorScreen

        resume, self._resume = self._resume, None
        if result.compiled is None:
            self.to_title()
            self.push(ErrorScreen.for_load(self, result))
        elif resume is not None and resume.story_id == result.compiled.id:
            moves, note = resume.resume(result.compiled)
            if note:
                self.notify(note)
            self.to_title()
            self.push(CallScreen(self, result.compiled, resume.imports, moves=moves,
                                 started=resume.started))
        else:
            self.play(result.compiled)

    def continue_saved(self) -> None:
        """Continue the call saved in progress (replaying its moves on the story as it is now)."""
        saved = self.session.saved
        if saved is not None:
            self.load_saved(saved)

    def load_saved(self, saved: Saved) -> None:
        """Play a saved call (the autosave or a slot's), replaying its moves on the story
        as it is now: a story that changed since loads as far as the moves still apply,
        and a notice says so. A story file that is gone is said too (and the autosave,
        if it was that, is dropped)."""
        path = Path(saved.story_path)
        if not path.is_file():
            self.notify(f"The story of your saved call is no longer at {path}.")
            if saved is self.session.saved:
                self.session.drop_progress()
                self.refresh_title()
            return
        self.session.campaign = saved.campaign
        self.session.mode = saved.mode  # an assessment goes on locked
        self.add_story(path)
        self._resume = saved
        self.open_story(path)

    def start_campaign(self) -> None:
        """Play the campaign from the first scenario not finished yet (as ``--campaign``)."""
        self.session.campaign = True
        first = self.session.campaign_start()
        if first is not None:
            self.add_story(first)
            self.open_story(first)

    def play(self, story: CompiledStory) -> None:
        """Start ``story`` from the beginning (with its campaign values), above the title.

        In a workshop the class starts again, with no votes yet and no campaign values.
        """
        from game.classroom.workshop import Workshop
        from game.gui.screens.call import CallScreen
        from game.gui.screens.workshop import WorkshopCallScreen

        self._unstack()
        if self.workshop is not None:
            self.workshop = Workshop(self.workshop.class_code)
            self.push(WorkshopCallScreen(self, story, self.workshop))
        else:
            self.push(CallScreen(self, story, self.session.imports(story.model)))

    def start_workshop(self, path: Path, class_code: str | None = None) -> None:
        """Project the story at ``path`` for a class (``class_code``, default the
        window's): the projector theme, a discussion and a vote at each decision."""
        from game.classroom.workshop import Workshop

        self.session.campaign = False
        code = class_code if class_code is not None else self.session.class_code
        self.workshop = Workshop(code or None)
        self.theme = projector_theme()
        self.resize(self.surface.get_size())
        self.open_story(path)

    def try_again(self, story: CompiledStory, state: PlayState, retry: Retry) -> None:
        """Replay the finished run ``state`` up to decision ``retry.number``, to answer it
        again (the new run's debrief says what changed)."""
        from game.gui.screens.call import CallScreen

        made = [i for i, step in enumerate(state.history) if step.choice is not None]
        moves = [step.choice for step in state.history[:made[retry.number - 1]]]
        self._unstack()
        self.push(CallScreen(self, story, dict(state.imports), moves=moves, retry=retry))

    def finish(self, story: CompiledStory, state: PlayState, started: str,
               undos: int = 0) -> FinishedRun:
        """Score and save a finished run in the background (``undos``: answers taken back)."""
        return self.session.finish(story, state, started, undos=undos)

    # ------------------------------------------------------------------ settings and notices
    def apply_settings(self, settings: Settings) -> None:
        """Use and keep ``settings``: colours, text size and speed change at once."""
        self.session.change_settings(settings)
        self.theme = projector_theme() if self.workshop is not None else theme_for(settings)
        self.text_speed = settings.chars_per_second
        self.sounds.set_volume(settings.volume, settings.muted)
        self._show_fullscreen(settings.fullscreen)
        self.resize(self.surface.get_size())

    def toggle_fullscreen(self) -> None:
        """Fill the screen, or go back to the window (F11 anywhere); kept like any setting."""
        settings = self.session.settings
        self.apply_settings(dataclasses.replace(settings, fullscreen=not settings.fullscreen))

    def _mode(self, *, fullscreen: bool) -> tuple[tuple[int, int], int]:
        """The size and flags ``set_mode`` takes for the whole screen or for the window.

        (0, 0) fullscreen is the desktop's own size (no change of video mode); the
        window comes back resizable at the size it had.
        """
        if fullscreen:
            return (0, 0), (self.flags & ~pygame.RESIZABLE) | pygame.FULLSCREEN
        return self.window_size, (self.flags & ~pygame.FULLSCREEN) | pygame.RESIZABLE

    def _show_fullscreen(self, fullscreen: bool) -> None:
        """Switch to the whole screen or back to the window, unless it is so already."""
        if fullscreen != bool(self.flags & pygame.FULLSCREEN):
            size, self.flags = self._mode(fullscreen=fullscreen)
            self.surface = pygame.display.set_mode(size, self.flags)

    def notify(self, message: str) -> None:
        """Show ``message`` at the bottom of the window for a few seconds."""
        self.toasts.append((message, self.clock() + TOAST_MS))

    # ------------------------------------------------------------------ frames
    def step(self) -> bool:
        """Handle every pending event and draw exactly one frame; never sleeps.

        Returns False once the player has quit.
        """
        for event in pygame.event.get():
            self.dispatch(event)
        self._frame()
        return self.running

    def run(self) -> int:
        """Run until the player quits; return the exit code (0).

        While the top screen is still (nothing typing out), the loop sleeps in
        ``pygame.event.wait`` and wakes only for input or when the screen asks
        (the call timer ticks once a second, and a run being scored is polled).
        """
        self.step()
        while self.running:
            timeout = self.top.wake_in()
            if self.session.pending:
                timeout = min(timeout or _POLL_MS, _POLL_MS)
            if self.toasts:
                expires = max(1, min(t for _, t in self.toasts) - self.clock())
                timeout = min(timeout or expires, expires)
            if self._fade is not None:
                timeout = _FRAME_MS
            if self.preview is not None:  # only the live preview wakes to look at a file
                timeout = min(timeout or self.preview.interval, self.preview.interval)
            if self._resized_at is not None:  # wake to keep the new size once it is still
                due = max(1, self._resized_at + WINDOW_STILL_MS - self.clock())
                timeout = min(timeout or due, due)
            event = pygame.event.wait() if timeout is None else pygame.event.wait(max(1, timeout))
            if event.type != pygame.NOEVENT:
                self.dispatch(event)
            self.step()
        return 0

    def dispatch(self, event: pygame.event.Event) -> None:
        """Send one event where it belongs: the app itself or the top screen."""
        if event.type == pygame.QUIT:
            self.quit()
        elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWRESIZED, pygame.WINDOWSIZECHANGED):
            size = getattr(event, "size", None) or (event.x, event.y)
            self.resize(size)
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.top.pauses():
            from game.gui.screens.pause import PauseScreen

            self.push(PauseScreen(self))
        else:
            self._guard(self.top.handle, event)

    def resize(self, size: tuple[int, int]) -> None:
        """Lay every screen out again for a window of ``size`` pixels."""
        size = (max(MIN_SIZE[0], int(size[0])), max(MIN_SIZE[1], int(size[1])))
        current = pygame.display.get_surface()
        if current is None or current.get_size() != size:
            # A real window has already been resized by SDL; a headless one has not.
            current = pygame.display.set_mode(size, self.flags)
        self.surface = current
        if not self.flags & pygame.FULLSCREEN and size != self.window_size:
            # Kept once it has been still a while (see save_window_size), not per step of a drag.
            self.window_size, self._resized_at = size, self.clock()
        self.theme.fit(size)
        for screen in self.stack:
            self._guard(screen.layout, size)

    def save_window_size(self, now: int | None = None) -> None:
        """Keep the window's new size for next time once it has been still for
        :data:`WINDOW_STILL_MS` at ``now``; with no ``now`` (quitting), keep it at once."""
        if self._resized_at is None:
            return
        if now is not None and now - self._resized_at < WINDOW_STILL_MS:
            return
        self._resized_at = None
        settings = self.session.settings
        if settings.window_size != self.window_size:
            self.session.change_settings(dataclasses.replace(settings,
                                                             window_size=self.window_size))

    def _frame(self) -> None:
        now = self.clock()
        self.save_window_size(now)
        elapsed, self._last_tick = max(0, now - self._last_tick), now
        for run in self.session.collect():
            if run.error is not None:
                self.crash(run.error)
        while self.session.notes:
            self.notify(self.session.notes.pop(0))
        self.toasts = [(m, t) for m, t in self.toasts if t > now]
        if self.preview is not None:
            self._guard(self.preview.poll, now)
        self._guard(self.top.update, elapsed)
        for _attempt in range(2):  # a crash while drawing is drawn as the error screen
            if self._guard(self._draw):
                break
        pygame.display.flip()

    def _draw(self) -> None:
        first = max(i for i, s in enumerate(self.stack) if s.opaque or i == 0)
        for screen in self.stack[first:]:
            screen.draw(self.surface)
        if self._fade is not None:
            self._draw_fade()
        if self.preview is not None:
            self.preview.draw(self.surface)
        if self.toasts:
            area = self.stack[-1].toast_area() if self.stack else None
            draw_toasts(self.surface, self.theme, [m for m, _ in self.toasts], area)

    def _draw_fade(self) -> None:
        """Draw the last screen fading out over the new one, until the fade is over."""
        assert self._fade is not None
        last, since = self._fade
        left = 1 - (self.clock() - since) / TRANSITION_MS
        if left <= 0 or last.get_size() != self.surface.get_size():
            self._fade = None
            return
        last.set_alpha(round(255 * left))
        self.surface.blit(last, (0, 0))

    # ------------------------------------------------------------------ errors
    def _guard(self, action: Callable[..., object], *args: object) -> bool:
        """Run a screen's code; an unexpected error shows the crash screen instead."""
        try:
            action(*args)
        except Exception as error:  # the calm error screen is the point of this handler
            self.crash(error)
            return False
        return True

    def crash(self, error: Exception) -> None:
        """Write a crash report, go back to the title and say what happened."""
        from game.crash import write_report
        from game.gui.screens.error import ErrorScreen

        if any(isinstance(s, ErrorScreen) and s.crash for s in self.stack):
            raise error  # the error screen itself is failing: nothing calmer to show
        self.sounds.stop(RING)
        report = write_report(error, f"window: {type(self.top).__name__}") or "(not saved)"
        self._end_workshop()
        self.stack = [TitleScreen(self)]
        self.stack[0].layout(self.surface.get_size())
        self.push(ErrorScreen.for_crash(self, error, report))


def _missing_display() -> str:
    """Return why no display can exist here, before SDL tries (and prints noise), or ''.

    On Linux and the BSDs a window needs X11 or Wayland; with neither variable
    set (a server, CI, an SSH session) SDL would only fall back to an invisible
    driver. An explicit ``SDL_VIDEODRIVER`` is respected.
    """
    if os.environ.get("SDL_VIDEODRIVER") or sys.platform in ("win32", "darwin"):
        return ""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return ""
    return "neither DISPLAY nor WAYLAND_DISPLAY is set"


def _mark_first_frame(path: Path) -> None:
    """Write the wall-clock time to ``path``: the first frame is on screen now."""
    path.write_text(f"{time.time()!r}\n", encoding="utf-8")


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "unknown reason"


def run_window(
    story: str | Path | None = None,
    err: TextIO | None = None,
    *,
    campaign: bool = False,
    watch: bool = False,
    workshop: bool = False,
    headless_ok: bool = False,
    session: dict[str, Any] | None = None,
    app_options: dict[str, Any] | None = None,
) -> int:
    """Open the game window and play until the player quits; return the exit code.

    Args:
        story: A story file to open straight away; None shows the title screen.
        err: Where to report that no window can be opened (default stderr).
        campaign: Play the campaign, starting at the next unfinished scenario.
        watch: Live preview of ``story``: reload it each time the file is saved,
            replaying the choices made so far.
        workshop: Project ``story`` for a class (workshop mode, the session's class code).
        headless_ok: Allow the dummy video driver (tests); otherwise a window
            nobody can see counts as "no display".
        app_options: Extra keyword arguments for :class:`App`.
        session: Extra keyword arguments for :class:`Session` (who plays, where
            results go, whether a story carries the campaign over).

    Returns:
        0 after the player quits, 1 if no display is available.

    A measuring hook for ``bench/bench_gui.py``: if the environment variable
    ``CALLBACK_FIRST_FRAME`` names a file, one line with ``time.time()`` (the wall
    clock, a float) is written to it right after the first frame is on screen, and
    the window then closes cleanly (exit code 0); with ``CALLBACK_FIRST_FRAME_STAY``
    set too it stays open instead. A measured window may use a headless video driver.
    """
    err = err or sys.stderr
    options = dict(app_options or {})
    marker = os.environ.get(FIRST_FRAME_ENV)
    headless_ok = headless_ok or bool(marker)
    try:
        missing = _missing_display()
        if missing:
            raise pygame.error(missing)
        pygame.display.init()
        driver = pygame.display.get_driver()
        if driver in _HEADLESS_DRIVERS and not headless_ok:
            raise pygame.error(f"the {driver!r} video driver shows no window")
        options.setdefault("session", Session(campaign=campaign, **(session or {})))
        remembered = options["session"].settings.window_size
        if remembered is not None:  # where the player left it (fullscreen: see App)
            options.setdefault("size", remembered)
        if watch and story is not None:
            options.setdefault("watch", Path(story))
        app = App(**options)
    except pygame.error as error:
        target = "--campaign" if campaign else (story or "STORY")
        err.write(
            f"callback: no display available ({_one_line(str(error))}); "
            f"play in the terminal with: callback play {target} --text\n"
        )
        pygame.display.quit()
        return 1
    try:
        if app.preview is not None:
            app.add_story(app.preview.path)
            app.preview.open()
        elif story is not None and workshop:
            app.add_story(Path(story))
            app.start_workshop(Path(story))
        elif story is not None:
            app.add_story(Path(story))
            app.open_story(Path(story))
        elif campaign:
            app.start_campaign()
        if marker:
            app.step()  # the first frame
            _mark_first_frame(Path(marker))
            if not os.environ.get(FIRST_FRAME_STAY_ENV):
                return 0
        return app.run()
    finally:
        app.save_window_size()  # a resize just before the end (or a crash) is kept too
        app.sounds.stop_all()
        pygame.quit()
