"""A question with two answers, over the screen that asked it (Esc on the title: quit?)."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.widgets import Item, Menu, dialog_top, draw_button, draw_dialog, draw_lines, wrap

HINT = "Enter to choose  ·  Esc to stay"


class ConfirmScreen(Screen):
    """Ask ``question``; ``yes`` (Enter on it, Y, or a click) runs ``on_yes``.

    The safe answer is focused first, so Enter pressed by habit changes nothing;
    Esc, N or the ``no`` button closes the dialog.
    """

    opaque = False

    def __init__(self, app: Host, question: str, detail: str, yes: str, no: str,
                 on_yes: Callable[[], None]) -> None:
        super().__init__(app)
        self.question, self.detail = question, detail
        self.on_yes = on_yes
        self.menu = Menu([Item(yes), Item(no, primary=True)], vertical=False, focus=1)

    def pauses(self) -> bool:
        """Esc answers no instead of opening the pause menu."""
        return False

    def layout(self, size: tuple[int, int]) -> None:
        """A panel in the middle: the question, a line of detail, two buttons side by side."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        width = min(px(620), size[0] - px(40))
        font = theme.font("h3")
        self.lines = wrap(theme.font("body"), self.detail, width - px(64))
        button_h = max(px(56), font.get_linesize() + px(20))
        top_h = dialog_top(theme, width, self.question, HINT)
        body_h = len(self.lines) * theme.font("body").get_linesize()
        half = (width - px(64) - px(16)) // 2
        side_by_side = all(font.size(item.label)[0] + px(24) <= half for item in self.menu.items)
        buttons_h = button_h if side_by_side else 2 * button_h + px(12)
        height = top_h + body_h + px(24) + buttons_h + px(28)
        self.panel = pygame.Rect(0, 0, width, height)
        self.panel.center = (size[0] // 2, size[1] // 2)
        self.body_y = self.panel.y + top_h
        y = self.panel.bottom - px(28) - buttons_h
        for index, item in enumerate(self.menu.items):
            if side_by_side:
                item.rect = pygame.Rect(self.panel.x + px(32) + index * (half + px(16)), y,
                                        half, button_h)
            else:  # stacked: each button the panel's width
                item.rect = pygame.Rect(self.panel.x + px(32), y + index * (button_h + px(12)),
                                        width - px(64), button_h)

    def handle(self, event: pygame.event.Event) -> None:
        """Y or the first button: yes; Esc, N or the second button: no."""
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_n):
            self.app.pop()
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_y:
            index: int | None = 0
        else:
            index = self.menu.handle(event)
        if index == 0:
            self.app.pop()
            self.on_yes()
        elif index == 1:
            self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        """Dim what is below; draw the question, its detail and the two buttons."""
        theme = self.theme
        draw_dialog(surface, theme, self.panel, self.question, HINT)
        draw_lines(surface, theme.font("body"), self.lines, theme.palette.muted, self.panel.x,
                   self.body_y, align="center", width=self.panel.w)
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
