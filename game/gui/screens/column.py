"""The parts of the call's right-hand column that do not depend on the call's flow:
the button bar at its top, the meters at its foot, and a scroll bar.

:class:`~game.gui.screens.call.CallScreen` decides what to show; these place and draw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.gui.theme import Theme
from game.gui.widgets import Item, clip_text, draw_meter, draw_text


def place_bar(theme: Theme, side: pygame.Rect, items: Sequence[Item]) -> tuple[int, int]:
    """Lay ``items`` out from the top right of ``side``, in as many rows as they need.

    Returns the room left of the first row (for a title) and the bottom of the last row.
    """
    px, font = theme.px, theme.font("small_bold")
    height, gap = font.get_linesize() + px(16), px(10)
    right, y, room = side.right, side.y, side.w
    for item in reversed(items):
        width = font.size(item.label)[0] + px(36)
        if right - width < side.x and right != side.right:  # a new row
            room = min(room, right - side.x - px(16)) if y == side.y else room
            right, y = side.right, y + height + gap
        item.rect = pygame.Rect(max(side.x, right - width), y, min(width, side.w), height)
        right -= width + gap
    if y == side.y:
        room = right - side.x - px(6)
    return room, y + height


def draw_bar_button(surface: pygame.Surface, theme: Theme, item: Item) -> None:
    """A small button of the bar, lit while the mouse is over it."""
    rect, pal = item.rect, theme.palette
    hover = rect.collidepoint(pygame.mouse.get_pos()) and pygame.mouse.get_focused()
    fill, edge = (pal.button_hover, pal.hover_edge) if hover else (pal.button, pal.button_edge)
    pygame.draw.rect(surface, fill, rect, border_radius=theme.px(10))
    pygame.draw.rect(surface, edge, rect, width=theme.px(2), border_radius=theme.px(10))
    draw_text(surface, theme.font("small_bold"), item.label, pal.text, center=rect.center)


@dataclass(frozen=True)
class MeterRow:
    """One meter as shown during a call."""

    label: str
    value: int
    low: int
    high: int


@dataclass(frozen=True)
class Meters:
    """Where the meters go: ``box``, and whether labels sit above their bars."""

    box: pygame.Rect
    label_w: int
    stacked: bool


def place_meters(theme: Theme, side: pygame.Rect, labels: Sequence[str], bottom: int) -> Meters:
    """Room for a row per label, ending at ``bottom``; a label that does not fit beside its
    bar puts every label on a line of its own above its bar."""
    px, small = theme.px, theme.font("small")
    label_w = round(side.w * 0.42)
    stacked = any(small.size(label)[0] > label_w - px(12) for label in labels)
    row = small.get_linesize() * (2 if stacked else 1) + px(6)
    height = len(labels) * row
    return Meters(pygame.Rect(side.x, bottom - height, side.w, height), label_w, stacked)


def draw_meters(surface: pygame.Surface, theme: Theme, meters: Meters,
                rows: Sequence[MeterRow]) -> None:
    """Each meter's label, a bar filled to its value, and the value."""
    px, box, pal, small = theme.px, meters.box, theme.palette, theme.font("small")
    line = small.get_linesize()
    label_w = 0 if meters.stacked else meters.label_w
    value_w = small.size("100")[0] + px(8)
    y = box.y
    for row in rows:
        draw_text(surface, small, clip_text(small, row.label, box.w), pal.muted,
                  topleft=(box.x, y))
        if meters.stacked:
            y += line
        bar = pygame.Rect(box.x + label_w, y + line // 2 - px(5),
                          box.w - label_w - value_w - px(12), px(10))
        span = max(1, row.high - row.low)
        draw_meter(surface, theme, bar, (row.value - row.low) / span, pal.accent)
        draw_text(surface, small, str(row.value), pal.muted, topright=(box.right, y))
        y += line + px(6)


def draw_scrollbar(surface: pygame.Surface, theme: Theme, area: pygame.Rect, scroll: int,
                   overflow: int) -> None:
    """A thin bar at the right of ``area``: where ``scroll`` is in ``overflow`` hidden pixels."""
    px, pal = theme.px, theme.palette
    track = pygame.Rect(area.right - px(8), area.y, px(8), area.h)
    thumb_h = max(px(24), area.h * area.h // (area.h + overflow))
    top = track.y + (track.h - thumb_h) * scroll // max(1, overflow)
    pygame.draw.rect(surface, pal.bar_back, track, border_radius=px(4))
    pygame.draw.rect(surface, pal.muted, (track.x, top, track.w, thumb_h), border_radius=px(4))
