"""Live preview (``callback play STORY --watch``): save the YAML, the game reloads.

Every :data:`POLL_MS` (on the app's clock, so tests need not sleep) the
:class:`FileWatch` stats the file; only when its size or mtime moved does it
read the bytes and compare their sha256, so touching a file reloads nothing.
A change is loaded and checked for play on a worker thread
(:class:`~game.gui.prepare.PlayCheck`, the same checks as opening a story), and
handed back to the main thread:

- a good version replaces the story: the run's moves so far are replayed into a
  fresh state with :func:`~game.engine.engine.replay` (as far as they still
  apply) and the call is rebuilt at that point, its transcript shown at once,
  with a toast "Reloaded: N of M choices replayed";
- a version with errors (half-saved, mistyped) changes nothing that is running:
  a non-modal overlay lists its diagnostics at ``file:line:col`` and the game
  keeps playing the last good version until the next good save clears it.

A file that is missing for a moment (an editor saving by rename) is waited for.
Known limit: on a file system with coarse mtimes, a rewrite with the same size
within the same tick as the previous poll is noticed only at the next change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pygame

from game.analysis.load import LoadedStory
from game.engine.compiled import CompiledStory
from game.engine.engine import replay
from game.gui.prepare import PlayCheck, load_for_play
from game.gui.screens.base import Host
from game.gui.screens.call import CallScreen
from game.gui.screens.error import ErrorScreen
from game.gui.screens.loading import LoadingScreen
from game.gui.widgets import clip_text, draw_lines, draw_panel, draw_text, wrap

POLL_MS = 250
"""How often the file is looked at (ms)."""
TOAST_MS = 2600
"""How long "Reloaded: ..." stays up (ms)."""
MAX_SHOWN = 8
"""Diagnostics listed in the overlay; the rest are counted."""
JOIN_S = 0.1
"""How long a poll waits for its own reload, so a small story reloads in the same frame."""


class FileWatch:
    """Notices when a file's content changes, looking at most every ``interval`` ms.

    Args:
        path: The file.
        interval: Milliseconds between looks.
    """

    def __init__(self, path: Path, interval: int = POLL_MS) -> None:
        self.path = path
        self.interval = interval
        self.sha256 = ""
        self._stat: tuple[int, int] | None = None
        self._due: int | None = None

    def changed(self, now: int) -> bool:
        """Return True if the content differs from :attr:`sha256` (checked when due)."""
        if self._due is not None and now < self._due:
            return False
        self._due = now + self.interval
        try:
            stat = self.path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
            if signature == self._stat:
                return False
            digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:  # missing for a moment (saved by rename) or unreadable: look again
            return False
        self._stat = signature
        if digest == self.sha256:
            return False
        self.sha256 = digest
        return True


class Preview:
    """Reloads one story file into the running app; draws its overlay and toast.

    Args:
        app: The app whose screens are rebuilt after a reload.
        path: The story file being edited.
        interval: Milliseconds between looks at the file.
    """

    def __init__(self, app: Host, path: Path, interval: int = POLL_MS) -> None:
        self.app = app
        self.path = path
        self.interval = interval
        self.watch = FileWatch(path, interval)
        self.story: CompiledStory | None = None
        """The last good version (the one being played)."""
        self.problems: list[str] = []
        """The last bad version's diagnostics, formatted; empty when it loaded."""
        self.toast = ""
        self.toast_until = 0
        self.job: PlayCheck | None = None
        self.replayed: tuple[int, int] | None = None
        """(choices replayed, choices made) at the last reload."""

    # ------------------------------------------------------------------ polling
    def open(self) -> None:
        """Start playing the file, or show why it cannot be played.

        A story that takes long to check shows the 'Checking' screen meanwhile;
        :meth:`poll` takes over when the check is done.
        """
        now = self.app.clock()
        self.poll(now)
        if self.job is not None:
            self.app.to_title()
            self.app.push(LoadingScreen(self.app, self.job, acts=False))
        elif self.story is None and not self.problems:  # missing or unreadable: say so
            self._apply(load_for_play(self.path, self.app.session.profile.imports_for), now)

    def poll(self, now: int) -> None:
        """Hand back a finished reload; start one if the file changed."""
        if self.job is None and self.watch.changed(now):
            self.job = PlayCheck(
                lambda: load_for_play(self.path, self.app.session.profile.imports_for), self.path
            )
            self.job.wait(JOIN_S)
        if self.job is not None and self.job.done:
            result, self.job = self.job.result, None
            if result is not None:
                self._apply(result, now)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a reload in progress has finished (tests); return True if none is left."""
        return self.job is None or self.job.wait(timeout)

    # ------------------------------------------------------------------ reloading
    def _apply(self, result: LoadedStory, now: int) -> None:
        if result.sha256:
            self.watch.sha256 = result.sha256  # what was really loaded
        if result.compiled is None:
            self._refuse(result)
            return
        self.problems = []
        old, self.story = self.story, result.compiled
        self.app.session.replace(self.path, result)
        below = self.app.stack[1:] if old is not None else []
        played = [s for s in below if s.story is old and _moves(s) is not None]
        self.app.refresh_title()
        if played:
            moves = _moves(played[-1]) or []
            screen = self._rebuild(result.compiled, moves)
            screen.call_ms = getattr(played[-1], "call_ms", 0)
            made = sum(m is not None for m in moves)
            used = sum(m is not None for m in (s.choice for s in screen.state.history))
            self.replayed = (used, made)
            self._say(f"Reloaded: {used} of {made} choices replayed", now)
        else:
            if old is None or isinstance(self.app.top, (ErrorScreen, LoadingScreen)):
                self.app.play(result.compiled)  # the first good version: play it
            if old is not None:
                self._say(f"Reloaded {self.path.name}", now)

    def _rebuild(self, story: CompiledStory, moves: list[str | None]) -> CallScreen:
        imports = self.app.session.imports(story.model)
        state, _used = replay(story, moves, imports)
        screen = CallScreen(self.app, story, imports, moves=[s.choice for s in state.history])
        screen.transcript.skip()
        self.app.to_title()
        self.app.push(screen)
        return screen

    def _refuse(self, result: LoadedStory) -> None:
        problems = [d.format() for d in (result.errors or result.diagnostics)]
        self.problems = problems or [f"{self.path}: the file could not be read"]
        if self.story is None:  # nothing good to keep running: the full error screen
            self.app.to_title()
            self.app.push(ErrorScreen.for_load(self.app, result))

    def _say(self, text: str, now: int) -> None:
        self.toast, self.toast_until = text, now + TOAST_MS

    # ------------------------------------------------------------------ drawing
    def overlay_lines(self, room: int = MAX_SHOWN) -> list[str]:
        """The overlay's diagnostics: at most ``room`` (and :data:`MAX_SHOWN`), then a count."""
        shown = self.problems[: min(room, MAX_SHOWN)]
        hidden = len(self.problems) - len(shown)
        return shown + ([f"+{hidden} more"] if hidden > 0 else [])

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the problems overlay (while the file has errors) and the toast."""
        if self.problems and self.story is not None:
            self._draw_overlay(surface)
        if self.toast and self.app.clock() < self.toast_until:
            self._draw_toast(surface)

    def _draw_toast(self, surface: pygame.Surface) -> None:
        """A green pill in the top right corner (clear of the phone): what the reload did."""
        theme, px = self.app.theme, self.app.theme.px
        font = theme.font("small_bold")
        width, height = font.size(self.toast)
        pill = pygame.Rect(0, 0, width + px(32), height + px(14))
        pill.topright = (surface.get_width() - px(24), px(14))
        pygame.draw.rect(surface, theme.palette.good, pill, border_radius=pill.h // 2)
        draw_text(surface, font, self.toast, theme.palette.background, center=pill.center)

    def _draw_overlay(self, surface: pygame.Surface) -> None:
        """A panel along the bottom; input still goes to the game beneath."""
        theme, px = self.app.theme, self.app.theme.px
        pal = theme.palette
        w, h = surface.get_size()
        width = w - px(48)
        inner = width - px(48)
        bold, small = theme.font("small_bold"), theme.font("small")
        count = len(self.problems)
        heading = (
            f"{self.path.name} has {count} problem{'s' * (count != 1)}: not reloaded. "
            "Still playing the last good version."
        )
        step = round(small.get_linesize() * 1.15)
        chrome = px(20) + bold.get_linesize() + px(8) + px(16)
        rows = max(1, (h * 45 // 100 - chrome) // step)  # never more than ~half the window
        lines = self._rows(small, inner, rows)
        height = chrome + step * len(lines)
        panel = pygame.Rect(px(24), h - px(24) - height, width, height)
        draw_panel(surface, panel, pal.panel, pal.warn, radius=px(14))
        x = panel.x + px(24)
        y = draw_lines(
            surface, bold, [clip_text(bold, heading, inner)], pal.warn, x, panel.y + px(20)
        )
        y += px(8)
        clip = surface.get_clip()
        surface.set_clip(panel.inflate(-px(4), -px(4)))
        for line, continued in lines:
            ink = pal.muted if continued or line.startswith("+") else pal.text
            draw_lines(surface, small, [line], ink, x + (px(16) if continued else 0), y)
            y += step
        surface.set_clip(clip)

    def _rows(self, font: pygame.font.Font, width: int, rows: int) -> list[tuple[str, bool]]:
        """Wrap the diagnostics (two lines each at most) into ``rows`` rows; count the rest."""
        for keep in range(min(len(self.problems), MAX_SHOWN), -1, -1):
            lines: list[tuple[str, bool]] = []
            for text in self.overlay_lines(keep):
                wrapped = wrap(font, text, width)
                if len(wrapped) > 2:
                    wrapped = [wrapped[0], clip_text(font, " ".join(wrapped[1:]), width)]
                lines += [(line, i > 0) for i, line in enumerate(wrapped)]
            if len(lines) <= rows:
                return lines
        return lines[:rows]


def _moves(screen: object) -> list[str | None] | None:
    """Return the moves of the run a screen shows (call, consequence, debrief), if any."""
    state = getattr(screen, "state", None)
    if state is None:
        run = getattr(screen, "run", None)
        state = getattr(run, "state", None)
    history = getattr(state, "history", None)
    return None if history is None else [step.choice for step in history]
