"""The chat column of the phone: entries, their typed-out reveal, and their bubbles.

Each line is wrapped once at its full length, so the bubble has its final size
from the first letter and words never jump between lines while typing.

Each entry keeps the channel it arrived on: spoken lines of a call are round
bubbles, a text thread's messages have a tail pointing at their sender, and an
email is a card headed with who wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pygame

from game.gui.theme import Theme
from game.gui.widgets import draw_avatar, draw_chip, draw_lines, draw_text, wrap
from game.story.model import Channel

GAP_MS = 450
"""Pause before another speaker's line (shown as 'typing' dots)."""


class Kind(StrEnum):
    """How an entry looks."""

    OTHER = "other"  # someone on the call: left, with portrait
    PLAYER = "player"  # what you said: right, in a blue bubble
    ACTION = "action"  # what you did, "(Let it ring.)": right, outlined
    NARRATOR = "narrator"  # stage direction: centred, muted
    TIME = "time"  # a time stamp: centred chip
    NOTE = "note"  # the game speaking, not the call (what a story carries over): framed
    CUE = "cue"  # "They'll remember this": under the choice the story marks as remembered


_EMAILED = frozenset({Kind.OTHER, Kind.PLAYER})
"""The kinds of entry an email shows as a card (narration and actions stay as they are)."""


@dataclass(frozen=True)
class Entry:
    """One thing shown in the transcript."""

    kind: Kind
    text: str
    name: str = ""
    role: str = ""
    channel: Channel = Channel.CALL

    @property
    def typed(self) -> bool:
        """Return True if the entry types out (the player's own words appear at once)."""
        return self.kind in (Kind.OTHER, Kind.NARRATOR)


@dataclass
class _Block:
    entry: Entry
    lines: list[str]
    height: int
    label: bool


