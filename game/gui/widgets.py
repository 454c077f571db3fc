"""Drawing helpers and the one menu widget every screen shares.

- :func:`wrap` and :func:`draw_lines`: word-wrapped text.
- :class:`Item` and :class:`Menu`: buttons with hover, click, keys 1-9 and arrows.
- :func:`draw_button`, :func:`draw_choice`: how a menu item looks.
- :func:`draw_meter`, :func:`draw_avatar`, :func:`draw_chip`: the rest.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from types import MappingProxyType

import pygame

from game.gui.theme import Colour, Theme

_NUMBER_KEYS = MappingProxyType(
    {
        **{getattr(pygame, f"K_{n}"): n for n in range(1, 10)},
        **{getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)},
    }
)
ACTIVATE_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER)
AVATAR_COLOURS: tuple[Colour, ...] = (
    (176, 80, 40),
    (118, 78, 196),
    (22, 120, 110),
    (178, 52, 96),
    (52, 102, 196),
    (140, 106, 20),
)
"""Portrait colours, each dark enough for white initials (4.5:1, tests/test_contrast.py)."""


def number_of_key(key: int) -> int | None:
    """Return 1-9 for a digit key (main row or keypad), else None."""
    return _NUMBER_KEYS.get(key)


def wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels.

    Paragraph breaks (``\\n``) are kept; a word wider than the line is split.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}" if current else word
            if font.size(trial)[0] <= width:
                current = trial
                continue
            if current:
                lines.append(current)
            while font.size(word)[0] > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and font.size(word[:cut])[0] > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def clip_text(font: pygame.font.Font, text: str, width: int) -> str:
    """Return ``text`` cut short with an ellipsis so it fits ``width`` pixels."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def fit_lines(font: pygame.font.Font, lines: list[str], room: int, width: int) -> list[str]:
    """Keep at most ``room`` lines, ending with an ellipsis when text was cut."""
    if len(lines) <= room:
        return lines
    kept = lines[: max(0, room)]
    if kept:
        kept[-1] = clip_text(font, kept[-1] + " …", width)
    return kept


def draw_lines(
    surface: pygame.Surface,
    font: pygame.font.Font,
    lines: list[str],
    colour: Colour,
    x: int,
    y: int,
    *,
    align: str = "left",
    width: int = 0,
    spacing: float = 1.0,
) -> int:
    """Draw lines of text from ``(x, y)``; return the y below the last line.

    ``align`` is "left", "center" or "right" within ``width`` pixels from ``x``.
    """
    step = round(font.get_linesize() * spacing)
    for line in lines:
        if line:
            image = font.render(line, True, colour)
            left = x
            if align == "center":
                left = x + (width - image.get_width()) // 2
            elif align == "right":
                left = x + width - image.get_width()
            surface.blit(image, (left, y))
        y += step
    return y


def text_block_height(font: pygame.font.Font, lines: list[str], spacing: float = 1.0) -> int:
    """Return the height :func:`draw_lines` uses for ``lines``."""
    return round(font.get_linesize() * spacing) * len(lines)


def draw_text(
    surface: pygame.Surface,
    font: pygame.font.Font,
    text: str,
    colour: Colour,
    **anchor: int | tuple[int, int],
) -> pygame.Rect:
    """Draw one line, placed by a Rect keyword such as ``center=(x, y)``."""
    image = font.render(text, True, colour)
    rect = image.get_rect(**anchor)
    surface.blit(image, rect)
    return rect


@dataclass
class Item:
    """One button: ``number`` (1-9) is both its badge and its key."""

    label: str
    number: int | None = None
    enabled: bool = True
    note: str = ""
    primary: bool = False
    rect: pygame.Rect = field(default_factory=lambda: pygame.Rect(0, 0, 0, 0))


