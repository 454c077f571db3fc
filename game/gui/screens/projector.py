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
from game.gui.widgets import Menu, draw_lines, text_block_height, wrap


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
