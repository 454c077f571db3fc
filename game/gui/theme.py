"""Colours, fonts and sizes, scaled to the window.

Every size in the screens is written for a 1280x720 window and passed through
:meth:`Theme.px`, so the whole layout grows and shrinks with the window. Fonts
are the bundled DejaVu faces only (a classroom machine may have no others) and
are cached per theme instance, never in module globals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple

import pygame

from game.paths import assets_dir
from game.store.settings import Settings
from game.story.model import Outcome

Colour = tuple[int, int, int]

BASE_HEIGHT = 720
"""The window height the layout is written for."""
BASE_WIDTH = 960
"""Narrowest width at full scale: below it the layout scales down with the width."""
MIN_SCALE = 0.6


@dataclass(frozen=True)
class Palette:
    """Every colour the window draws with.

    Which colour is drawn on which, and the contrast each pair must meet (WCAG AA), is
    declared in :data:`CONTRAST_PAIRS`: a new field that is drawn as text or as a control's
    edge gets its lines there.
    """

    background: Colour = (15, 19, 29)
    backdrop: Colour = (22, 28, 42)
    panel: Colour = (27, 33, 48)
    panel_edge: Colour = (85, 99, 133)
    phone: Colour = (10, 13, 20)
    phone_edge: Colour = (64, 72, 92)
    text: Colour = (236, 239, 244)
    muted: Colour = (154, 164, 186)
    faint: Colour = (125, 138, 163)
    accent: Colour = (88, 166, 255)
    on_accent: Colour = (15, 19, 29)
    button: Colour = (37, 45, 63)
    button_edge: Colour = (92, 109, 147)
    button_hover: Colour = (30, 57, 100)
    hover_edge: Colour = (118, 182, 255)
    locked: Colour = (27, 31, 41)
    locked_text: Colour = (127, 138, 158)
    bubble_other: Colour = (40, 48, 66)
    bubble_player: Colour = (40, 124, 238)
    call_green: Colour = (52, 199, 89)
    hang_up: Colour = (235, 77, 75)
    good: Colour = (72, 199, 116)
    bad: Colour = (255, 124, 124)
    warn: Colour = (242, 184, 64)
    neutral: Colour = (150, 158, 172)
    bar_back: Colour = (40, 47, 64)
    badge: Colour = (52, 61, 82)
    badge_text: Colour = (236, 239, 244)

    def outcome(self, outcome: Outcome) -> Colour:
        """Return the colour that marks a door outcome."""
        return {
            Outcome.CLOSED: self.bad,
            Outcome.SHUT: self.neutral,
            Outcome.AJAR: self.warn,
            Outcome.OPEN: self.good,
        }[outcome]


HIGH_CONTRAST = Palette(
    background=(0, 0, 0),
    backdrop=(0, 0, 0),
    panel=(0, 0, 0),
    panel_edge=(255, 255, 255),
    phone=(0, 0, 0),
    phone_edge=(255, 255, 255),
    text=(255, 255, 255),
    muted=(230, 230, 230),
    faint=(200, 200, 200),
    accent=(255, 220, 0),
    on_accent=(0, 0, 0),
    button=(0, 0, 0),
    button_edge=(255, 255, 255),
    button_hover=(60, 52, 0),
    hover_edge=(255, 220, 0),
    locked=(0, 0, 0),
    locked_text=(170, 170, 170),
    bubble_other=(30, 30, 30),
    bubble_player=(64, 150, 255),
    badge=(255, 255, 255),
    badge_text=(0, 0, 0),
)
"""A black-and-white palette for projectors and low vision."""

# Font roles: (size at 720 px, bold).
_ROLES: Mapping[str, tuple[int, bool]] = MappingProxyType(
    {
        "hero": (80, True),
        "h1": (42, True),
        "h2": (28, True),
        "h3": (22, True),
        "body": (21, False),
        "bold": (21, True),
        "small": (17, False),
        "small_bold": (17, True),
        "tiny": (14, False),
        "score": (112, True),
    }
)


PROJECTOR_ROLES: Mapping[str, tuple[int, bool]] = MappingProxyType(
    {
        "hero": (88, True),
        "h1": (50, True),
        "h2": (38, True),
        "h3": (30, True),
        "body": (26, False),
        "bold": (26, True),
        "small": (24, False),
        "small_bold": (24, True),
        "tiny": (22, False),
        "score": (120, True),
    }
)
"""Workshop mode's type: body 39 px and nothing under 33 px at 1920x1080, for the back row."""