class Menu:
    """Buttons that answer to hover, click, keys 1-9, arrows, Tab and Enter.

    Hovering moves the focus; Enter activates the focused item. Disabled items
    can be hovered (so their reason shows) but never activated or focused by keys.

    Args:
        items: The buttons; screens set each ``rect`` when laying out.
        vertical: Up/Down move the focus when True, Left/Right when False.
        focus: The item focused at first, or None (nothing until an arrow key).
    """

    def __init__(self, items: list[Item], *, vertical: bool = True, focus: int | None = 0):
        self.items = items
        self.vertical = vertical
        self.focus = focus if focus is not None and self._usable(focus) else None
        if focus is not None and self.focus is None:
            self.focus = self._next(-1, 1)

    def _usable(self, index: int) -> bool:
        return 0 <= index < len(self.items) and self.items[index].enabled

    def _next(self, start: int, step: int) -> int | None:
        count = len(self.items)
        for offset in range(1, count + 1):
            index = (start + step * offset) % count
            if self.items[index].enabled:
                return index
        return None

    def hit(self, pos: tuple[int, int]) -> int | None:
        """Return the index of the item under ``pos``, if any."""
        return next((i for i, item in enumerate(self.items) if item.rect.collidepoint(pos)), None)

    def handle(self, event: pygame.event.Event) -> int | None:
        """Update focus from ``event``; return the index of an activated item."""
        if event.type == pygame.MOUSEMOTION:
            index = self.hit(event.pos)
            if index is not None:
                self.focus = index
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            index = self.hit(event.pos)
            if index is not None and self.items[index].enabled:
                self.focus = index
                return index
        elif event.type == pygame.KEYDOWN:
            return self._key(event)
        return None

    def _key(self, event: pygame.event.Event) -> int | None:
        number = number_of_key(event.key)
        if number is not None:
            index = next((i for i, it in enumerate(self.items) if it.number == number), None)
            if index is not None and self.items[index].enabled:
                self.focus = index
                return index
            return None
        back, forward = (
            (pygame.K_UP, pygame.K_DOWN) if self.vertical else (pygame.K_LEFT, pygame.K_RIGHT)
        )
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        if event.key == back or (event.key == pygame.K_TAB and shift):
            self.focus = self._next(len(self.items) if self.focus is None else self.focus, -1)
        elif event.key in (forward, pygame.K_TAB):
            self.focus = self._next(-1 if self.focus is None else self.focus, 1)
        elif event.key in ACTIVATE_KEYS and self.focus is not None and self._usable(self.focus):
            return self.focus
        return None


def _button_colours(theme: Theme, item: Item, focused: bool) -> tuple[Colour, Colour, Colour]:
    pal = theme.palette
    if not item.enabled:
        return pal.locked, pal.panel_edge, pal.locked_text
    if item.primary:
        fill = pal.hover_edge if focused else pal.accent
        return fill, pal.hover_edge if focused else pal.accent, pal.on_accent
    if focused:
        return pal.button_hover, pal.hover_edge, pal.text
    return pal.button, pal.button_edge, pal.text


def draw_button(surface: pygame.Surface, theme: Theme, item: Item, focused: bool) -> None:
    """Draw a one-line button with its label centred."""
    fill, edge, ink = _button_colours(theme, item, focused)
    radius = theme.px(12)
    pygame.draw.rect(surface, fill, item.rect, border_radius=radius)
    pygame.draw.rect(surface, edge, item.rect, width=theme.px(2), border_radius=radius)
    font = theme.font("h3")
    label = item.label if item.number is None else f"{item.number}   {item.label}"
    draw_text(surface, font, label, ink, center=item.rect.center)


def _choice_parts(
    theme: Theme, font: pygame.font.Font, item: Item, width: int
) -> tuple[int, int, int, list[str], list[str]]:
    pad = theme.px(16)
    badge = theme.px(34)
    text_w = width - pad * 3 - badge
    lines = wrap(font, item.label, text_w)
    note = wrap(theme.font("small"), item.note, text_w) if item.note else []
    return pad, badge, text_w, lines, note


def measure_choice(theme: Theme, font: pygame.font.Font, item: Item, width: int) -> int:
    """Return the height a choice button needs at ``width`` pixels."""
    pad, badge, _, lines, note = _choice_parts(theme, font, item, width)
    text_h = text_block_height(font, lines) + text_block_height(theme.font("small"), note)
    return max(badge, text_h) + pad * 2 - theme.px(4)


