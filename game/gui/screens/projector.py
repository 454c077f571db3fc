"""What every workshop screen shares: the projector layout, the key hint bar, a scrolling page.

Workshop mode draws with the projector theme (:func:`game.gui.theme.projector_theme`):
wide margins, very large type, and the keys that work now along the foot of the
window in type a back row can read (:func:`draw_hint_bar`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.classroom.workshop import Workshop
from game.engine.compiled import CompiledStory
from game.gui.screens.base import Host, Screen
from game.gui.theme import Theme
from game.gui.widgets import (
    Menu,
    draw_button,
    draw_lines,
    draw_spinner,
    draw_text,
    text_block_height,
    wrap,
)


def _hint_lines(theme: Theme, width: int, hints: Sequence[str]) -> list[str]:
    """The hints joined into as few lines as fit ``width`` (a hint is never split)."""
    font = theme.font("tiny")
    lines: list[str] = []
    for hint in hints:
        trial = f"{lines[-1]}   ·   {hint}" if lines else hint
        if lines and font.size(trial)[0] <= width - theme.px(80):
            lines[-1] = trial
        else:
            lines.append(hint)
    return lines


def hint_bar_height(theme: Theme, width: int, hints: Sequence[str]) -> int:
    """The height :func:`draw_hint_bar` takes in a window ``width`` pixels wide."""
    lines = _hint_lines(theme, width, hints)
    return text_block_height(theme.font("tiny"), lines) + theme.px(20)


def draw_hint_bar(surface: pygame.Surface, theme: Theme, hints: Sequence[str]) -> pygame.Rect:
    """Draw the key hints along the foot of the window, readable from the back; return the bar.

    Hints that do not fit on one line go on a second (never cut off).
    """
    px, pal = theme.px, theme.palette
    w, h = surface.get_size()
    lines = _hint_lines(theme, w, hints)
    bar = pygame.Rect(0, 0, w, hint_bar_height(theme, w, hints))
    bar.bottom = h
    pygame.draw.rect(surface, pal.panel, bar)
    pygame.draw.line(surface, pal.panel_edge, bar.topleft, bar.topright, px(2))
    draw_lines(surface, theme.font("tiny"), lines, pal.muted, 0, bar.y + px(10), align="center",
               width=w)
    return bar


class WorkshopScreen(Screen):
    """What every workshop screen shares: the story, the class, the margins and the hints."""

    hints: tuple[str, ...] = ()
    story: CompiledStory

    def __init__(self, app: Host, story: CompiledStory, workshop: Workshop) -> None:
        super().__init__(app)
        self.story = story
        self.workshop = workshop

    def frame(self, size: tuple[int, int]) -> pygame.Rect:
        """The area inside the wide margins, above the hint bar."""
        px = self.theme.px
        margin = px(56)
        bar = hint_bar_height(self.theme, size[0], self.hints)
        return pygame.Rect(margin, px(32), size[0] - 2 * margin, size[1] - bar - px(32) - px(20))

    def draw_header(self, surface: pygame.Surface, label: str) -> int:
        """Draw the small caps line at the top (story, class, what this is); return the y below."""
        theme = self.theme
        code = self.workshop.class_code
        parts = ["WORKSHOP", self.story.model.title.upper()] + ([f"CLASS {code}"] if code else [])
        parts.append(label)
        font = theme.font("small_bold")
        lines = wrap(font, "  ·  ".join(parts), self.area.w)[:2]
        return draw_lines(surface, font, lines, theme.palette.accent, self.area.x, self.area.y)

    def layout(self, size: tuple[int, int]) -> None:
        """Find the area inside the margins."""
        super().layout(size)
        self.area = self.frame(size)


class PageScreen(WorkshopScreen):
    """A workshop screen whose content is one page, drawn once per layout and scrolled,
    with a spinner and a line (:attr:`waiting`) until the content is there.

    Subclasses give :attr:`menu` (its buttons sit at the foot), :attr:`ready` and
    :meth:`draw_page`; :meth:`scroll_with` takes the scrolling keys and the wheel.
    """

    waiting = "Working it out…"
    menu: Menu

    def __init__(self, app: Host, story: CompiledStory, workshop: Workshop) -> None:
        super().__init__(app, story, workshop)
        self.page = pygame.Surface((1, 1))
        self.scroll = 0
        self.waited = 0

    @property
    def ready(self) -> bool:
        """True once the page's content is there to draw."""
        return True

    def draw_page(self, surface: pygame.Surface, width: int) -> int:
        """Draw the page from y = 0; return the y below its last line."""
        return 0

    def update(self, dt_ms: int) -> None:
        """Count the time waited (for the spinner)."""
        self.waited += dt_ms

    def wake_in(self) -> int | None:
        """Poll until the content is there; then sleep."""
        return None if self.ready else 50

    def layout(self, size: tuple[int, int]) -> None:
        """The buttons at the foot, the page between the header and them."""
        super().layout(size)
        place_buttons(self.theme, self.menu, self.area)
        top = self.area.y + self.theme.font("small_bold").get_linesize() * 2 + self.theme.px(8)
        self.view = pygame.Rect(self.area.x, top, self.area.w,
                                self.menu.items[0].rect.y - self.theme.px(16) - top)
        if self.ready:
            self.page = render_page(self.theme, self.view.w, self.draw_page)
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    @property
    def max_scroll(self) -> int:
        """How far the page can scroll."""
        return max(0, self.page.get_height() - self.view.h)

    def scroll_with(self, event: pygame.event.Event) -> bool:
        """Scroll for ↑ ↓, Page Up/Down, Space or the wheel; False for any other event."""
        step = self.theme.px(60)
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.scroll += step if event.key == pygame.K_DOWN else -step
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN,
                                                            pygame.K_SPACE):
            page = self.view.h * 4 // 5
            self.scroll += -page if event.key == pygame.K_PAGEUP else page
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * step
        else:
            return False
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        return True

    def draw_screen(self, surface: pygame.Surface, label: str) -> None:
        """Draw the header, the page (or the spinner), the buttons and the hints."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.background)
        self.draw_header(surface, label)
        if not self.ready:
            centre = self.view.center
            draw_spinner(surface, theme, centre, self.waited)
            draw_text(surface, theme.font("h3"), self.waiting, pal.muted,
                      midtop=(centre[0], centre[1] + px(44)))
        else:
            surface.blit(self.page, self.view.topleft,
                         pygame.Rect(0, self.scroll, self.view.w, self.view.h))
            if self.scroll < self.max_scroll:
                draw_text(surface, theme.font("bold"), "↓ more below", pal.accent,
                          midleft=(self.area.x, self.menu.items[0].rect.centery))
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        draw_hint_bar(surface, theme, self.hints)


def place_buttons(theme: Theme, menu: Menu, area: pygame.Rect) -> None:
    """Line the menu's buttons up along the foot of ``area``, right to left."""
    px = theme.px
    font = theme.font("h3")
    right = area.right
    for item in reversed(menu.items):
        width = font.size(item.label)[0] + px(56)
        item.rect = pygame.Rect(0, 0, width, font.get_linesize() + px(24))
        item.rect.bottomright = (right, area.bottom)
        right = item.rect.x - px(16)


def render_page(theme: Theme, width: int, draw: Callable[[pygame.Surface, int], int]
                ) -> pygame.Surface:
    """Render a column of text at ``width`` onto a surface exactly as tall as it needs.

    ``draw(surface, width)`` draws from y = 0 and returns the y below its last line.
    """
    height = 2400
    while True:
        surface = pygame.Surface((width, height))
        surface.fill(theme.palette.background)
        bottom = draw(surface, width)
        if bottom <= height:
            return surface.subsurface((0, 0, width, max(1, bottom))).copy()
        height = bottom + 1
