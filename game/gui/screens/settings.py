"""The settings: text speed and size, contrast, sound, motion, fullscreen, meters; all kept.

Opened with S on the title screen (or its Settings button) and from the pause
menu. Each change applies at once, to this screen too, and is saved atomically
(see :mod:`game.store.settings`). The text size (100% to 200%) and the volume
go round their steps with Enter or a click; with their row focused, Left and
Right step down and up instead (a click on a row's ◀ or ▶ end does the same).

The rows are laid out to fit whatever the window and the text size: in one
column when it fits, else in two side by side when they fit, else in one column
that scrolls (the wheel scrolls it; the keys bring the focused row into view).
Nothing is ever cut off: the title, the hint and the sample line stay put above
and below the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.screens.dialog_list import DialogList, button_width
from game.gui.widgets import Item, Menu, draw_button, draw_dialog, draw_text, wrap
from game.store.settings import TEXT_SPEEDS, Settings

SAMPLE = "Maya: It was close. In the end we went with someone else."
HINT = "Enter or click to change  ·  Esc to close"
TEXT_SIZE_ROW = 2
"""The index of the text size row, which Left and Right also change."""
VOLUME_ROW = 3
"""The index of the volume row, which Left and Right also change."""
_STEPS: dict[int, tuple[Callable[[Settings], Settings], Callable[[Settings], Settings]]] = {
    TEXT_SIZE_ROW: (Settings.smaller_text, Settings.larger_text),
    VOLUME_ROW: (Settings.quieter, Settings.louder),
}
"""The rows Left and Right step down and up, and how."""


def _labels(settings: Settings) -> list[str]:
    on_off = {True: "On", False: "Off"}
    return [
        f"Text speed: {settings.text_speed.capitalize()}",
        f"High contrast: {on_off[settings.high_contrast]}",
        f"Text size: {settings.text_scale}%",
        f"Volume: {settings.volume}%",
        f"Sound: {on_off[not settings.muted]}",
        f"Reduced motion: {on_off[settings.reduced_motion]}",
        f"Fullscreen: {on_off[settings.fullscreen]}",
        f"Meters during play: {on_off[settings.show_meters]}",
        "Done",
    ]


_CHANGES: tuple[Callable[[Settings], Settings], ...] = (
    Settings.next_speed,
    lambda s: replace(s, high_contrast=not s.high_contrast),
    Settings.next_text_scale,
    Settings.next_volume,
    lambda s: replace(s, muted=not s.muted),
    lambda s: replace(s, reduced_motion=not s.reduced_motion),
    lambda s: replace(s, fullscreen=not s.fullscreen),
    lambda s: replace(s, show_meters=not s.show_meters),
)
"""What activating each row does, in the order of :func:`_labels` (Done, last, closes)."""

_WIDEST = (
    *(Settings(text_speed=speed) for speed in TEXT_SPEEDS),
    Settings(high_contrast=True, text_scale=200, volume=100, muted=True, reduced_motion=True,
             fullscreen=True, show_meters=True),
)
"""Settings whose labels, between them, give each row its widest text: rows are as
wide as they will ever need, so changing a setting never moves them."""


class SettingsScreen(Screen):
    """Eight settings and Done; Enter, click or 1-9 changes one, Esc closes."""

    opaque = False

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.story = app.top.story
        self.menu = Menu([Item(label, i + 1) for i, label in enumerate(_labels(self.settings))])
        self.rows = DialogList()
        self._sample: list[str] = []
        self.sample_y = 0

    @property
    def settings(self) -> Settings:
        """The settings in use."""
        return self.app.session.settings

    @property
    def panel(self) -> pygame.Rect:
        """The dialog's panel."""
        return self.rows.panel

    @property
    def view(self) -> pygame.Rect:
        """Where the rows show: a row outside it is scrolled away (see :attr:`max_scroll`)."""
        return self.rows.view

    @property
    def scroll(self) -> int:
        """How far the rows are scrolled."""
        return self.rows.scroll

    @property
    def max_scroll(self) -> int:
        """How far the rows can scroll (0: they all show at once)."""
        return self.rows.max_scroll

    def pauses(self) -> bool:
        """Esc closes the settings instead of opening the pause menu."""
        return False

    def toast_area(self) -> pygame.Rect | None:
        """Notices go at the foot, or over the title when the panel reaches down there."""
        return self.rows.toast_area(self.theme, self.size)

    # ------------------------------------------------------------------ layout
    def _pad(self, index: int) -> int:
        """Room at each end of a row: the ◀ and ▶ of a stepped row, else a margin."""
        px = self.theme.px
        if index not in _STEPS:
            return px(24)
        return px(18) + self.theme.font("small").size("◀")[0] + px(14)

    def _row_width(self) -> int:
        """The width every row needs for its widest label (the number badge included)."""
        variants = [_labels(settings) for settings in _WIDEST]
        return max(button_width(self.theme, [Item(labels[index], item.number)
                                             for labels in variants], self._pad(index))
                   for index, item in enumerate(self.menu.items))

    def layout(self, size: tuple[int, int]) -> None:
        """Size the panel to the rows, in one column, two, or one that scrolls."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        for item, label in zip(self.menu.items, _labels(self.settings), strict=True):
            item.label = label
        body, tiny = theme.font("body"), theme.font("tiny")

        def sample_h(inner_w: int) -> int:
            return px(16) + body.get_linesize() * len(wrap(body, SAMPLE, inner_w))

        row = (self._row_width(), max(px(48), theme.font("h3").get_linesize() + px(14)))
        self.rows.layout(theme, size, "Settings", HINT, row, len(self.menu.items),
                         min_width=max(px(480), tiny.size(HINT)[0]), foot=sample_h)
        self._sample = wrap(body, SAMPLE, self.view.w)
        self.sample_y = self.rows.foot_y + px(16)
        self._reveal()

    def _place(self) -> None:
        """Put each row where the scroll shows it."""
        self.rows.place(self.menu.items)

    def _reveal(self) -> None:
        """Scroll just enough that the focused row shows whole."""
        self.rows.reveal(self.menu.items, self.menu.focus)

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Change the activated setting, step a size or the volume, scroll, or close."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        if self.rows.wheel(event, self.menu.items) or not self.rows.takes(event):
            return  # a row scrolled out of view is not under the mouse
        if self._step(event):
            return
        index = self.menu.handle(event)
        if event.type == pygame.KEYDOWN:
            self._reveal()
        if index is None:
            return
        if index == len(self.menu.items) - 1:
            self.app.pop()
        else:
            self.app.apply_settings(_CHANGES[index](self.settings))

    def _step(self, event: pygame.event.Event) -> bool:
        """Step the text size or volume down or up; True if ``event`` did.

        Left and Right do it on the focused row (the menu runs up and down, so
        they are free; Enter alone would have to go all the way round to come
        down a step), and so does a click on a row's ◀ or ▶ end.
        """
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            index, up = self.menu.focus, event.key == pygame.K_RIGHT
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            index = self.menu.hit(event.pos)
            if index not in _STEPS:
                return False
            rect, pad = self.menu.items[index].rect, self._pad(index)
            if rect.x + pad <= event.pos[0] < rect.right - pad:
                return False  # the middle of the row: a click goes round, as Enter does
            up = event.pos[0] >= rect.right - pad
            self.menu.focus = index
        else:
            return False
        if index not in _STEPS:
            return False
        down_step, up_step = _STEPS[index]
        self.app.apply_settings((up_step if up else down_step)(self.settings))
        return True

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen below; draw the rows, a scrollbar if they scroll, and a sample line."""
        theme = self.theme
        draw_dialog(surface, theme, self.panel, "Settings", HINT)
        self.rows.draw(surface, theme, self.menu.items, self.menu.focus, self._draw_row)
        body = theme.font("body")
        y = self.sample_y
        for line in self._sample:
            draw_text(surface, body, line, theme.palette.muted, midtop=(self.panel.centerx, y))
            y += body.get_linesize()

    def _draw_row(self, surface: pygame.Surface, index: int, item: Item, focused: bool) -> None:
        """A row's button; on the focused stepped row, its ◀ and ▶ ends."""
        theme, px = self.theme, self.theme.px
        draw_button(surface, theme, item, focused)
        if focused and index in _STEPS:
            # The arrows on the focused row say that Left and Right work here (a
            # longer hint above would not fit the panel in the projector's type).
            rect, font, ink = item.rect, theme.font("small"), theme.palette.text
            draw_text(surface, font, "◀", ink, midleft=(rect.x + px(18), rect.centery))
            draw_text(surface, font, "▶", ink, midright=(rect.right - px(18), rect.centery))