PROJECTOR = replace(
    HIGH_CONTRAST,
    panel=(16, 16, 16),
    button=(16, 16, 16),
    bar_back=(70, 70, 70),
    bubble_other=(40, 40, 40),
    neutral=(200, 200, 200),
)
"""Workshop mode's colours: white on black with bright accents, for a washed-out projector."""


# ---------------------------------------------------------------------- contrast
ContrastKind = Literal["text", "large", "ui"]
"""What a pair is held to: normal text, large text or a non-text control edge."""

MIN_RATIO: Mapping[str, float] = MappingProxyType({"text": 4.5, "large": 3.0, "ui": 3.0})
"""WCAG 2.x AA: 4.5:1 for text (1.4.3), 3:1 for large text and for control edges (1.4.11).

Large text is at least 24 px regular or 18.66 px bold at 720 px (see ``_ROLES``): the
hero, h1, h2, h3, bold and score roles. A pair drawn in both small and large roles is "text".
"""


class Pair(NamedTuple):
    """One palette colour drawn on another: ``fg`` and ``bg`` name :class:`Palette` fields."""

    fg: str
    bg: str
    kind: ContrastKind
    where: str = ""


CONTRAST_PAIRS: tuple[Pair, ...] = (
    # Text. Every colour drawn as text, on every surface it is drawn on.
    Pair("text", "background", "text", "headings, body text, pages"),
    Pair("text", "backdrop", "text", "the consequence's title, title screen's brand"),
    Pair("text", "panel", "text", "panels, dialogs, toasts, callouts, notes, rows"),
    Pair("text", "phone", "text", "the caller's name on the phone"),
    Pair("text", "button", "text", "button labels"),
    Pair("text", "button_hover", "text", "focused buttons and rows"),
    Pair("text", "bubble_other", "text", "the other side's chat lines, email cards"),
    Pair("muted", "bubble_other", "text", "an email card's 'From' line"),
    Pair("accent", "phone", "text", "'They'll remember this', a text or email header"),
    Pair("locked", "locked_text", "text", "a locked choice's number on its grey badge"),
    Pair("accent", "button", "text", "the debrief's 'Try another answer' buttons"),
    Pair("phone", "call_green", "text", "the handset on the ringing phone's Answer"),
    Pair("phone", "hang_up", "text", "the handset on the ringing phone's Decline"),
    Pair("muted", "background", "text", "taglines, summaries, feedback"),
    Pair("muted", "backdrop", "text", "loading line, epilogue"),
    Pair("muted", "panel", "text", "panels, dialogs, hint bar, time chips"),
    Pair("muted", "phone", "text", "caller's role, names, narration, actions"),
    Pair("muted", "button_hover", "text", "a focused story row's minutes, continue title"),
    Pair("faint", "background", "text", "key hints, small caps labels, placeholders"),
    Pair("faint", "backdrop", "text", "loading and consequence labels"),
    Pair("faint", "panel", "text", "dialog hints, YOUR SCORE, ON THE CALL"),
    Pair("accent", "background", "text", "section labels, numbers, header, caret"),
    Pair("accent", "backdrop", "text", "the consequence's time skip, spinner"),
    Pair("accent", "panel", "text", "meta lines, callout headings, primary button edge"),
    Pair("on_accent", "accent", "text", "primary buttons, badges"),
    Pair("on_accent", "hover_edge", "text", "a focused primary button"),
    Pair("on_accent", "bubble_player", "text", "the player's own chat lines"),
    Pair("on_accent", "locked_text", "text", "a hovered locked choice's badge"),
    Pair("locked_text", "locked", "text", "locked buttons and choices"),
    Pair("locked_text", "background", "text", "locked answers (workshop, what if)"),
    Pair("locked_text", "panel", "text", "locked vote rows"),
    Pair("badge_text", "badge", "text", "number badges"),
    Pair("good", "background", "text", "the best path (class debrief)"),
    Pair("good", "panel", "text", "campaign ticks, player status"),
    Pair("bad", "background", "text", "no ending reachable (what if)"),
    Pair("bad", "panel", "text", "broken stories, floor callouts"),
    Pair("bad", "button_hover", "text", "a focused broken story's 'problems'"),
    Pair("warn", "background", "text", "vote ties, where the class left the best path"),
    Pair("warn", "panel", "text", "error heading, turning point, reload problems"),
    Pair("warn", "button", "text", "a choice's note"),
    Pair("warn", "button_hover", "text", "a focused choice's note"),
    Pair("call_green", "phone", "text", "'On call' timer and its dot"),
    Pair("hang_up", "phone", "text", "'Call ended' timer and its dot"),
    Pair("background", "good", "text", "chips: door open, a gain; the reload toast"),
    Pair("background", "bad", "text", "chips: door closed, a loss"),
    Pair("background", "warn", "text", "chips: door ajar"),
    Pair("background", "neutral", "text", "chips: door shut, no change"),
    # Control edges and other non-text marks (text pairs above already cover accent edges).
    Pair("button_edge", "background", "ui", "buttons, input boxes"),
    Pair("button_edge", "backdrop", "ui", "buttons on the consequence screen"),
    Pair("button_edge", "panel", "ui", "buttons in dialogs and the details panel"),
    Pair("hover_edge", "background", "ui", "focus and hover edges"),
    Pair("hover_edge", "backdrop", "ui", "focus and hover edges"),
    Pair("hover_edge", "panel", "ui", "focus edges in dialogs, focused primary buttons"),
    Pair("panel_edge", "background", "ui", "story rows and vote rows"),
    Pair("good", "bar_back", "ui", "meter fills"),
    Pair("warn", "bar_back", "ui", "meter fills"),
    Pair("bad", "bar_back", "ui", "meter fills"),
    Pair("accent", "bar_back", "ui", "the leading vote's bar"),
    Pair("neutral", "bar_back", "ui", "the other votes' bars"),
    Pair("muted", "bar_back", "ui", "the scrollbar's thumb"),
)
"""Every pair of palette colours the screens draw one on the other, and what it must meet.

This is the contract each palette is tested against (tests/test_contrast.py): one line per
pair, so a new colour adds its lines here. Colours that only decorate (phone and panel
borders, the accent stripe of a callout, the lesson box's bar, typing dots) are left out,
as are locked buttons' edges (WCAG exempts inactive controls).
"""


