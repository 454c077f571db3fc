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
    fit_lines,
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
    tight: int
    """How tight the layout is: 0 as designed, 1 narrower margins, 2 halved gaps as well."""

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
        """Centre a column of text above the button, all of it inside the window.

        The first of these that fits wins: the large type, the small type, the small type
        with narrower margins, then in a column as wide as the window, then with tighter
        spacing too; as a last resort the epilogue (then the lesson) is cut short with an
        ellipsis.
        """
        super().layout(size)
        px = self.theme.px
        w, h = size
        h3 = self.theme.font("h3")
        label_w = h3.size(self.menu.items[0].label)[0]
        button = pygame.Rect(0, 0, min(max(px(300), label_w + px(64)), w - px(40)),
                             max(px(58), h3.get_linesize() + px(20)))
        self.button_h = button.h
        narrow, wide = min(px(860), w - px(96)), w - px(96)
        small = _SIZES[-1]
        tries = [(_SIZES[0], narrow, 0), (small, narrow, 0), (small, narrow, 1), (small, wide, 1),
                 (small, wide, 2)]
        for sizes, width, tight in tries:
            self.column_w, self.tight = width, tight
            self.fonts = tuple(self.theme.font(role) for role in sizes)
            self._wrap()
            if self._height() <= h - self._margin() * 2:
                break
        else:
            self._cut(h - self._margin() * 2)
        self.top = max(self._margin(), (h - self._height()) // 2)
        button.midtop = (w // 2, self.top + self._height() - button.h)
        self.menu.items[0].rect = button

    def _margin(self) -> int:
        """The least room above and below the text: less when space is tight."""
        return self.theme.px(16 if self.tight else 40)

    def _gap(self, value: int) -> int:
        """A gap between parts: ``value`` (720p pixels), halved when space is tightest."""
        return self.theme.px(value // 2 if self.tight == 2 else value)

    def _wrap(self) -> None:
        big, title, body = self.fonts
        width = self.column_w
        inner = width - self.theme.px(56)
        self.skip_lines = wrap(big, self.ending.time_skip or "Later…", width)
        self.title_lines = wrap(title, self.ending.title, width)
        self.epilogue_lines = wrap(body, self.ending.epilogue, width)
        self.lesson_lines = wrap(body, self.ending.lesson, inner) if self.ending.lesson else []

    def _cut(self, room: int) -> None:
        """Cut the epilogue (down to one line), then the lesson, to what fits ``room`` pixels."""
        body = self.fonts[2]
        step = round(body.get_linesize() * _SPACING)
        over = self._height() - room
        keep = max(1, len(self.epilogue_lines) - (over + step - 1) // step)
        self.epilogue_lines = fit_lines(body, self.epilogue_lines, keep, self.column_w)
        over = self._height() - room
        if over > 0 and self.lesson_lines:
            keep = max(1, len(self.lesson_lines) - (over + step - 1) // step)
            inner = self.column_w - self.theme.px(56)
            self.lesson_lines = fit_lines(body, self.lesson_lines, keep, inner)

    def _lesson_height(self) -> int:
        if not self.lesson_lines:
            return 0
        body = self.fonts[2]
        label = self.theme.font("small_bold").get_linesize()
        return label + text_block_height(body, self.lesson_lines, _SPACING) + self._gap(48)

    def _height(self) -> int:
        big, title, body = self.fonts
        gap = self._gap
        return (
            self.theme.font("small_bold").get_linesize()
            + gap(10)
            + text_block_height(big, self.skip_lines)
            + gap(18)
            + text_block_height(title, self.title_lines)
            + gap(20)
            + text_block_height(body, self.epilogue_lines, _SPACING)
            + gap(28)
            + self._lesson_height()
            + gap(36)
            + self.button_h
        )

    def handle(self, event: pygame.event.Event) -> None:
        """Continue on click, Enter, Space or Page Down (a clicker's 'next')."""
        space = event.type == pygame.KEYDOWN and event.key in (pygame.K_SPACE, pygame.K_PAGEDOWN)
        if space or self.menu.handle(event) is not None:
            self.app.replace(self.then())

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the time skip big, then the ending, the epilogue and the lesson."""
        theme, px, gap = self.theme, self.theme.px, self._gap
        pal = theme.palette
        surface.fill(pal.backdrop)
        big, title, body = self.fonts
        x = (self.size[0] - self.column_w) // 2
        y = draw_lines(
            surface, theme.font("small_bold"), ["ONE PLAUSIBLE OUTCOME"], pal.faint, x, self.top
        )
        y = draw_lines(surface, big, self.skip_lines, pal.accent, x, y + gap(10))
        y = draw_lines(surface, title, self.title_lines, pal.text, x, y + gap(18))
        y = draw_lines(
            surface, body, self.epilogue_lines, pal.muted, x, y + gap(20), spacing=_SPACING
        )
        if self.lesson_lines:
            box = pygame.Rect(x, y + gap(28), self.column_w, self._lesson_height())
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
                box.y + gap(20),
            )
            draw_lines(
                surface, body, self.lesson_lines, pal.text, inner_x, ly + gap(8), spacing=_SPACING
            )
        draw_button(surface, theme, self.menu.items[0], self.menu.focus == 0)
