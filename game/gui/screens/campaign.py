"""The campaign entry of the title screen: what it is and how far the player has got.

With it, what the title's list rows and detail panel share: the rows' badge, and the
panel's buttons (:func:`place_buttons`), which stack and wrap when their labels are large.

The campaign is the scenarios in order, the player's choices carried from one
call to the next. Where the player is up to comes from the profile's
``finished`` list, read each time the entry is drawn, so it is current when
the player comes back to the title after finishing a part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from game.gui.widgets import (
    Item,
    clip_text,
    draw_button,
    draw_lines,
    draw_panel,
    draw_text,
    fit_lines,
    wrap,
)
from game.story.words import minutes_to_play

if TYPE_CHECKING:
    from game.gui.session import Session
    from game.gui.theme import Theme

CAMPAIGN_LABEL = "Play the campaign"
CAMPAIGN_LINE = "The scenarios in order, your choices carried over"
CAMPAIGN_TEXT = (
    "The scenarios in order, your choices carried from one call to the next: "
    "how you handle the first call shapes the callback months later."
)


@dataclass(frozen=True)
class Progress:
    """Where the player is in the campaign, from the profile's ``finished`` list."""

    titles: tuple[str, ...]
    done: tuple[bool, ...]
    minutes: int

    @property
    def next(self) -> int | None:
        """The index of the part to play next (None once every part is finished)."""
        return next((i for i, done in enumerate(self.done) if not done), None)

    @property
    def where(self) -> str:
        """Return e.g. 'part 3 of 6': the part the player is up to."""
        count = len(self.titles)
        if self.next is None:
            return "all done"
        if self.next == 0:
            return f"{count} parts"
        return f"part {self.next + 1} of {count}"

    @property
    def action(self) -> str:
        """The label of the detail panel's button."""
        if self.next is None:
            return "Play it again  →"
        return "Start the campaign  →" if self.next == 0 else f"Play part {self.next + 1}  →"


def progress_of(session: Session) -> Progress:
    """Return the campaign's parts and which are finished, as the profile says now."""
    stories = [s for p in session.campaign_paths() if (s := session.load(p).story)]
    finished = set(session.profile.finished)
    return Progress(
        tuple(s.title for s in stories),
        tuple(s.id in finished for s in stories),
        sum(minutes_to_play(s) for s in stories),
    )