def _linear(channel: int) -> float:
    """Return an sRGB channel (0-255) as linear light (0-1)."""
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: Colour) -> float:
    """Return WCAG 2.x relative luminance: 0.0 for black to 1.0 for white."""
    red, green, blue = (_linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: Colour, b: Colour) -> float:
    """Return the WCAG contrast ratio of two colours, from 1.0 (same) to 21.0, either order."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_DISPLAY = frozenset({"hero", "score"})
"""Display roles that the text size setting leaves alone."""
_HEADINGS = frozenset({"h1", "h2", "h3"})
"""Roles already large (headings, names, button labels): the text size setting gives them
half its extra (200% makes them 150%), never less than the body text it scales fully. Text
that is read grows most, and a heading at 200% on a small window still fits its panel."""


class Theme:
    """Palette plus fonts and sizes for the current window size.

    Args:
        palette: The colours.
        text_scale: Extra font scaling for accessibility (1.0 is normal).
        font_dir: Folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf.
        roles: Each font role's (size at 720 px, bold); default the standard sizes.
    """

    def __init__(
        self,
        palette: Palette | None = None,
        text_scale: float = 1.0,
        font_dir: Path | None = None,
        roles: Mapping[str, tuple[int, bool]] | None = None,
    ) -> None:
        self.palette = palette or Palette()
        self.roles = roles or _ROLES
        self.text_scale = text_scale
        self.font_dir = font_dir or assets_dir() / "fonts"
        self.scale = 1.0
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}

    def fit(self, size: tuple[int, int]) -> None:
        """Rescale for a window of ``size`` pixels."""
        width, height = size
        self.scale = max(MIN_SCALE, min(height / BASE_HEIGHT, width / BASE_WIDTH))

    def px(self, value: float) -> int:
        """Return ``value`` (in 720p pixels) scaled to the window."""
        return max(1, round(value * self.scale))

    def font(self, role: str) -> pygame.font.Font:
        """Return the font for a role such as ``"body"`` or ``"h1"``."""
        base, bold = self.roles[role]
        if role in _DISPLAY:  # already huge: left as they are
            points = float(base)
        elif role in _HEADINGS:  # half the extra, but never below the body text
            points = max(base * (1 + (self.text_scale - 1) / 2),
                         self.roles["body"][0] * self.text_scale)
        else:
            points = base * self.text_scale
        size = max(9, round(points * self.scale))
        key = (size, bold)
        if key not in self._fonts:
            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            self._fonts[key] = pygame.font.Font(self.font_dir / name, size)
        return self._fonts[key]


def theme_for(settings: Settings) -> Theme:
    """Return the theme the player's settings ask for (high contrast, text size).

    The text size (100% to 200%) scales every font but the display roles (see ``_DISPLAY``).
    """
    return Theme(
        HIGH_CONTRAST if settings.high_contrast else None,
        text_scale=settings.text_scale / 100,
    )


def projector_theme() -> Theme:
    """Return workshop mode's theme: very large type and high contrast (see :data:`PROJECTOR`)."""
    return Theme(PROJECTOR, roles=PROJECTOR_ROLES)
