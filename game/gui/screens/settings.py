"""The settings: text speed, contrast, text size, volume, sound and motion, kept for next time.

Opened with S on the title screen (or its Settings button) and from the pause
menu. Each change applies at once, to this screen too, and is saved atomically
(see :mod:`game.store.settings`). The volume goes round 0, 10 ... 100 with Enter
or a click; with its row focused, Left and Right turn it down and up instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.widgets import Item, Menu, draw_button, draw_dialog, draw_text, wrap
from game.store.settings import Settings

SAMPLE = "Maya: It was close. In the end we went with someone else."
VOLUME_ROW = 3
"""The index of the volume row, which Left and Right also change."""


def _labels(settings: Settings) -> list[str]:
    on_off = {True: "On", False: "Off"}
    return [
        f"Text speed: {settings.text_speed.capitalize()}",
        f"High contrast: {on_off[settings.high_contrast]}",
        f"Larger text: {on_off[settings.large_text]}",
        f"Volume: {settings.volume}%",
        f"Sound: {on_off[not settings.muted]}",
        f"Reduced motion: {on_off[settings.reduced_motion]}",
        "Done",
    ]


_CHANGES: tuple[Callable[[Settings], Settings], ...] = (
    Settings.next_speed,
    lambda s: replace(s, high_contrast=not s.high_contrast),
    lambda s: replace(s, large_text=not s.large_text),
    Settings.next_volume,
    lambda s: replace(s, muted=not s.muted),
    lambda s: replace(s, reduced_motion=not s.reduced_motion),
)
"""What activating each row does, in the order of :func:`_labels` (Done, last, closes)."""


class SettingsScreen(Screen):
    """Six settings and Done; Enter, click or 1-7 changes one, Esc closes."""

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
        # Seven rows must fit a 720-pixel-high layout (an 800x600 window scales the
        # same way) with larger text on, so the buttons are lower than elsewhere.
        button_h, gap = px(48), px(8)
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
        """Change the activated setting or the volume, or close on Done and Esc."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        if self._turn_volume(event):
            return
        index = self.menu.handle(event)
        if index is None:
            return
        if index == len(self.menu.items) - 1:
            self.app.pop()
        else:
            self.app.apply_settings(_CHANGES[index](self.settings))

    def _turn_volume(self, event: pygame.event.Event) -> bool:
        """Turn the volume down or up a step for Left or Right on its row; True if so.

        The menu runs up and down, so Left and Right are free for this (Enter
        alone would have to go all the way round to turn the sound down a step).
        """
        if (event.type != pygame.KEYDOWN or event.key not in (pygame.K_LEFT, pygame.K_RIGHT)
                or self.menu.focus != VOLUME_ROW):
            return False
        current = self.settings
        self.app.apply_settings(current.louder() if event.key == pygame.K_RIGHT
                                else current.quieter())
        return True

    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen below; draw the switches and a sample line in the chosen look."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_dialog(surface, theme, self.panel, "Settings",
                    "Enter or click to change  ·  Esc to close")
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        if self.menu.focus == VOLUME_ROW:
            # The arrows on the focused row say that Left and Right work here (a
            # longer hint above would not fit the panel in the projector's type).
            rect, font = self.menu.items[VOLUME_ROW].rect, theme.font("small")
            draw_text(surface, font, "◀", pal.text, midleft=(rect.x + px(18), rect.centery))
            draw_text(surface, font, "▶", pal.text, midright=(rect.right - px(18), rect.centery))
        body = theme.font("body")
        lines = wrap(body, SAMPLE, self.panel.w - px(80))[:2]
        y = self.sample_y
        for line in lines:
            draw_text(surface, body, line, pal.muted, midtop=(self.panel.centerx, y))
            y += body.get_linesize()