def row_badge(theme: Theme, rect: pygame.Rect) -> tuple[tuple[int, int], int, int]:
    """A title list row's round badge: its centre and radius, and the x its text starts at.

    The badge grows with the heading type, so a larger text size still fits inside it.
    """
    px = theme.px
    radius = max(px(17), theme.font("h3").get_height() // 2 - px(1))
    grown = radius - px(17)
    return (rect.x + px(32) + grown, rect.centery), radius, rect.x + px(64) + grown * 2


def row_height(theme: Theme) -> int:
    """The height a row with a label and a second line needs (the campaign, a saved call)."""
    second = max(theme.font("tiny").get_linesize(), theme.font("small_bold").get_linesize())
    return theme.font("h3").get_linesize() + second + theme.px(10)


def draw_row(
    surface: pygame.Surface, theme: Theme, rect: pygame.Rect, focused: bool, progress: Progress
) -> None:
    """The campaign entry: taller, accent-edged, with the part the player is up to.

    The part sits beside the label, or on the second line if the row is narrow.
    """
    px, pal = theme.px, theme.palette
    fill = pal.button_hover if focused else pal.panel
    draw_panel(surface, rect, fill, pal.hover_edge if focused else pal.accent, radius=px(14))
    centre, radius, x = row_badge(theme, rect)
    pygame.draw.circle(surface, pal.accent, centre, radius)
    draw_text(surface, theme.font("h3"), "C", pal.on_accent, center=centre)
    h3, tiny, bold = theme.font("h3"), theme.font("tiny"), theme.font("small_bold")
    right, where = rect.right - px(20), progress.where
    beside = x + h3.size(CAMPAIGN_LABEL)[0] + px(12) + bold.size(where)[0] <= right
    second = tiny.get_linesize() if beside else max(tiny.get_linesize(), bold.get_linesize())
    top = rect.centery - (h3.get_linesize() + second) // 2
    line_y = top + h3.get_linesize()
    tail_y = top + h3.get_linesize() // 2 if beside else line_y + second // 2
    ink = pal.text if focused else pal.accent
    tail = draw_text(surface, bold, where, ink, midright=(right, tail_y))
    label_room = (tail.x if beside else right) - x - px(12)
    line_room = (right if beside else tail.x - px(12)) - x
    draw_text(surface, h3, clip_text(h3, CAMPAIGN_LABEL, label_room), pal.text, topleft=(x, top))
    draw_text(
        surface,
        tiny,
        clip_text(tiny, CAMPAIGN_LINE, line_room),
        pal.text if focused else pal.muted,
        topleft=(x, line_y + (second - tiny.get_linesize()) // 2),
    )


def draw_detail(
    surface: pygame.Surface, theme: Theme, box: pygame.Rect, bottom: int, progress: Progress
) -> None:
    """What the campaign is, each part with a tick once finished, above ``bottom`` (the
    top of the panel's button, which the title draws)."""
    px, pal = theme.px, theme.palette
    x, width = box.x + px(28), box.w - px(56)
    h2, small, body = theme.font("h2"), theme.font("small"), theme.font("body")
    y = draw_lines(surface, h2, wrap(h2, "The campaign", width), pal.text, x, box.y + px(24))
    meta = f"{len(progress.titles)} scenarios  ·  about {progress.minutes} min in all"
    lines = fit_lines(small, wrap(small, meta, width), (bottom - y) // small.get_linesize(), width)
    y = draw_lines(surface, small, lines, pal.accent, x, y + px(4))
    step = round(body.get_linesize() * 1.25)
    parts_h = _parts_height(theme, len(progress.titles))
    parts_rows = (parts_h + step - 1) // step
    room = (bottom - px(18) - y - px(14)) // step
    lines = wrap(body, CAMPAIGN_TEXT, width)
    show_parts = room - parts_rows >= min(len(lines), 2)  # else the text matters more
    if show_parts:
        room -= parts_rows
    lines = fit_lines(body, lines, room, width)
    draw_lines(surface, body, lines, pal.muted, x, y + px(14), spacing=1.25)
    if show_parts:
        _draw_parts(surface, theme, progress, x, bottom - px(22) - parts_h, width)


def _parts_height(theme: Theme, count: int) -> int:
    small, tiny = theme.font("small"), theme.font("tiny")
    return tiny.get_linesize() + theme.px(8) + round(small.get_linesize() * 1.3) * count


def _draw_parts(
    surface: pygame.Surface, theme: Theme, progress: Progress, x: int, y: int, width: int
) -> None:
    """List the parts in order: finished ones ticked, the next one marked."""
    px, pal = theme.px, theme.palette
    y = draw_lines(surface, theme.font("tiny"), ["YOUR PROGRESS"], pal.faint, x, y) + px(8)
    small, bold = theme.font("small"), theme.font("small_bold")
    step = round(small.get_linesize() * 1.3)
    for index, (title, done) in enumerate(zip(progress.titles, progress.done, strict=True)):
        is_next = index == progress.next
        mark, ink = ("✓", pal.good) if done else ("→", pal.accent) if is_next else ("", pal.muted)
        font = bold if is_next else small
        draw_text(surface, small, mark, ink, topleft=(x, y))
        label = f"{index + 1}.  {title}" + ("  (up next)" if is_next else "")
        text = clip_text(font, label, width - px(26))
        draw_text(surface, font, text, ink if is_next else pal.muted, topleft=(x + px(26), y))
        y += step


def place_buttons(theme: Theme, labels: list[str], area: pygame.Rect,
                   pad: int) -> list[tuple[pygame.Rect, list[str]]]:
    """Place the detail panel's buttons at the foot of ``area``, with their label's lines.

    Side by side if they fit: the first 300 px wide (wider for its label), giving way down
    to its label for the others. Else one above the other, full width, a label too long
    even for that wrapped.
    """
    px, font = theme.px, theme.font("h3")
    gap, height = px(14), max(px(54), font.get_linesize() + px(20))
    natural = [font.size(label)[0] + pad for label in labels]
    others = sum(natural[1:]) + gap * (len(labels) - 1)
    first = max(natural[0], min(px(300), area.w - others))
    placed = []
    if first + others <= area.w:
        x = area.x
        for label, width in zip(labels, [first, *natural[1:]], strict=True):
            placed.append((pygame.Rect(x, area.bottom - height, width, height), [label]))
            x += width + gap
        return placed
    y = area.bottom
    for label in reversed(labels):
        lines = wrap(font, label, area.w - px(32))
        if len(lines) > 1 and lines[-1] == "→" and " " in lines[-2]:  # not an arrow alone
            head, word = lines[-2].rsplit(" ", 1)
            lines[-2:] = [head, f"{word}  →"]
        rect = pygame.Rect(area.x, 0, area.w, max(height, len(lines) * font.get_linesize()
                                                  + px(20)))
        rect.bottom = y
        placed.insert(0, (rect, lines))
        y = rect.y - gap
    return placed


def draw_label_button(surface: pygame.Surface, theme: Theme, rect: pygame.Rect,
                      lines: list[str], *, primary: bool, hovered: bool) -> None:
    """Draw a button in ``rect`` whose label takes ``lines`` (more than one: wrapped)."""
    item = Item(lines[0] if len(lines) == 1 else "", primary=primary, rect=rect)
    draw_button(surface, theme, item, hovered)
    if len(lines) > 1:
        font, pal = theme.font("h3"), theme.palette
        top = rect.centery - len(lines) * font.get_linesize() // 2
        draw_lines(surface, font, lines, pal.on_accent if primary else pal.text, rect.x, top,
                   align="center", width=rect.w)
