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
    """Every colour the window draws with."""

    background: Colour = (15, 19, 29)
    backdrop: Colour = (22, 28, 42)
    panel: Colour = (27, 33, 48)
    panel_edge: Colour = (52, 61, 82)
    phone: Colour = (10, 13, 20)
    phone_edge: Colour = (64, 72, 92)
    text: Colour = (236, 239, 244)
    muted: Colour = (146, 156, 176)
    faint: Colour = (92, 101, 120)
    accent: Colour = (88, 166, 255)
    on_accent: Colour = (255, 255, 255)
    button: Colour = (37, 45, 63)
    button_edge: Colour = (60, 71, 96)
    button_hover: Colour = (44, 82, 140)
    hover_edge: Colour = (118, 182, 255)
    locked: Colour = (27, 31, 41)
    locked_text: Colour = (98, 106, 122)
    bubble_other: Colour = (40, 48, 66)
    bubble_player: Colour = (36, 112, 214)
    call_green: Colour = (52, 199, 89)
    hang_up: Colour = (235, 77, 75)
    good: Colour = (72, 199, 116)
    bad: Colour = (238, 96, 96)
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
    button_hover=(70, 60, 0),
    hover_edge=(255, 220, 0),
    locked=(0, 0, 0),
    locked_text=(170, 170, 170),
    bubble_other=(30, 30, 30),
    bubble_player=(0, 60, 140),
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
    bubble_player=(0, 64, 150),
    neutral=(200, 200, 200),
)
"""Workshop mode's colours: white on black with bright accents, for a washed-out projector."""

_DISPLAY = frozenset({"hero", "score"})
"""Display roles that 'Larger text' leaves alone."""


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
        extra = 1.0 if role in _DISPLAY else self.text_scale  # already huge: left as they are
        size = max(9, round(base * self.scale * extra))
        key = (size, bold)
        if key not in self._fonts:
            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            self._fonts[key] = pygame.font.Font(self.font_dir / name, size)
        return self._fonts[key]


LARGE_TEXT_SCALE = 1.15
"""How much bigger the 'Larger text' setting makes every font."""


def theme_for(settings: Settings) -> Theme:
    """Return the theme the player's settings ask for (high contrast, larger text)."""
    return Theme(
        HIGH_CONTRAST if settings.high_contrast else None,
        text_scale=LARGE_TEXT_SCALE if settings.large_text else 1.0,
    )


def projector_theme() -> Theme:
    """Return workshop mode's theme: very large type and high contrast (see :data:`PROJECTOR`)."""
    return Theme(PROJECTOR, roles=PROJECTOR_ROLES)
