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
from game.gui.widgets import Item, Menu, draw_button, draw_dialog, draw_text, wrap
from game.store.settings import TEXT_SPEEDS, Settings

SAMPLE = "Maya: It was close. In the end we went with someone else."
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
        self.scroll = 0
        self.view = pygame.Rect(0, 0, 0, 0)
        """Where the rows show: a row outside it is scrolled away (see :attr:`max_scroll`)."""
        self.panel = pygame.Rect(0, 0, 0, 0)
        self._spots: list[tuple[int, int]] = []  # each row's place in the unscrolled list
        self._row_size = (0, 0)
        self._rows_h = 0
        self._sample: list[str] = []
        self.sample_y = 0

    @property
    def settings(self) -> Settings:
        """The settings in use."""
        return self.app.session.settings

    @property
    def max_scroll(self) -> int:
        """How far the rows can scroll (0: they all show at once)."""
        return max(0, self._rows_h - self.view.h)

    def pauses(self) -> bool:
        """Esc closes the settings instead of opening the pause menu."""
        return False

    # ------------------------------------------------------------------ layout
    def _pad(self, index: int) -> int:
        """Room at each end of a row: the ◀ and ▶ of a stepped row, else a margin."""
        px = self.theme.px
        if index not in _STEPS:
            return px(24)
        return px(18) + self.theme.font("small").size("◀")[0] + px(14)

    def _row_width(self) -> int:
        """The width every row needs for its widest label (the number badge included)."""
        font = self.theme.font("h3")  # draw_button's
        variants = [_labels(settings) for settings in _WIDEST]
        widths = []
        for index, item in enumerate(self.menu.items):
            text = max(font.size(f"{item.number}   {labels[index]}")[0] for labels in variants)
            widths.append(text + 2 * self._pad(index))
        return max(widths)

    def layout(self, size: tuple[int, int]) -> None:
        """Size the panel to the rows, in one column, two, or one that scrolls."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        for item, label in zip(self.menu.items, _labels(self.settings), strict=True):
            item.label = label
        margin, side, col_gap, gap = px(16), px(32), px(24), px(8)
        row_h = max(px(48), theme.font("h3").get_linesize() + px(14))
        heading_h = px(26) + theme.font("h1").get_linesize() + theme.font("tiny").get_linesize()
        heading_h += px(22)
        room_w = size[0] - 2 * margin - 2 * side
        row_w = min(self._row_width(), room_w)
        count = len(self.menu.items)

        def block(columns: int) -> tuple[int, int]:
            per_column = -(-count // columns)
            return columns * row_w + (columns - 1) * col_gap, per_column * (row_h + gap) - gap

        hint_w = theme.font("tiny").size("Enter or click to change  ·  Esc to close")[0]
        columns = 1
        inner_w = min(room_w, max(block(1)[0], hint_w, px(480)))
        body = theme.font("body")
        self._sample = wrap(body, SAMPLE, inner_w)
        sample_h = px(16) + body.get_linesize() * len(self._sample)
        room_h = size[1] - 2 * margin - heading_h - sample_h - px(24)
        if block(1)[1] > room_h and block(2)[0] <= room_w:
            columns = 2
            inner_w = min(room_w, max(block(2)[0], hint_w))
            self._sample = wrap(body, SAMPLE, inner_w)
            sample_h = px(16) + body.get_linesize() * len(self._sample)
            room_h = size[1] - 2 * margin - heading_h - sample_h - px(24)
        block_w, self._rows_h = block(columns)
        view_h = max(row_h, min(self._rows_h, room_h))
        self.panel = pygame.Rect(0, 0, inner_w + 2 * side, heading_h + view_h + sample_h + px(24))
        self.panel.center = (size[0] // 2, size[1] // 2)
        self.view = pygame.Rect(self.panel.x + side, self.panel.y + heading_h, inner_w, view_h)
        left = self.view.x + (inner_w - block_w) // 2
        per_column = -(-count // columns)
        self._row_size = (row_w, row_h)
        self._spots = [(left + (i // per_column) * (row_w + col_gap),
                        (i % per_column) * (row_h + gap)) for i in range(count)]
        self.sample_y = self.view.bottom + px(16)
        self._reveal()

    def _place(self) -> None:
        """Put each row where the scroll shows it."""
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        width, height = self._row_size
        for item, (x, y) in zip(self.menu.items, self._spots, strict=True):
            item.rect = pygame.Rect(x, self.view.y + y - self.scroll, width, height)

    def _reveal(self) -> None:
        """Scroll just enough that the focused row shows whole."""
        if self.menu.focus is not None:
            top = self._spots[self.menu.focus][1]
            self.scroll = min(self.scroll, top)
            self.scroll = max(self.scroll, top + self._row_size[1] - self.view.h)
        self._place()

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Change the activated setting, step a size or the volume, scroll, or close."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * (self._row_size[1] + self.theme.px(8))
            self._place()
            return
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN) and \
                not self.view.collidepoint(event.pos):
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
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_dialog(surface, theme, self.panel, "Settings",
                    "Enter or click to change  ·  Esc to close")
        clip = surface.get_clip()
        surface.set_clip(self.view)
        for index, item in enumerate(self.menu.items):
            if item.rect.colliderect(self.view):
                draw_button(surface, theme, item, index == self.menu.focus)
        if self.menu.focus in _STEPS:
            # The arrows on the focused row say that Left and Right work here (a
            # longer hint above would not fit the panel in the projector's type).
            rect, font = self.menu.items[self.menu.focus].rect, theme.font("small")
            draw_text(surface, font, "◀", pal.text, midleft=(rect.x + px(18), rect.centery))
            draw_text(surface, font, "▶", pal.text, midright=(rect.right - px(18), rect.centery))
        surface.set_clip(clip)
        if self.max_scroll:
            self._draw_scrollbar(surface)
        body = theme.font("body")
        y = self.sample_y
        for line in self._sample:
            draw_text(surface, body, line, pal.muted, midtop=(self.panel.centerx, y))
            y += body.get_linesize()

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        """A track beside the rows with a thumb for the part in view."""
        px, view, pal = self.theme.px, self.view, self.theme.palette
        track = pygame.Rect(view.right + px(12), view.y, px(6), view.h)
        pygame.draw.rect(surface, pal.bar_back, track, border_radius=px(3))
        thumb_h = max(px(30), view.h * view.h // self._rows_h)
        thumb_y = view.y + (view.h - thumb_h) * self.scroll // self.max_scroll
        thumb = pygame.Rect(track.x, thumb_y, track.w, thumb_h)
        pygame.draw.rect(surface, pal.muted, thumb, border_radius=px(3))
