"""Calm error screens: a story that does not load, or an unexpected crash.

Neither shows a traceback. A story's problems are listed as the validator
prints them (``file:line:col: error CODE: message``) so an author can fix them;
a crash names the report file that holds the details.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.screens.column import draw_scrollbar
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
_INTRO_SPACING = 1.2


class ErrorScreen(Screen):
    """A heading, a short explanation and a list of details (the two scroll together when
    the window is short for them), and a way back.

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
        """How far the explanation and the details are scrolled, in pixels."""
        self.menu = Menu([Item("Back to title", primary=True)])
        self.heading_font = self.theme.font("h1")
        self.heading_lines: list[str] = []
        self.intro_lines: list[str] = []
        self.detail_lines: list[str] = []
        self.body = pygame.Rect(0, 0, 0, 0)
        """Where the explanation and the details show (they scroll inside it)."""
        self.body_h = 0

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
        """Fit a centred panel to the text; the explanation and details scroll if need be.

        The heading is in h1 if it fits on a line, or on two when nothing has to scroll
        for it; else in h2.
        """
        super().layout(size)
        px, theme = self.theme.px, self.theme
        w, h = size
        width = min(px(1000), w - px(64))
        inner = width - px(80)
        self._wrap(inner)
        button = self.menu.items[0]
        font = theme.font("h3")
        button.rect = pygame.Rect(0, 0, min(inner, max(px(260), font.size(button.label)[0]
                                                       + px(48))),
                                  max(px(54), font.get_linesize() + px(16)))
        bottom = px(24) + button.rect.h + px(28)
        for role in ("h1", "h2"):
            self.heading_font = theme.font(role)
            self.heading_lines = wrap(self.heading_font, self.heading, inner)
            top = px(32) + text_block_height(self.heading_font, self.heading_lines) + px(10)
            if len(self.heading_lines) == 1 or top + self.body_h + bottom <= h - px(64):
                break
        self.panel = pygame.Rect(0, 0, width, min(h - px(64), top + self.body_h + bottom))
        self.panel.center = (w // 2, h // 2)
        self.body = pygame.Rect(self.panel.x + px(40), self.panel.y + top, inner,
                                max(1, self.panel.h - top - bottom))
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        button.rect.midbottom = (self.panel.centerx, self.panel.bottom - px(28))

    def _wrap(self, inner: int) -> None:
        """The explanation and the details wrapped to ``inner`` pixels, and their height."""
        theme, px = self.theme, self.theme.px
        self.intro_lines = wrap(theme.font("body"), self.intro, inner)
        small = theme.font("small")
        # One block per detail: a bullet, then its wrapped lines.
        self.detail_lines = []
        bullet = max(px(22), small.size("•  ")[0])
        for detail in self.details:
            for index, line in enumerate(wrap(small, detail, inner - bullet)):
                self.detail_lines.append(("•  " if index == 0 else "   ") + line)
        spaced = round(small.get_linesize() * _DETAIL_SPACING)  # no space after the last
        self.body_h = (text_block_height(theme.font("body"), self.intro_lines, _INTRO_SPACING)
                       + px(22) + text_block_height(small, self.detail_lines, _DETAIL_SPACING)
                       - (spaced - small.get_linesize() if self.detail_lines else 0))

    @property
    def max_scroll(self) -> int:
        """How far the explanation and the details can scroll, in pixels."""
        return max(0, self.body_h - self.body.h)

    def handle(self, event: pygame.event.Event) -> None:
        """Back to the title on Esc, Enter, Space or a click; the wheel and arrows scroll."""
        step = self.theme.font("small").get_linesize() * 2
        if event.type == pygame.MOUSEWHEEL:
            self.scroll = max(0, min(self.max_scroll, self.scroll - event.y * step))
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            down = 1 if event.key == pygame.K_DOWN else -1
            self.scroll = max(0, min(self.max_scroll, self.scroll + down * step))
            return
        back = event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_SPACE)
        if back or self.menu.handle(event) is not None:
            self.app.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the heading, then the explanation and the details, scrolled."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.backdrop)
        draw_panel(surface, self.panel, pal.panel, pal.panel_edge, radius=px(20))
        x = self.panel.x + px(40)
        draw_lines(surface, self.heading_font, self.heading_lines, pal.warn, x,
                   self.panel.y + px(32))
        clip = surface.get_clip()
        surface.set_clip(self.body.clip(clip))
        y = draw_lines(surface, theme.font("body"), self.intro_lines, pal.muted, x,
                       self.body.y - self.scroll, spacing=_INTRO_SPACING)
        draw_lines(surface, theme.font("small"), self.detail_lines, pal.text, x, y + px(22),
                   spacing=_DETAIL_SPACING)
        surface.set_clip(clip)
        if self.max_scroll:
            draw_scrollbar(surface, theme, self.body.move(px(24), 0), self.scroll,
                           self.max_scroll)
        draw_button(surface, theme, self.menu.items[0], True)
