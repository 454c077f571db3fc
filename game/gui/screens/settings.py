"""The settings: text speed, high contrast and larger text, kept for next time.

Opened with S on the title screen (or its Settings button) and from the pause
menu. Each change applies at once, to this screen too, and is saved atomically
(see :mod:`game.store.settings`).
"""

from __future__ import annotations

from dataclasses import replace

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.widgets import Item, Menu, draw_button, draw_dialog, draw_text, wrap
from game.store.settings import Settings

SAMPLE = "Maya: It was close. In the end we went with someone else."


def _labels(settings: Settings) -> list[str]:
    on_off = {True: "On", False: "Off"}
    return [
        f"Text speed: {settings.text_speed.capitalize()}",
        f"High contrast: {on_off[settings.high_contrast]}",
        f"Larger text: {on_off[settings.large_text]}",
        "Done",
    ]


class SettingsScreen(Screen):
    """Three switches and Done; Enter, click or 1-4 changes one, Esc closes."""

    opaque = False

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.story = app.top.story
        self.menu = Menu([Item(label, i + 1) for i, label in enumerate(_labels(self.settings))])

    @property
    def settings(self) -> Settings:
        """The settings in use."""
        return self.app.session.settings

    def pauses(self) -> bool:
        """Esc closes the settings instead of opening the pause menu."""
        return False

    def layout(self, size: tuple[int, int]) -> None:
        """Centre the panel and stack the switches in it."""
        super().layout(size)
        px = self.theme.px
        for item, label in zip(self.menu.items, _labels(self.settings), strict=True):
            item.label = label
        button_h, gap = px(56), px(12)
        count = len(self.menu.items)
        sample_h = self.theme.font("body").get_linesize() * 2 + px(24)
        width = min(px(560), size[0] - px(40))
        heading_h = self.theme.font("h1").get_linesize() + self.theme.font("tiny").get_linesize()
        height = px(26) + heading_h + px(22) + count * (button_h + gap) + sample_h + px(24)
        self.panel = pygame.Rect(0, 0, width, height)
        self.panel.center = (size[0] // 2, size[1] // 2)
        y = self.panel.y + px(26) + heading_h + px(22)
        for item in self.menu.items:
            item.rect = pygame.Rect(self.panel.x + px(40), y, self.panel.w - px(80), button_h)
            y += button_h + gap
        self.sample_y = y + px(8)

    def handle(self, event: pygame.event.Event) -> None:
        """Change the activated setting, or close on Done and Esc."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        index = self.menu.handle(event)
        if index is None:
            return
        current = self.settings
        if index == 0:
            self.app.apply_settings(current.next_speed())
        elif index == 1:
            self.app.apply_settings(replace(current, high_contrast=not current.high_contrast))
        elif index == 2:
            self.app.apply_settings(replace(current, large_text=not current.large_text))
        else:
            self.app.pop()

    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen below; draw the switches and a sample line in the chosen look."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_dialog(surface, theme, self.panel, "Settings",
                    "Enter or click to change  ·  Esc to close")
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        body = theme.font("body")
        lines = wrap(body, SAMPLE, self.panel.w - px(80))[:2]
        y = self.sample_y
        for line in lines:
            draw_text(surface, body, line, pal.muted, midtop=(self.panel.centerx, y))
            y += body.get_linesize()
