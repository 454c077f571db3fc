"""The phone's look: its header for each channel, the incoming call, and the time-skip card.

Drawing only; the call screen (:mod:`game.gui.screens.call`) decides what is shown
when. The header follows the channel of what is on the phone now: a call shows
the caller and a timer, a text thread the contact and "Messages", an email the
sender and "Email".
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.gui.theme import Colour, Theme
from game.gui.widgets import draw_avatar, draw_lines, draw_text, fit_lines, wrap
from game.story.model import Channel

CARD_MS = 2200
"""How long a time-skip card stays up (a key or a click moves on at once)."""
FADE_MS = 350
"""How long the card takes to fade in, and out (none under reduced motion)."""
PULSE_MS = 1400
"""One ripple of the ringing phone's pulse."""


@dataclass
class TimeCard:
    """A full-window card that says how much time has passed: "Six months later..."."""

    text: str
    age: int = 0

    @property
    def done(self) -> bool:
        """True once the card has been up for its time."""
        return self.age >= CARD_MS

    def alpha(self, motion: bool) -> int:
        """How opaque the card is now: fading in and out, or solid without motion."""
        if not motion:
            return 255
        edge = min(self.age, CARD_MS - self.age)
        return max(0, min(255, round(255 * edge / FADE_MS)))


@dataclass(frozen=True)
class Status:
    """The header's third line: what the phone is doing, in its colour."""

    text: str
    colour: Colour
    dot: bool = False


def call_status(theme: Theme, channel: Channel, on_call: bool, call_ms: int) -> Status:
    """The status line for a channel: a running or stopped timer, 'Messages' or 'Email'."""
    pal = theme.palette
    if channel is Channel.TEXT:
        return Status("Messages", pal.accent)
    if channel is Channel.EMAIL:
        return Status("Email", pal.accent)
    seconds = call_ms // 1000
    clock = f"{seconds // 60:02d}:{seconds % 60:02d}"
    if on_call:
        return Status(f"On call  {clock}", pal.call_green, dot=True)
    return Status(f"Call ended  {clock}", pal.hang_up, dot=True)


