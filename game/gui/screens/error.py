"""Calm error screens: a story that does not load, or an unexpected crash.

Neither shows a traceback. A story's problems are listed as the validator
prints them (``file:line:col: error CODE: message``) so an author can fix them;
a crash names the report file that holds the details.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.widgets import (
    Item,
    Menu,
    draw_button,
    draw_lines,
    draw_panel,
    text_block_height,
    wrap,
)
from game.story.loader import LoadResult

_DETAIL_SPACING = 1.3


class ErrorScreen(Screen):
    """A heading, a short explanation, a scrollable list of details, and a way back.

    Build one with :meth:`for_load` or :meth:`for_crash`.
    """

    def __init__(
        self,
        app: Host,
        heading: str,
        intro: str,
        details: list[str],
        *,
        crash: bool = False,
        path: Path | None = None,
    ) -> None:
        super().__init__(app)
        self.path = path  # the story file whose problems are listed (None for a crash)
        self.heading = heading
        self.intro = intro
        self.details = details
        self.crash = crash
        self.scroll = 0
        self.menu = Menu([Item("Back to title", primary=True)])

    @classmethod
    def for_load(cls, app: Host, result: LoadResult) -> ErrorScreen:
        """Show why the story at ``result.path`` cannot be played."""
        errors = result.errors
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        intro = (
            f"{Path(result.path).name} has {count} to fix before it can be played. "
            "Each line says where (file:line:column) and what to change."
        )
        details = [d.format() for d in errors]
        return cls(app, "This story can't be played yet", intro, details, path=Path(result.path))

    @classmethod
    def for_crash(cls, app: Host, error: Exception, report: Path | str) -> ErrorScreen:
        """Say calmly that something went wrong, and where the report is."""
        intro = (
            "The game hit an unexpected problem and went back to the title screen. "
            "Nothing you chose caused it. If it happens again, please send the crash "
            "report to whoever runs your session."
        )
        details = [f"Crash report: {report}", f"What went wrong: {type(error).__name__}: {error}"]
        return cls(app, "Something went wrong", intro, details, crash=True)

    def pauses(self) -> bool:
        """Esc goes back to the title instead."""
        return False

    def layout(self, size: tuple[int, int]) -> None:
        """Fit a centred panel to the text (the details scroll if there are many)."""
        super().layout(size)
        px, theme = self.theme.px, self.theme
        w, h = size
        width = min(px(1000), w - px(64))
        inner = width - px(80)
        self.heading_lines = wrap(theme.font("h1"), self.heading, inner)
        self.intro_lines = wrap(theme.font("body"), self.intro, inner)
        small = theme.font("small")
        # One block per detail: a bullet, then its wrapped lines; a blank line between.
        self.detail_lines = []
        for detail in self.details:
            for index, line in enumerate(wrap(small, detail, inner - px(22))):
                self.detail_lines.append(("•  " if index == 0 else "   ") + line)
        top = px(32) + text_block_height(theme.font("h1"), self.heading_lines) + px(10)
        top += text_block_height(theme.font("body"), self.intro_lines, 1.2) + px(22)
        bottom = px(24) + px(54) + px(28)
        wanted = top + text_block_height(small, self.detail_lines, _DETAIL_SPACING) + bottom
        self.panel = pygame.Rect(0, 0, width, min(h - px(64), wanted))
        self.panel.center = (w // 2, h // 2)
        self.room = max(
            1, (self.panel.h - top - bottom) // round(small.get_linesize() * _DETAIL_SPACING)
        )
        button = pygame.Rect(0, 0, px(260), px(54))
        button.midbottom = (self.panel.centerx, self.panel.bottom - px(28))
        self.menu.items[0].rect = button

    def handle(self, event: pygame.event.Event) -> None:
        """Back to the title on Esc, Enter, Space or a click; the wheel scrolls."""
        if event.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, self.scroll - event.y)
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.scroll = max(0, self.scroll + (1 if event.key == pygame.K_DOWN else -1))
            return
        back = event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_SPACE)
        if back or self.menu.handle(event) is not None:
            self.app.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the heading, the explanation and as many details as fit."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.backdrop)
        draw_panel(surface, self.panel, pal.panel, pal.panel_edge, radius=px(20))
        x = self.panel.x + px(40)
        y = draw_lines(
            surface, theme.font("h1"), self.heading_lines, pal.warn, x, self.panel.y + px(32)
        )
        y = draw_lines(
            surface, theme.font("body"), self.intro_lines, pal.muted, x, y + px(10), spacing=1.2
        )
        small = theme.font("small")
        room = self.room
        if len(self.detail_lines) > room:
            room -= 1  # keep a line for "... more"
        self.scroll = min(self.scroll, max(0, len(self.detail_lines) - room))
        shown = self.detail_lines[self.scroll : self.scroll + room]
        y = draw_lines(surface, small, shown, pal.text, x, y + px(22), spacing=_DETAIL_SPACING)
        hidden = len(self.detail_lines) - self.scroll - len(shown)
        if hidden > 0:
            draw_lines(surface, small, [f"… {hidden} more lines (scroll or ↓)"], pal.faint, x, y)
        draw_button(surface, theme, self.menu.items[0], True)
