"""Three slots to save a call to, or to load one from: opened from the pause menu.

Each row shows the slot's picture of the call screen, the story's title, the scene
the call was at and when it was saved (local time, "6 Dec 14:05"), or "Empty slot".
Keys 1-3, arrows and Enter, or a click pick a slot; Esc or Back closes.

Saving asks nothing, even over a filled slot: the row shows the new call at once and
a notice says where it went. The picture is the call screen as it was before the
pause menu dimmed it (the call draws itself again, off screen) and is kept inside the
slot's document (see :mod:`game.store.saves`). Loading replays the slot's moves on
the story as it is now (see :meth:`~game.gui.screens.base.Host.load_saved`).

The call screen is recognised by what it offers (a story, a state and when it
started), not by its class: the call imports the pause menu, which imports this.
"""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, cast

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.widgets import (
    Item,
    Menu,
    clip_text,
    draw_button,
    draw_dialog,
    draw_panel,
    draw_text,
)
from game.store.saves import PNG_SIGNATURE, SLOTS, SlotSave

if TYPE_CHECKING:
    from game.engine.compiled import CompiledStory
    from game.engine.state import PlayState

THUMBNAIL_SIZE = (192, 108)
"""The box the window's picture of a call is scaled into, in pixels (its shape is kept)."""
_MAX_SIDE = 4096
"""A picture wider or taller than this is not decoded (a hand-edited slot could hold a
small PNG that unpacks to gigabytes)."""


class Call(Protocol):
    """What the pause menu and this screen need of a call in progress to save it."""

    story: CompiledStory
    state: PlayState
    started: str

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the call as it is now."""


def as_call(screen: Screen) -> Call | None:
    """Return ``screen`` if it is a call in progress the player may save (not a class's
    workshop), else None."""
    if (hasattr(screen, "state") and hasattr(screen, "started") and screen.story is not None
            and getattr(screen, "workshop", None) is None):
        return cast(Call, screen)
    return None


def thumbnail(call: Call, size: tuple[int, int]) -> bytes:
    """Return a small PNG of ``call`` drawn alone on a window of ``size`` pixels."""
    canvas = pygame.Surface(size, 0, 32)
    call.draw(canvas)
    scale = min(THUMBNAIL_SIZE[0] / size[0], THUMBNAIL_SIZE[1] / size[1])
    small = pygame.transform.smoothscale(
        canvas, (max(1, round(size[0] * scale)), max(1, round(size[1] * scale))))
    buffer = io.BytesIO()
    pygame.image.save(small, buffer, "png")
    return buffer.getvalue()


def picture(png: bytes | None) -> pygame.Surface | None:
    """Decode a slot's PNG; None if it has none or it cannot be shown."""
    if png is None or not png.startswith(PNG_SIGNATURE) or len(png) < 24:
        return None
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    if not (0 < width <= _MAX_SIDE and 0 < height <= _MAX_SIDE):
        return None
    try:
        image = pygame.image.load(io.BytesIO(png), "x.png")
    except (pygame.error, ValueError, OSError):  # damaged inside: the placeholder shows
        return None
    canvas = pygame.Surface(image.get_size(), 0, 32)  # any PNG depth, smoothscaled later
    canvas.blit(image, (0, 0))
    return canvas


def saved_when(saved: str, now: datetime | None = None) -> str:
    """Return a save's ISO time as local, human time: '6 Dec 14:05' ('' if unreadable).

    The year is added when it is not this one ('6 Dec 2025 14:05').
    """
    try:
        moment = datetime.fromisoformat(saved)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    this_year = (now or datetime.now(UTC)).astimezone().year
    year = f" {local.year}" if local.year != this_year else ""
    return f"{local.day} {local:%b}{year} {local:%H:%M}"


def _fit(image: pygame.Surface, box: pygame.Rect) -> pygame.Surface:
    """``image`` scaled to fit inside ``box``, its shape kept."""
    scale = min(box.w / image.get_width(), box.h / image.get_height())
    size = (max(1, round(image.get_width() * scale)), max(1, round(image.get_height() * scale)))
    return pygame.transform.smoothscale(image, size)