def draw_frame(surface: pygame.Surface, theme: Theme, phone: pygame.Rect) -> None:
    """The phone's body: rounded case, notch and home bar."""
    px, pal = theme.px, theme.palette
    pygame.draw.rect(surface, pal.phone, phone, border_radius=px(40))
    pygame.draw.rect(surface, pal.phone_edge, phone, width=px(3), border_radius=px(40))
    notch = pygame.Rect(0, 0, px(90), px(8))
    notch.midtop = (phone.centerx, phone.y + px(12))
    pygame.draw.rect(surface, pal.phone_edge, notch, border_radius=notch.h // 2)
    bar = pygame.Rect(0, 0, px(120), px(5))
    bar.midbottom = (phone.centerx, phone.bottom - px(14))
    pygame.draw.rect(surface, pal.phone_edge, bar, border_radius=bar.h // 2)


def header_lines(theme: Theme, width: int, who: tuple[str, str]) -> tuple[list[str], list[str]]:
    """The caller's name and role as drawn in a header ``width`` pixels wide.

    Each wraps to two lines before it is shortened (large text on a small window).
    """
    text_w = width - theme.px(26) - 2 * theme.px(32) - theme.px(16) - theme.px(20)
    h3, small = theme.font("h3"), theme.font("small")
    name, role = who
    return (fit_lines(h3, wrap(h3, name, text_w), 2, text_w),
            fit_lines(small, wrap(small, role, text_w), 2, text_w) if role else [])


def header_height(theme: Theme, width: int, who: tuple[str, str]) -> int:
    """How tall the header must be for ``who`` (at least the usual 104 px at 720p)."""
    names, roles = header_lines(theme, width, who)
    lines_h = (len(names) * theme.font("h3").get_linesize()
               + len(roles) * theme.font("small").get_linesize()
               + theme.font("small_bold").get_linesize())
    return max(theme.px(104), lines_h + theme.px(16))


def draw_header(surface: pygame.Surface, theme: Theme, header: pygame.Rect, phone: pygame.Rect,
                who: tuple[str, str], status: Status) -> pygame.Rect:
    """Who is on the phone, their role and the status line; return the status's rect."""
    px, pal = theme.px, theme.palette
    name, _ = who
    radius = px(32)
    centre = (header.x + px(26) + radius, header.centery)
    draw_avatar(surface, theme, centre, radius, name)
    text_x = centre[0] + radius + px(16)
    h3, small, bold = theme.font("h3"), theme.font("small"), theme.font("small_bold")
    names, roles = header_lines(theme, header.w, who)
    top = header.centery - (len(names) * h3.get_linesize() + len(roles) * small.get_linesize()
                            + bold.get_linesize()) // 2
    top = draw_lines(surface, h3, names, pal.text, text_x, top)
    top = draw_lines(surface, small, roles, pal.muted, text_x, top)
    mid = top + bold.get_linesize() // 2
    x = text_x
    if status.dot:
        pygame.draw.circle(surface, status.colour, (x + px(5), mid), px(5))
        x += px(18)
    shown = draw_text(surface, bold, status.text, status.colour, midleft=(x, mid))
    rule_y = header.bottom + px(4)
    pygame.draw.line(surface, pal.panel_edge, (phone.x + px(18), rule_y),
                     (phone.right - px(18), rule_y), px(1))
    return shown


def draw_incoming(surface: pygame.Surface, theme: Theme, phone: pygame.Rect,
                  who: tuple[str, str], age: int, motion: bool,
                  can_decline: bool) -> tuple[pygame.Rect, pygame.Rect | None]:
    """The ringing phone: the caller's portrait, name and role, Answer and Decline.

    Returns the Answer button's rect and the Decline button's (None if the story
    offers no decline), so clicks on them can be told apart.
    """
    px, pal = theme.px, theme.palette
    name, role = who
    centre = (phone.centerx, phone.y + round(phone.h * 0.34))
    radius = px(64)
    if motion:  # a ripple spreading from the portrait and fading, once per PULSE_MS
        phase = (age % PULSE_MS) / PULSE_MS
        spread = radius + px(4) + round(px(32) * phase)
        fade = 0.6 * (1 - phase)  # mixed into the phone's colour: no layer per frame
        ink = tuple(round(b + (g - b) * fade) for g, b in zip(pal.call_green, pal.phone,
                                                               strict=True))
        pygame.draw.circle(surface, ink, centre, spread, px(3))
    draw_avatar(surface, theme, centre, radius, name)
    width = phone.w - px(48)
    y = centre[1] + radius + px(46)  # below the widest ripple
    small, h2 = theme.font("small"), theme.font("h2")
    draw_text(surface, small, "Incoming call…", pal.call_green, midtop=(phone.centerx, y))
    y += small.get_linesize() + px(6)
    for line in wrap(h2, name, width)[:2]:
        draw_text(surface, h2, line, pal.text, midtop=(phone.centerx, y))
        y += h2.get_linesize()
    for line in wrap(small, role, width)[:2]:
        draw_text(surface, small, line, pal.muted, midtop=(phone.centerx, y))
        y += small.get_linesize()
    button = px(34)
    row = phone.bottom - px(70) - button
    answer_at = (phone.centerx + (px(70) if can_decline else 0), row)
    answer = _round_button(surface, theme, answer_at, button, pal.call_green, "Answer")
    decline = None
    if can_decline:
        decline_at = (phone.centerx - px(70), row)
        decline = _round_button(surface, theme, decline_at, button, pal.hang_up, "Decline")
    return answer, decline


def _round_button(surface: pygame.Surface, theme: Theme, centre: tuple[int, int], radius: int,
                  colour: Colour, label: str) -> pygame.Rect:
    """A round call button with a handset drawn on it and its label under it."""
    px, pal = theme.px, theme.palette
    pygame.draw.circle(surface, colour, centre, radius)
    _handset(surface, theme, centre, radius, down=label == "Decline")
    tiny = theme.font("tiny")
    draw_text(surface, tiny, label, pal.text, midtop=(centre[0], centre[1] + radius + px(6)))
    return pygame.Rect(centre[0] - radius, centre[1] - radius, radius * 2, radius * 2)


def _handset(surface: pygame.Surface, theme: Theme, centre: tuple[int, int], radius: int,
             *, down: bool) -> None:
    """A telephone handset (DejaVu's ☎), turned over to hang up when ``down``."""
    glyph = theme.font("h2").render("☎", True, theme.palette.phone)
    size = round(radius * 1.15)
    glyph = pygame.transform.smoothscale(glyph, (size, round(size * glyph.get_height()
                                                             / glyph.get_width())))
    if down:
        glyph = pygame.transform.rotate(glyph, 135)
    surface.blit(glyph, glyph.get_rect(center=centre))


def draw_time_card(surface: pygame.Surface, theme: Theme, card: TimeCard, motion: bool) -> None:
    """The whole window given over to the time that has passed, fading in and out."""
    px, pal = theme.px, theme.palette
    w, h = surface.get_size()
    layer = pygame.Surface((w, h))
    layer.fill(pal.backdrop)
    big = theme.font("h1")
    lines = wrap(big, card.text, min(w - px(96), px(900)))
    y = (h - big.get_linesize() * len(lines)) // 2
    for line in lines:
        draw_text(layer, big, line, pal.accent, midtop=(w // 2, y))
        y += big.get_linesize()
    draw_text(layer, theme.font("small"), "Space, Enter or click to go on", pal.faint,
              midbottom=(w // 2, h - px(36)))
    layer.set_alpha(card.alpha(motion))
    surface.blit(layer, (0, 0))