def draw_choice(
    surface: pygame.Surface, theme: Theme, font: pygame.font.Font, item: Item, focused: bool
) -> None:
    """Draw a large numbered choice; a locked one is greyed with its reason."""
    pal = theme.palette
    fill, edge, ink = _button_colours(theme, item, focused)
    rect = item.rect
    radius = theme.px(14)
    pygame.draw.rect(surface, fill, rect, border_radius=radius)
    pygame.draw.rect(surface, edge, rect, width=theme.px(2), border_radius=radius)
    pad, badge, text_w, lines, note = _choice_parts(theme, font, item, rect.w)
    centre = (rect.x + pad + badge // 2, rect.y + pad - theme.px(2) + badge // 2)
    badge_fill = (
        pal.locked_text if not item.enabled else (pal.accent if focused else pal.badge)
    )
    pygame.draw.aacircle(surface, badge_fill, centre, badge // 2)
    pygame.draw.circle(surface, badge_fill, centre, badge // 2)
    mark = str(item.number) if item.number is not None else "•"
    mark_ink = pal.on_accent if focused else (pal.badge_text if item.enabled else pal.locked)
    draw_text(surface, theme.font("h3"), mark, mark_ink, center=centre)
    text_h = text_block_height(font, lines) + text_block_height(theme.font("small"), note)
    x = rect.x + pad * 2 + badge
    y = rect.y + (rect.h - text_h) // 2
    y = draw_lines(surface, font, lines, ink, x, y)
    draw_lines(surface, theme.font("small"), note, pal.warn if item.enabled else ink, x, y)


def draw_meter(
    surface: pygame.Surface, theme: Theme, rect: pygame.Rect, fraction: float, colour: Colour
) -> pygame.Rect:
    """Draw a horizontal bar filled to ``fraction`` (0..1); return the filled rect."""
    fraction = min(1.0, max(0.0, fraction))
    radius = rect.h // 2
    pygame.draw.rect(surface, theme.palette.bar_back, rect, border_radius=radius)
    filled = pygame.Rect(rect.x, rect.y, round(rect.w * fraction), rect.h)
    if filled.w > 0:
        pygame.draw.rect(surface, colour, filled, border_radius=radius)
    return filled


def initials(name: str) -> str:
    """Return up to two initials for an avatar ('Maya Okafor' -> 'MO')."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "?"


def avatar_colour(name: str) -> Colour:
    """Return a stable colour for a person, the same on every run."""
    return AVATAR_COLOURS[zlib.crc32(name.encode()) % len(AVATAR_COLOURS)]


def draw_avatar(
    surface: pygame.Surface, theme: Theme, centre: tuple[int, int], radius: int, name: str
) -> None:
    """Draw a round portrait: the person's initials on their own colour."""
    colour = avatar_colour(name)
    pygame.draw.aacircle(surface, colour, centre, radius)
    pygame.draw.circle(surface, colour, centre, radius)
    letters = initials(name)
    roles = ["h2", "h3", "small_bold", "tiny"]
    role = "h3" if radius < theme.px(30) else "h2"
    if radius < theme.px(20):
        role = "small_bold"
    while role != "tiny" and theme.font(role).size(letters)[0] > radius * 1.8:
        role = roles[roles.index(role) + 1]  # larger type (the projector's): a size down
    draw_text(surface, theme.font(role), letters, (255, 255, 255), center=centre)


def draw_chip(
    surface: pygame.Surface,
    font: pygame.font.Font,
    text: str,
    ink: Colour,
    fill: Colour,
    pad: tuple[int, int],
    **anchor: int | tuple[int, int],
) -> pygame.Rect:
    """Draw text on a pill-shaped background; return the pill's rect."""
    image = font.render(text, True, ink)
    rect = image.get_rect().inflate(pad[0] * 2, pad[1] * 2)
    rect = rect.move_to(**anchor)
    pygame.draw.rect(surface, fill, rect, border_radius=rect.h // 2)
    surface.blit(image, image.get_rect(center=rect.center))
    return rect


def draw_panel(
    surface: pygame.Surface,
    rect: pygame.Rect,
    fill: Colour,
    edge: Colour | None = None,
    radius: int = 16,
    width: int = 2,
) -> None:
    """Draw a rounded panel with an optional border."""
    pygame.draw.rect(surface, fill, rect, border_radius=radius)
    if edge is not None:
        pygame.draw.rect(surface, edge, rect, width=width, border_radius=radius)


def draw_spinner(surface: pygame.Surface, theme: Theme, centre: tuple[int, int],
                 waited_ms: int) -> None:
    """Eight dots in a ring, one lit in turn: something is being worked on."""
    px, pal = theme.px, theme.palette
    for i in range(8):
        angle = math.tau * i / 8
        lit = (waited_ms // 100) % 8 == i
        dot = (
            centre[0] + round(math.cos(angle) * px(22)),
            centre[1] + round(math.sin(angle) * px(22)),
        )
        pygame.draw.circle(surface, pal.accent if lit else pal.panel_edge, dot, px(5))


def draw_toasts(surface: pygame.Surface, theme: Theme, messages: list[str],
                area: pygame.Rect | None = None) -> None:
    """Draw notices (a recovered save, a story that changed) stacked above the window's foot.

    ``area`` keeps them inside part of the window (a call keeps them off the phone).
    """
    px, pal = theme.px, theme.palette
    font = theme.font("small")
    area = area or pygame.Rect((px(40), 0), (surface.get_width() - px(80), surface.get_height()))
    width = min(area.w, px(900))
    bottom = area.bottom - px(54)
    for message in reversed(messages[-3:]):
        lines = fit_lines(font, wrap(font, message, width - px(48)), 4, width - px(48))
        box = pygame.Rect(0, 0, width, text_block_height(font, lines) + px(24))
        box.midbottom = (area.centerx, bottom)
        draw_panel(surface, box, pal.panel, pal.warn, radius=px(12))
        draw_lines(surface, font, lines, pal.text, box.x + px(24), box.y + px(12))
        bottom = box.y - px(10)


def _dialog_parts(theme: Theme, width: int, title: str,
                  hint: str) -> tuple[pygame.font.Font, list[str], list[str]]:
    """A dialog's title font and lines, and its hint's lines, for a panel ``width`` wide.

    The title takes the largest heading that fits on one line (h1, h2, then h3, which
    wraps); the hint wraps.
    """
    room = width - theme.px(48)
    for role in ("h1", "h2", "h3"):
        font = theme.font(role)
        if font.size(title)[0] <= room:
            break
    return font, wrap(font, title, room), wrap(theme.font("tiny"), hint, room)


def dialog_top(theme: Theme, width: int, title: str, hint: str) -> int:
    """How far below a dialog panel's top its content may start (under title and hint)."""
    font, titles, hints = _dialog_parts(theme, width, title, hint)
    return (theme.px(26) + len(titles) * font.get_linesize()
            + len(hints) * theme.font("tiny").get_linesize() + theme.px(16))


def draw_dialog(surface: pygame.Surface, theme: Theme, panel: pygame.Rect, title: str,
                hint: str) -> None:
    """Dim what is below and draw a dialog's panel with its title and a key hint.

    The title and hint fit the panel (see :func:`dialog_top` for where content may start).
    """
    px, pal = theme.px, theme.palette
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((*pal.background, 210))
    surface.blit(shade, (0, 0))
    draw_panel(surface, panel, pal.panel, pal.panel_edge, radius=px(22))
    font, titles, hints = _dialog_parts(theme, panel.w, title, hint)
    top = draw_lines(surface, font, titles, pal.text, panel.x, panel.y + px(26),
                     align="center", width=panel.w)
    draw_lines(surface, theme.font("tiny"), hints, pal.faint, panel.x, top, align="center",
               width=panel.w)
