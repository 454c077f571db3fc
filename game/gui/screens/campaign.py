"""The campaign entry of the title screen: what it is and how far the player has got.

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


def button_rect(theme: Theme, play: pygame.Rect, room: int, progress: Progress) -> pygame.Rect:
    """The detail panel's button, widened (up to ``room``) for the campaign's label."""
    rect = play.copy()
    wanted = theme.font("h3").size(progress.action)[0] + theme.px(56)
    rect.w = min(max(rect.w, wanted), room)
    return rect


def draw_row(
    surface: pygame.Surface, theme: Theme, rect: pygame.Rect, focused: bool, progress: Progress
) -> None:
    """The campaign entry: taller, accent-edged, with the part the player is up to."""
    px, pal = theme.px, theme.palette
    fill = pal.button_hover if focused else pal.panel
    draw_panel(surface, rect, fill, pal.hover_edge if focused else pal.accent, radius=px(14))
    badge = (rect.x + px(32), rect.centery)
    pygame.draw.circle(surface, pal.accent, badge, px(17))
    draw_text(surface, theme.font("h3"), "C", pal.on_accent, center=badge)
    h3, tiny, bold = theme.font("h3"), theme.font("tiny"), theme.font("small_bold")
    top = rect.centery - (h3.get_linesize() + tiny.get_linesize()) // 2
    x, right = rect.x + px(64), rect.right - px(20)
    where = progress.where
    # The part the player is up to sits beside the label, or below it if the row is narrow.
    beside = x + h3.size(CAMPAIGN_LABEL)[0] + px(12) + bold.size(where)[0] <= right
    tail_y = top + h3.get_linesize() // 2 if beside else top + h3.get_linesize() + px(8)
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
        topleft=(x, top + h3.get_linesize()),
    )


def draw_detail(
    surface: pygame.Surface,
    theme: Theme,
    box: pygame.Rect,
    button: pygame.Rect,
    progress: Progress,
) -> None:
    """What the campaign is, each part with a tick once finished, and the next one."""
    px, pal = theme.px, theme.palette
    x, width = box.x + px(28), box.w - px(56)
    h2, small, body = theme.font("h2"), theme.font("small"), theme.font("body")
    y = draw_lines(surface, h2, ["The campaign"], pal.text, x, box.y + px(24))
    meta = f"{len(progress.titles)} scenarios  ·  about {progress.minutes} min in all"
    y = draw_lines(surface, small, wrap(small, meta, width)[:2], pal.accent, x, y + px(4))
    step = round(body.get_linesize() * 1.25)
    parts_h = _parts_height(theme, len(progress.titles))
    parts_rows = (parts_h + step - 1) // step
    room = (button.y - px(18) - y - px(14)) // step
    lines = wrap(body, CAMPAIGN_TEXT, width)
    show_parts = room - parts_rows >= min(len(lines), 2)  # else the text matters more
    if show_parts:
        room -= parts_rows
    lines = fit_lines(body, lines, room, width)
    draw_lines(surface, body, lines, pal.muted, x, y + px(14), spacing=1.25)
    if show_parts:
        _draw_parts(surface, theme, progress, x, button.y - px(22) - parts_h, width)
    draw_button(surface, theme, Item(progress.action, primary=True, rect=button), False)


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
