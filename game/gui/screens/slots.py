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
from game.gui.screens.dialog_list import DialogList, button_height, button_width, room_width
from game.gui.theme import Colour
from game.gui.widgets import Item, Menu, draw_button, draw_dialog, draw_panel, draw_text, wrap
from game.store.saves import PNG_SIGNATURE, SLOTS, SlotSave

if TYPE_CHECKING:
    from game.engine.compiled import CompiledStory
    from game.engine.state import PlayState

THUMBNAIL_SIZE = (192, 108)
"""The box the window's picture of a call is scaled into, in pixels (its shape is kept)."""
HINT = "1–3, ↑ ↓ and Enter, or click  ·  Esc to go back"
Line = tuple[pygame.font.Font, str, Colour]
"""A line of a slot's text: its font, the text and its colour."""
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
        self.rows = DialogList()
        self.pad, self.thumb = 0, pygame.Rect(0, 0, 0, 0)
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

    def toast_area(self) -> pygame.Rect | None:
        """Notices go at the foot, or over the title when the panel reaches down there."""
        return self.rows.toast_area(self.theme, self.size)

    # ------------------------------------------------------------------ layout
    @property
    def panel(self) -> pygame.Rect:
        """The dialog's panel."""
        return self.rows.panel

    def _text_x(self) -> int:
        """Where a row's text starts, from the row's left edge: after the badge and picture."""
        px = self.theme.px
        return self.pad * 2 + self._badge() + self.thumb.w + px(16)

    def _badge(self) -> int:
        """A row's number badge's size: room for its number."""
        return max(self.theme.px(34), self.theme.font("h3").get_height() + self.theme.px(6))

    def _lines(self, index: int, width: int) -> list[Line]:
        """Slot ``index``'s text, wrapped to ``width`` pixels: its story, scene and time."""
        theme, pal = self.theme, self.theme.palette
        h3, small = theme.font("h3"), theme.font("small")
        enabled = self.menu.items[index].enabled
        ink, note = (pal.text, pal.muted) if enabled else (pal.locked_text, pal.locked_text)
        slot = self.slots[index]
        if slot is None:
            empty = "Save your call here" if self.saving else "Nothing saved here yet"
            parts = [(h3, "Empty slot", ink), (small, empty, note)]
        else:
            made = slot.saved.choices
            parts = [(h3, slot.saved.story_title or slot.saved.story_id, ink),
                     (small, f"Scene: {slot.scene}  ·  {made} choice{'s' * (made != 1)}", note),
                     (small, f"Saved {saved_when(slot.saved.saved) or 'at an unknown time'}",
                      note)]
        return [(font, line, colour) for font, text, colour in parts
                for line in wrap(font, text, width)]

    def layout(self, size: tuple[int, int]) -> None:
        """A panel a little above the middle (notices come up from the foot): three rows that
        scroll if the window is short for them, and Back below them."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        self.pad, self.thumb = px(12), pygame.Rect(0, 0, px(160), px(90))
        wide = max(font.size(text)[0] for index in range(SLOTS)
                   for font, text, _ in self._lines(index, 1 << 30))
        width = min(room_width(theme, size), max(px(656), self._text_x() + wide + self.pad))
        text_w = width - self._text_x() - self.pad
        text_h = max(sum(font.get_linesize() for font, _, _ in self._lines(index, text_w))
                     for index in range(SLOTS))
        row_h = max(self.thumb.h, text_h) + 2 * self.pad
        back = self.menu.items[SLOTS]
        back_h = button_height(theme, px(50)) + px(4)
        back_w = max(px(240), button_width(theme, [back], px(24)))
        self.rows.layout(theme, size, self.title, HINT, (width, row_h), SLOTS, gap=px(10),
                         columns=1, foot=lambda _: px(18) + back_h)
        self.rows.reveal(self.menu.items[:SLOTS], self.menu.focus)
        back.rect = pygame.Rect(0, 0, min(back_w, self.rows.view.w), back_h)
        back.rect.midtop = (self.panel.centerx, self.rows.foot_y + px(18))
        self._fitted.clear()

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Esc or Back closes; a slot saves the call there or loads it."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        if self.rows.wheel(event, self.menu.items[:SLOTS]):
            return
        index = self._back(event) if not self.rows.takes(event) else self.menu.handle(event)
        if event.type == pygame.KEYDOWN:
            self.rows.reveal(self.menu.items[:SLOTS], self.menu.focus)
        if index is None:
            return
        if index == SLOTS:
            self.app.pop()
        elif self.saving:
            self.save(index + 1)
        else:
            self.load(index + 1)

    def _back(self, event: pygame.event.Event) -> int | None:
        """The mouse outside the rows' view: only Back, below it, is there to hover or click."""
        if not self.menu.items[SLOTS].rect.collidepoint(event.pos):
            return None
        self.menu.focus = SLOTS
        return SLOTS if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 else None

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
        self.layout(self.size)  # the new row's text may need more room
        self.app.notify(f"Saved to slot {number}.")

    def load(self, number: int) -> None:
        """Play the call in slot ``number`` (read again: it may have changed on disk)."""
        slot = self.app.session.load_slot(number)
        if slot is None:
            self.slots[number - 1] = None
            self._read_pictures()
            self._refresh()
            self.layout(self.size)
            self.app.notify(f"Slot {number} is empty.")
            return
        self.app.load_saved(slot.saved)

    # ------------------------------------------------------------------ drawing
    @property
    def title(self) -> str:
        """The dialog's title: what picking a slot does."""
        return "Save to a slot" if self.saving else "Load a slot"

    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen below; draw the three slots and Back."""
        draw_dialog(surface, self.theme, self.panel, self.title, HINT)
        self.rows.draw(surface, self.theme, self.menu.items[:SLOTS], self.menu.focus,
                       self._draw_row)
        draw_button(surface, self.theme, self.menu.items[SLOTS], self.menu.focus == SLOTS)

    def _draw_row(self, surface: pygame.Surface, index: int, item: Item, focused: bool) -> None:
        theme, px, pad = self.theme, self.theme.px, self.pad
        pal = theme.palette
        rect = item.rect
        fill, edge = pal.panel, pal.button_edge
        if not item.enabled:
            fill, edge = pal.locked, pal.panel_edge
        elif focused:
            fill, edge = pal.button_hover, pal.hover_edge
        draw_panel(surface, rect, fill, edge, radius=px(14), width=px(2))
        badge = self._badge()
        centre = (rect.x + pad + badge // 2, rect.centery)
        badge_fill = pal.accent if focused else (pal.badge if item.enabled else pal.locked_text)
        pygame.draw.circle(surface, badge_fill, centre, badge // 2)
        mark_ink = pal.on_accent if focused else (pal.badge_text if item.enabled else pal.locked)
        draw_text(surface, theme.font("h3"), str(item.number), mark_ink, center=centre)
        box = self.thumb.copy()
        box.midleft = (rect.x + pad * 2 + badge, rect.centery)
        self._draw_picture(surface, index, box)
        x = rect.x + self._text_x()
        lines = self._lines(index, rect.right - pad - x)
        y = rect.centery - sum(font.get_linesize() for font, _, _ in lines) // 2
        for font, text, colour in lines:
            draw_text(surface, font, text, colour, topleft=(x, y))
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
