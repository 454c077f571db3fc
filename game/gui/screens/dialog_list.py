"""Rows of one size in a dialog panel that fit any window and any text size.

The settings, the pause menu and the save slots each show a list of rows under a
dialog's title and hint (see :func:`~game.gui.widgets.draw_dialog`). This places
them: in one column when it fits the window's height, else in two side by side
when they fit its width (if the dialog allows two), else in one column that
scrolls. A screen uses it in four steps::

    rows = DialogList()
    rows.layout(theme, size, "Paused", "Esc to resume", (width, height), count)
    rows.place(menu.items)          # each item's rect, where the scroll shows it
    rows.reveal(menu.items, focus)  # after a key: the focused row shows whole
    rows.draw(surface, theme, menu.items, focus, draw_button)

A row scrolled out of :attr:`DialogList.view` keeps its rect (so tests can ask
where it is) but is neither drawn nor under the mouse (:meth:`DialogList.takes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from game.gui.theme import Theme
from game.gui.widgets import Item, dialog_top

DrawRow = Callable[[pygame.Surface, int, Item, bool], None]
"""Draws row ``index`` (an item) on a surface, focused or not."""


def _no_foot(inner_w: int) -> int:
    """No content under the rows."""
    return 0


def button_width(theme: Theme, items: Sequence[Item], pad: int) -> int:
    """The width a button needs for the widest of ``items``' labels (as
    :func:`~game.gui.widgets.draw_button` draws them), with ``pad`` pixels at each end."""
    font = theme.font("h3")
    labels = [item.label if item.number is None else f"{item.number}   {item.label}"
              for item in items]
    return max((font.size(label)[0] for label in labels), default=0) + 2 * pad


def button_height(theme: Theme, least: int) -> int:
    """A button's height: ``least`` pixels, or its label's line and a margin if taller."""
    return max(least, theme.font("h3").get_linesize() + theme.px(12))


def room_width(theme: Theme, size: tuple[int, int]) -> int:
    """The widest a row may be in a dialog on a window of ``size`` pixels."""
    px = theme.px
    return size[0] - 2 * (px(16) + px(32))


class DialogList:
    """The panel of a dialog and where its rows go (see the module's docstring).

    Attributes:
        panel: The dialog's panel, title and hint included.
        view: Where the rows show: a row outside it is scrolled away.
        scroll: How far the rows are scrolled (0 to :attr:`max_scroll`).
        foot_y: Where content under the rows (a sample line, a Back button) starts.
        columns: 1 or 2.
    """

    def __init__(self) -> None:
        self.panel = pygame.Rect(0, 0, 0, 0)
        self.view = pygame.Rect(0, 0, 0, 0)
        self.scroll = 0
        self.foot_y = 0
        self.columns = 1
        self._spots: list[tuple[int, int]] = []  # each row's place in the unscrolled list
        self._row_size = (0, 0)
        self._rows_h = 0
        self._gap = 0

    @property
    def max_scroll(self) -> int:
        """How far the rows can scroll (0: they all show at once)."""
        return max(0, self._rows_h - self.view.h)

    # ------------------------------------------------------------------ layout
    def layout(self, theme: Theme, size: tuple[int, int], title: str, hint: str,
               row_size: tuple[int, int], count: int, *, gap: int | None = None,
               columns: int = 2, min_width: int = 0,
               foot: Callable[[int], int] = _no_foot) -> None:
        """Size the panel to ``count`` rows of ``row_size`` and centre it on the window.

        Args:
            theme: Sizes and fonts.
            size: The window's size.
            title: The dialog's title (it may wrap: the rows start below it).
            hint: The dialog's key hint (it may wrap too).
            row_size: Each row's width and height (the width is cut to the window's).
            count: How many rows.
            gap: Pixels between rows (default ``px(8)``).
            columns: The most columns the rows may take (1 or 2).
            min_width: The narrowest the room for the rows may be (a wider panel).
            foot: The height of what goes under the rows, given the rows' room's width.
        """
        px = theme.px
        margin, side, col_gap = px(16), px(32), px(24)
        self._gap = px(8) if gap is None else gap
        room_w = room_width(theme, size)
        row_w, row_h = min(row_size[0], room_w), row_size[1]
        self._row_size = (row_w, row_h)

        def block(cols: int) -> tuple[int, int]:
            per_column = -(-count // cols)
            return cols * row_w + (cols - 1) * col_gap, per_column * (row_h + self._gap) - self._gap

        def frame(cols: int) -> tuple[int, int, int, int]:
            """The rows' room's width, the heading's height, the foot's and the rows' room."""
            inner_w = min(room_w, max(block(cols)[0], min_width))
            heading = dialog_top(theme, inner_w + 2 * side, title, hint)
            foot_h = foot(inner_w)
            return inner_w, heading, foot_h, size[1] - 2 * margin - heading - foot_h - px(24)

        self.columns = 1
        inner_w, heading, foot_h, room_h = frame(1)
        if block(1)[1] > room_h and columns >= 2 and block(2)[0] <= room_w:
            self.columns = 2
            inner_w, heading, foot_h, room_h = frame(2)
        block_w, self._rows_h = block(self.columns)
        view_h = max(row_h, min(self._rows_h, room_h))
        self.panel = pygame.Rect(0, 0, inner_w + 2 * side, heading + view_h + foot_h + px(24))
        self.panel.center = (size[0] // 2, size[1] // 2)
        keep = size[1] - 2 * margin - px(64)  # the window's foot is for notices, where it fits
        if self.panel.h <= keep:
            self.panel.centery = margin + keep // 2
        self.view = pygame.Rect(self.panel.x + side, self.panel.y + heading, inner_w, view_h)
        self.foot_y = self.view.bottom
        left = self.view.x + (inner_w - block_w) // 2
        per_column = -(-count // self.columns)
        self._spots = [(left + (i // per_column) * (row_w + col_gap),
                        (i % per_column) * (row_h + self._gap)) for i in range(count)]

    # ------------------------------------------------------------------ scrolling
    def place(self, items: Sequence[Item]) -> None:
        """Put each item's rect where the scroll shows it (nothing before :meth:`layout`)."""
        if len(items) != len(self._spots):
            return
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        width, height = self._row_size
        for item, (x, y) in zip(items, self._spots, strict=True):
            item.rect = pygame.Rect(x, self.view.y + y - self.scroll, width, height)

    def reveal(self, items: Sequence[Item], focus: int | None) -> None:
        """Scroll just enough that row ``focus`` shows whole, and place the rows."""
        if focus is not None and 0 <= focus < len(self._spots):
            top = self._spots[focus][1]
            self.scroll = min(self.scroll, top)
            self.scroll = max(self.scroll, top + self._row_size[1] - self.view.h)
        self.place(items)

    def wheel(self, event: pygame.event.Event, items: Sequence[Item]) -> bool:
        """Scroll by whole rows for a wheel event; True if ``event`` was one."""
        if event.type != pygame.MOUSEWHEEL:
            return False
        self.scroll -= event.y * (self._row_size[1] + self._gap)
        self.place(items)
        return True

    def takes(self, event: pygame.event.Event) -> bool:
        """False for a mouse event outside the view (a row scrolled away is not under it)."""
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            return bool(self.view.collidepoint(event.pos))
        return True

    def toast_area(self, theme: Theme, size: tuple[int, int]) -> pygame.Rect | None:
        """Where notices go over the dialog: at the window's foot (None) if the panel ends
        above them, else over its title, so they never hide a row or a button."""
        px = theme.px
        toast_top = size[1] - px(54) - theme.font("small").get_linesize() - px(24)
        if self.panel.bottom <= toast_top:
            return None
        return pygame.Rect(self.panel.x, 0, self.panel.w, self.view.y - px(4) + px(54))

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, theme: Theme, items: Sequence[Item],
             focus: int | None, draw_row: DrawRow) -> None:
        """Draw the rows in view (clipped to it), and a scrollbar if they scroll."""
        clip = surface.get_clip()
        surface.set_clip(self.view.clip(clip))
        for index, item in enumerate(items):
            if item.rect.colliderect(self.view):
                draw_row(surface, index, item, index == focus)
        surface.set_clip(clip)
        if self.max_scroll:
            self._draw_scrollbar(surface, theme)

    def _draw_scrollbar(self, surface: pygame.Surface, theme: Theme) -> None:
        """A track beside the rows with a thumb for the part in view."""
        px, view, pal = theme.px, self.view, theme.palette
        track = pygame.Rect(view.right + px(12), view.y, px(6), view.h)
        pygame.draw.rect(surface, pal.bar_back, track, border_radius=px(3))
        thumb_h = max(px(30), view.h * view.h // self._rows_h)
        thumb_y = view.y + (view.h - thumb_h) * self.scroll // self.max_scroll
        thumb = pygame.Rect(track.x, thumb_y, track.w, thumb_h)
        pygame.draw.rect(surface, pal.muted, thumb, border_radius=px(3))