class Transcript:
    """Entries so far and how much of them has been revealed.

    Args:
        speed: Characters per second; 0 shows everything at once.
    """

    def __init__(self, speed: int) -> None:
        self.speed = speed
        self.entries: list[Entry] = []
        self.shown = 0  # entries fully revealed
        self.progress = 0.0  # ms into entry ``shown``
        self.scroll = 0  # pixels scrolled up from the newest line
        self.max_scroll = 0
        self._cache: dict[tuple[int, int, int], _Block] = {}

    # ------------------------------------------------------------------ reveal
    def add(self, entry: Entry) -> None:
        """Append an entry; it reveals after those before it."""
        self.entries.append(entry)
        self.scroll = 0
        if self.speed <= 0:
            self.skip()

    def _duration(self, entry: Entry) -> float:
        if not entry.typed or self.speed <= 0:
            return 0.0
        return GAP_MS + len(entry.text) * 1000 / self.speed

    @property
    def revealing(self) -> bool:
        """Return True while some text is still typing out."""
        return self.shown < len(self.entries)

    def update(self, dt_ms: float) -> None:
        """Reveal ``dt_ms`` milliseconds more text."""
        while dt_ms > 0 and self.revealing:
            need = self._duration(self.entries[self.shown]) - self.progress
            if dt_ms < need:
                self.progress += dt_ms
                return
            dt_ms -= max(0.0, need)
            self.shown += 1
            self.progress = 0.0
        while self.revealing and self._duration(self.entries[self.shown]) == 0:
            self.shown += 1

    def set_speed(self, speed: int) -> None:
        """Type at ``speed`` characters a second from now on (0: show everything now),
        keeping the characters already shown."""
        if speed == self.speed:
            return
        if speed > 0 and self.speed > 0 and self.revealing:
            shown = self._visible_chars(self.shown)
            self.progress = GAP_MS + shown * 1000 / speed if shown else self.progress
        self.speed = speed
        if speed <= 0:
            self.skip()

    def skip(self) -> None:
        """Reveal everything now."""
        self.shown = len(self.entries)
        self.progress = 0.0

    def _visible_chars(self, index: int) -> int:
        entry = self.entries[index]
        if index < self.shown:
            return len(entry.text)
        typing_ms = self.progress - GAP_MS
        return max(0, min(len(entry.text), int(typing_ms * self.speed / 1000)))

    def caller(self, fallback: tuple[str, str]) -> tuple[str, str]:
        """Return (name, role) of the last other speaker revealed, else ``fallback``."""
        for entry in reversed(self.entries[: self.shown + 1]):
            if entry.kind is Kind.OTHER:
                return entry.name, entry.role
        return fallback

    # ------------------------------------------------------------------ layout
    def _block(self, theme: Theme, index: int, width: int) -> _Block:
        key = (index, width, theme.font("body").get_height())
        if key in self._cache:
            return self._cache[key]
        entry = self.entries[index]
        previous = self.entries[index - 1] if index else None
        label = entry.kind is Kind.OTHER and (
            previous is None or previous.kind is not Kind.OTHER or previous.name != entry.name
        )
        body, small = theme.font("body"), theme.font("small")
        if entry.kind is Kind.TIME:
            lines, height = [entry.text], small.get_linesize() + theme.px(14)
        elif entry.kind is Kind.NOTE:
            lines = wrap(small, entry.text, width - theme.px(36))
            height = small.get_linesize() * len(lines) + theme.px(20)
        elif entry.kind is Kind.NARRATOR:
            lines = wrap(small, entry.text, int(width * 0.86))
            height = small.get_linesize() * len(lines)
        elif entry.kind is Kind.CUE:
            lines, height = [entry.text], theme.font("tiny").get_linesize()
        elif entry.channel is Channel.EMAIL and entry.kind in _EMAILED:
            label = True  # every email says who wrote it
            lines = wrap(body, entry.text, int(width * 0.9) - theme.px(28))
            height = body.get_linesize() * len(lines) + theme.px(24)
            height += theme.font("tiny").get_linesize() + theme.px(4)
        else:
            lines = wrap(body, entry.text, self._bubble_text_width(theme, width))
            height = body.get_linesize() * len(lines) + theme.px(20)
            if label:
                height += theme.font("tiny").get_linesize() + theme.px(4)
        block = _Block(entry, lines, height, label)
        self._cache[key] = block
        return block

    def _bubble_text_width(self, theme: Theme, width: int) -> int:
        return int(width * 0.78) - theme.px(60)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect) -> None:
        """Draw the revealed entries in ``rect``, newest at the bottom when it is full."""
        gap = theme.px(14)
        last = min(self.shown, len(self.entries) - 1)
        blocks = [self._block(theme, i, rect.w) for i in range(last + 1)]
        typing_dots = self.revealing and self._visible_chars(self.shown) == 0
        if typing_dots and blocks:
            blocks.pop()
        total = sum(b.height for b in blocks) + gap * max(0, len(blocks) - 1)
        dots_h = theme.px(44) if typing_dots and self._is_other_next() else 0
        total += dots_h
        self.max_scroll = max(0, total - rect.h)
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        y = rect.y - self.max_scroll + self.scroll
        clip = surface.get_clip()
        surface.set_clip(rect)
        for index, block in enumerate(blocks):
            if y + block.height >= rect.y and y <= rect.bottom:
                self._draw_block(surface, theme, rect, block, y, self._visible_chars(index))
            y += block.height + gap
        if dots_h:
            self._draw_dots(surface, theme, rect, y)
        if self.max_scroll > self.scroll:  # older lines above: fade them out
            _fade(surface, pygame.Rect(rect.x, rect.y, rect.w, theme.px(28)), theme.palette.phone)
        surface.set_clip(clip)

    def _is_other_next(self) -> bool:
        return self.revealing and self.entries[self.shown].kind is Kind.OTHER

    def _draw_block(
        self,
        surface: pygame.Surface,
        theme: Theme,
        rect: pygame.Rect,
        block: _Block,
        y: int,
        chars: int,
    ) -> None:
        pal, entry = theme.palette, block.entry
        lines = _cut(block.lines, chars)
        if entry.kind is Kind.TIME:
            draw_chip(
                surface,
                theme.font("small"),
                entry.text,
                pal.muted,
                pal.panel,
                (theme.px(12), theme.px(3)),
                midtop=(rect.centerx, y + theme.px(4)),
            )
            return
        if entry.kind is Kind.NOTE:
            _draw_note(surface, theme, pygame.Rect(rect.x, y, rect.w, block.height), lines)
            return
        if entry.kind is Kind.CUE:
            draw_text(surface, theme.font("tiny"), f"◆ {entry.text}", pal.accent,
                      topright=(rect.right - theme.px(6), y))
            return
        if entry.channel is Channel.EMAIL and entry.kind in _EMAILED:
            _draw_email(surface, theme, rect, block, y, lines)
            return
        if entry.kind is Kind.NARRATOR:
            draw_lines(
                surface,
                theme.font("small"),
                lines,
                pal.muted,
                rect.x,
                y,
                align="center",
                width=rect.w,
            )
            return
        body = theme.font("body")
        pad_x, pad_y = theme.px(14), theme.px(10)
        text_w = max(body.size(line)[0] for line in block.lines) if block.lines else 0
        bubble = pygame.Rect(0, 0, text_w + pad_x * 2, body.get_linesize() * len(block.lines))
        bubble.h += pad_y * 2
        if entry.kind is Kind.OTHER:
            avatar_r = theme.px(17)
            if block.label:
                draw_lines(
                    surface,
                    theme.font("tiny"),
                    [entry.name],
                    pal.muted,
                    rect.x + avatar_r * 2 + theme.px(10),
                    y,
                )
                y += theme.font("tiny").get_linesize() + theme.px(4)
                draw_avatar(surface, theme, (rect.x + avatar_r, y + avatar_r), avatar_r, entry.name)
            bubble.topleft = (rect.x + avatar_r * 2 + theme.px(10), y)
            pygame.draw.rect(surface, pal.bubble_other, bubble, border_radius=theme.px(16))
            if entry.channel is Channel.TEXT:
                _tail(surface, theme, bubble, pal.bubble_other, left=True)
            ink = pal.text
        else:
            bubble.topright = (rect.right, y)
            if entry.kind is Kind.PLAYER:
                pygame.draw.rect(surface, pal.bubble_player, bubble, border_radius=theme.px(16))
                if entry.channel is Channel.TEXT:
                    _tail(surface, theme, bubble, pal.bubble_player, left=False)
                ink = pal.on_accent
            else:
                pygame.draw.rect(
                    surface,
                    pal.bubble_player,
                    bubble,
                    width=theme.px(2),
                    border_radius=theme.px(16),
                )
                ink = pal.muted
        draw_lines(surface, body, lines, ink, bubble.x + pad_x, bubble.y + pad_y)

    def _draw_dots(self, surface: pygame.Surface, theme: Theme, rect: pygame.Rect, y: int) -> None:
        pal = theme.palette
        bubble = pygame.Rect(rect.x + theme.px(44), y, theme.px(66), theme.px(36))
        pygame.draw.rect(surface, pal.bubble_other, bubble, border_radius=bubble.h // 2)
        phase = int(self.progress // 150) % 3
        for i in range(3):
            colour = pal.text if i == phase else pal.faint
            centre = (bubble.x + theme.px(18) + i * theme.px(15), bubble.centery)
            pygame.draw.circle(surface, colour, centre, theme.px(4))


def _tail(surface: pygame.Surface, theme: Theme, bubble: pygame.Rect,
          colour: tuple[int, int, int], *, left: bool) -> None:
    """A text message's tail: a small corner pointing at who sent it."""
    size = theme.px(10)
    if left:
        points = [(bubble.x + size, bubble.bottom - size), (bubble.x - size // 2, bubble.bottom),
                  (bubble.x + size * 2, bubble.bottom)]
    else:
        points = [(bubble.right - size, bubble.bottom - size),
                  (bubble.right + size // 2, bubble.bottom),
                  (bubble.right - size * 2, bubble.bottom)]
    pygame.draw.polygon(surface, colour, points)


def _draw_email(surface: pygame.Surface, theme: Theme, rect: pygame.Rect, block: _Block, y: int,
                lines: list[str]) -> None:
    """An email: a card headed 'From NAME' (or 'You wrote'), the sender's to the left."""
    pal, entry = theme.palette, block.entry
    body, tiny = theme.font("body"), theme.font("tiny")
    pad = theme.px(14)
    width = int(rect.w * 0.9)
    card = pygame.Rect(0, y, width, block.height)
    mine = entry.kind is Kind.PLAYER
    if mine:
        card.right = rect.right
    else:
        card.x = rect.x
    pygame.draw.rect(surface, pal.bubble_other, card, border_radius=theme.px(6))
    edge = pygame.Rect(card.x, card.y, theme.px(4), card.h)
    pygame.draw.rect(surface, pal.accent if mine else pal.muted, edge,
                     border_top_left_radius=theme.px(6), border_bottom_left_radius=theme.px(6))
    heading = "You wrote" if mine else (f"From {entry.name}" if entry.kind is Kind.OTHER else "")
    top = card.y + theme.px(8)
    if heading:
        draw_text(surface, tiny, heading, pal.muted, topleft=(card.x + pad, top))
    text_y = top + tiny.get_linesize() + theme.px(4)
    draw_lines(surface, body, lines, pal.text, card.x + pad, text_y)


def _draw_note(surface: pygame.Surface, theme: Theme, box: pygame.Rect,
               lines: list[str]) -> None:
    """A framed note from the game, set apart from what is said on the call."""
    pal = theme.palette
    pygame.draw.rect(surface, pal.panel, box, border_radius=theme.px(12))
    pygame.draw.rect(surface, pal.accent, box, width=theme.px(1), border_radius=theme.px(12))
    draw_lines(surface, theme.font("small"), lines, pal.text, box.x + theme.px(18),
               box.y + theme.px(10))


def _fade(surface: pygame.Surface, rect: pygame.Rect, colour: tuple[int, int, int]) -> None:
    """Blend ``rect`` from solid ``colour`` at the top to clear at the bottom."""
    band = pygame.Surface(rect.size, pygame.SRCALPHA)
    for row in range(rect.h):
        band.fill((*colour, 255 - 255 * row // rect.h), pygame.Rect(0, row, rect.w, 1))
    surface.blit(band, rect)


def _cut(lines: list[str], chars: int) -> list[str]:
    """Return ``lines`` with only the first ``chars`` characters kept."""
    kept: list[str] = []
    for line in lines:
        if chars <= 0:
            break
        kept.append(line[:chars])
        chars -= len(line) + 1  # the space the wrap removed
    return kept
