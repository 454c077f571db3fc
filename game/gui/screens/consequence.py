"""What happened next: the time skip, the ending, its epilogue and its lesson."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.engine.compiled import CompiledStory
from game.engine.state import PlayState
from game.gui.runs import FinishedRun, Retry
from game.gui.screens.base import Host, Screen
from game.gui.screens.debrief import DebriefScreen
from game.gui.widgets import (
    Item,
    Menu,
    draw_button,
    draw_lines,
    draw_panel,
    text_block_height,
    wrap,
)

_SPACING = 1.25
_SIZES = (("h1", "h2", "body"), ("h2", "h3", "small"))


class ConsequenceScreen(Screen):
    """Shows the ending reached by ``state``; Continue goes on to the debrief.

    ``then`` makes the screen that follows (default: the player's debrief, which
    compares the run with ``retry``'s if it was a second try at a decision; a
    workshop's is the class debrief).
    """

    story: CompiledStory

    def __init__(self, app: Host, story: CompiledStory, state: PlayState, run: FinishedRun,
                 then: Callable[[], Screen] | None = None, retry: Retry | None = None) -> None:
        super().__init__(app)
        self.then = then or (lambda: DebriefScreen(self.app, self.story, self.run, retry))
        self.story = story
        self.state = state
        self.run = run
        ending = story.model.scenes[state.scene].ending
        assert ending is not None, "the consequence screen needs a finished run"
        self.ending = ending
        self.menu = Menu([Item("See your debrief  →", primary=True)])

    def layout(self, size: tuple[int, int]) -> None:
        """Centre a column of text; use smaller type if the epilogue is long."""
        super().layout(size)
        px = self.theme.px
        w, h = size
        self.column_w = min(px(860), w - px(96))
        for sizes in _SIZES:
            self.fonts = tuple(self.theme.font(role) for role in sizes)
            self._wrap()
            if self._height() <= h - px(80):
                break
        self.top = max(px(40), (h - self._height()) // 2)
        label_w = self.theme.font("h3").size(self.menu.items[0].label)[0]
        button = pygame.Rect(0, 0, max(px(300), label_w + px(64)), px(58))
        button.midtop = (w // 2, self.top + self._height() - button.h)
        self.menu.items[0].rect = button

    def _wrap(self) -> None:
        big, title, body = self.fonts
        width = self.column_w
        inner = width - self.theme.px(56)
        self.skip_lines = wrap(big, self.ending.time_skip or "Later…", width)
        self.title_lines = wrap(title, self.ending.title, width)
        self.epilogue_lines = wrap(body, self.ending.epilogue, width)
        self.lesson_lines = wrap(body, self.ending.lesson, inner) if self.ending.lesson else []

    def _lesson_height(self) -> int:
        if not self.lesson_lines:
            return 0
        body = self.fonts[2]
        label = self.theme.font("small_bold").get_linesize()
        return label + text_block_height(body, self.lesson_lines, _SPACING) + self.theme.px(48)

    def _height(self) -> int:
        big, title, body = self.fonts
        px = self.theme.px
        return (
            self.theme.font("small_bold").get_linesize()
            + px(10)
            + text_block_height(big, self.skip_lines)
            + px(18)
            + text_block_height(title, self.title_lines)
            + px(20)
            + text_block_height(body, self.epilogue_lines, _SPACING)
            + px(28)
            + self._lesson_height()
            + px(36)
            + px(58)
        )

    def handle(self, event: pygame.event.Event) -> None:
        """Continue on click, Enter, Space or Page Down (a clicker's 'next')."""
        space = event.type == pygame.KEYDOWN and event.key in (pygame.K_SPACE, pygame.K_PAGEDOWN)
        if space or self.menu.handle(event) is not None:
            self.app.replace(self.then())

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the time skip big, then the ending, the epilogue and the lesson."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.backdrop)
        big, title, body = self.fonts
        x = (self.size[0] - self.column_w) // 2
        y = draw_lines(
            surface, theme.font("small_bold"), ["ONE PLAUSIBLE OUTCOME"], pal.faint, x, self.top
        )
        y = draw_lines(surface, big, self.skip_lines, pal.accent, x, y + px(10))
        y = draw_lines(surface, title, self.title_lines, pal.text, x, y + px(18))
        y = draw_lines(
            surface, body, self.epilogue_lines, pal.muted, x, y + px(20), spacing=_SPACING
        )
        if self.lesson_lines:
            box = pygame.Rect(x, y + px(28), self.column_w, self._lesson_height())
            draw_panel(surface, box, pal.panel, None, radius=px(12))
            pygame.draw.rect(
                surface,
                pal.accent,
                (box.x, box.y, px(6), box.h),
                border_top_left_radius=px(12),
                border_bottom_left_radius=px(12),
            )
            inner_x = box.x + px(30)
            ly = draw_lines(
                surface,
                theme.font("small_bold"),
                ["THE LESSON"],
                pal.accent,
                inner_x,
                box.y + px(20),
            )
            draw_lines(
                surface, body, self.lesson_lines, pal.text, inner_x, ly + px(8), spacing=_SPACING
            )
        draw_button(surface, theme, self.menu.items[0], self.menu.focus == 0)