class SlotsScreen(Screen):
    """The three slots, to save the call in progress to (``saving``) or to load from.

    Args:
        app: The app; the call to save is the screen under the top one (the pause menu).
        saving: Save to a slot (True) or load one (False: empty slots are greyed).
    """

    opaque = False

    def __init__(self, app: Host, saving: bool) -> None:
        super().__init__(app)
        self.saving = saving
        self.call = as_call(app.stack[-2]) if saving and len(app.stack) > 1 else None
        self.story = app.top.story
        self.slots: list[SlotSave | None] = app.session.slots()
        self.menu = Menu([*(Item(f"Slot {n}", n) for n in range(1, SLOTS + 1)), Item("Back")])
        self._read_pictures()
        self._refresh()

    def pauses(self) -> bool:
        """Esc closes the slots instead of opening another pause menu."""
        return False

    def _read_pictures(self) -> None:
        self.pictures = [picture(slot.thumbnail if slot else None) for slot in self.slots]
        self._fitted: dict[int, pygame.Surface] = {}

    def _refresh(self) -> None:
        """Grey the empty slots when loading (a save may go anywhere)."""
        for item, slot in zip(self.menu.items, self.slots, strict=False):
            item.enabled = self.saving or slot is not None
        if self.menu.focus is None or not self.menu.items[self.menu.focus].enabled:
            self.menu.focus = next(i for i, it in enumerate(self.menu.items) if it.enabled)

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """A panel a little above the middle (notices come up from the foot): three rows, Back."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        self.pad, self.thumb = px(12), pygame.Rect(0, 0, px(160), px(90))
        text_h = theme.font("h3").get_linesize() + 2 * theme.font("small").get_linesize()
        row_h = max(self.thumb.h, text_h) + 2 * self.pad
        gap, back_h = px(10), max(px(50), theme.font("h3").get_linesize() + px(16))
        heading_h = px(26) + theme.font("h1").get_linesize() + theme.font("tiny").get_linesize()
        height = heading_h + px(20) + SLOTS * row_h + (SLOTS - 1) * gap + px(18) + back_h + px(24)
        width = min(px(720), size[0] - px(40))
        self.panel = pygame.Rect(0, 0, width, height)
        room = size[1] - px(64)  # keep the foot of the window for notices, where it fits
        top = (room - height) // 2 if height <= room else (size[1] - height) // 2
        self.panel.midtop = (size[0] // 2, max(px(10), top))
        y = self.panel.y + heading_h + px(20)
        for item in self.menu.items[:SLOTS]:
            item.rect = pygame.Rect(self.panel.x + px(32), y, width - px(64), row_h)
            y += row_h + gap
        back = self.menu.items[SLOTS]
        back.rect = pygame.Rect(0, 0, min(px(240), width - px(64)), back_h)
        back.rect.midtop = (self.panel.centerx, y - gap + px(18))
        self._fitted.clear()

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Esc or Back closes; a slot saves the call there or loads it."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        index = self.menu.handle(event)
        if index is None:
            return
        if index == SLOTS:
            self.app.pop()
        elif self.saving:
            self.save(index + 1)
        else:
            self.load(index + 1)

    def save(self, number: int) -> None:
        """Save the call under the pause menu to slot ``number`` (what it held goes)."""
        if self.call is None:
            self.app.notify("There is no call in progress to save.")
            return
        call = self.call
        png = thumbnail(call, self.app.surface.get_size())
        slot = self.app.session.save_slot(number, call.story, call.state, call.started, png)
        if slot is None:
            return  # the session's note says why, at the foot of the window
        self.slots[number - 1] = slot
        self._read_pictures()
        self._refresh()
        self.app.notify(f"Saved to slot {number}.")

    def load(self, number: int) -> None:
        """Play the call in slot ``number`` (read again: it may have changed on disk)."""
        slot = self.app.session.load_slot(number)
        if slot is None:
            self.slots[number - 1] = None
            self._read_pictures()
            self._refresh()
            self.app.notify(f"Slot {number} is empty.")
            return
        self.app.load_saved(slot.saved)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen below; draw the three slots and Back."""
        title = "Save to a slot" if self.saving else "Load a slot"
        draw_dialog(surface, self.theme, self.panel, title,
                    "1–3, ↑ ↓ and Enter, or click  ·  Esc to go back")
        for index, item in enumerate(self.menu.items[:SLOTS]):
            self._draw_row(surface, index, item, index == self.menu.focus)
        draw_button(surface, self.theme, self.menu.items[SLOTS], self.menu.focus == SLOTS)

    def _draw_row(self, surface: pygame.Surface, index: int, item: Item, focused: bool) -> None:
        theme, px, pad = self.theme, self.theme.px, self.pad
        pal = theme.palette
        rect = item.rect
        fill, edge, ink, note = pal.panel, pal.button_edge, pal.text, pal.muted
        if not item.enabled:
            fill, edge, ink, note = pal.locked, pal.panel_edge, pal.locked_text, pal.locked_text
        elif focused:
            fill, edge = pal.button_hover, pal.hover_edge
        draw_panel(surface, rect, fill, edge, radius=px(14), width=px(2))
        badge = px(34)
        centre = (rect.x + pad + badge // 2, rect.centery)
        badge_fill = pal.accent if focused else (pal.badge if item.enabled else pal.locked_text)
        pygame.draw.circle(surface, badge_fill, centre, badge // 2)
        mark_ink = pal.on_accent if focused else (pal.badge_text if item.enabled else pal.locked)
        draw_text(surface, theme.font("h3"), str(item.number), mark_ink, center=centre)
        box = self.thumb.copy()
        box.midleft = (rect.x + pad * 2 + badge, rect.centery)
        self._draw_picture(surface, index, box)
        x = box.right + px(16)
        width = rect.right - pad - x
        slot = self.slots[index]
        h3, small = theme.font("h3"), theme.font("small")
        lines: list[tuple[pygame.font.Font, str, tuple[int, int, int]]]
        if slot is None:
            empty = "Save your call here" if self.saving else "Nothing saved here yet"
            lines = [(h3, "Empty slot", ink), (small, empty, note)]
        else:
            made = slot.saved.choices
            lines = [(h3, slot.saved.story_title or slot.saved.story_id, ink),
                     (small, f"Scene: {slot.scene}  ·  {made} choice{'s' * (made != 1)}", note),
                     (small, f"Saved {saved_when(slot.saved.saved) or 'at an unknown time'}",
                      note)]
        y = rect.centery - sum(font.get_linesize() for font, _, _ in lines) // 2
        for font, text, colour in lines:
            draw_text(surface, font, clip_text(font, text, width), colour, topleft=(x, y))
            y += font.get_linesize()

    def _draw_picture(self, surface: pygame.Surface, index: int, box: pygame.Rect) -> None:
        """The slot's picture, fitted to ``box``; a placeholder phone if there is none."""
        pal, px = self.theme.palette, self.theme.px
        draw_panel(surface, box, pal.phone, pal.phone_edge, radius=px(6), width=px(1))
        image = self.pictures[index]
        if image is None:
            handset = pygame.Rect(0, 0, box.h * 3 // 10, box.h * 11 // 20)
            handset.center = box.center
            pygame.draw.rect(surface, pal.phone_edge, handset, width=px(2), border_radius=px(4))
            if self.slots[index] is not None:
                draw_text(surface, self.theme.font("tiny"), "No picture", pal.muted,
                          midbottom=(box.centerx, box.bottom - px(4)))
            return
        if index not in self._fitted:
            self._fitted[index] = _fit(image, box.inflate(-px(4), -px(4)))
        fitted = self._fitted[index]
        surface.blit(fitted, fitted.get_rect(center=box.center))
