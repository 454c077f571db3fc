"""Who is playing: an optional class code and name, typed in the window.

A class plays one student after another on school machines, with no terminal.
Opened with P on the title screen (or its player button). Both fields are
optional; Enter saves them, so the student's runs are stored under them and
they get a campaign of their own (see :meth:`game.gui.session.Session.keep_player`).
They are kept for the next window on this machine until someone presses Clear
(or Delete), which empties both at once and saves that: the next run is anonymous.

Typing arrives as ``TEXTINPUT`` events (so accents and input methods work);
control characters are dropped and each field stops at
:data:`game.store.settings.PLAYER_TEXT_MAX` characters. Focus moves through the
two fields and the three buttons with Tab, Shift+Tab, Up and Down (Left and Right
along the buttons); the mouse focuses a field or presses a button.
"""

from __future__ import annotations

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.widgets import (
    ACTIVATE_KEYS,
    Item,
    clip_text,
    dialog_top,
    draw_button,
    draw_dialog,
    draw_lines,
    draw_panel,
    draw_text,
    fit_lines,
    text_block_height,
    wrap,
)
from game.store.settings import PLAYER_TEXT_MAX, player_text

TITLE = "Who is playing?"
HINT = "Tab or ↑ ↓ to move  ·  Enter to save  ·  Del to clear  ·  Esc to cancel"
INTRO = (
    "Both are optional. Your runs are stored under them for your teacher, and you get "
    "a campaign of your own. They stay on this machine until someone presses Clear."
)
LABELS = ("Class code", "Your name")
PLACEHOLDERS = ("optional, e.g. 11B", "optional, e.g. Ana")
SAVE, CLEAR, CANCEL = "Save", "Clear", "Cancel"
CLEARED = "Cleared: the next run is anonymous."
_SPACING = 1.15
"""Line spacing of the intro."""
MARK = "✎  "
"""Before who is playing on the title's button that changes it."""


def who_line(class_code: str | None, name: str | None) -> str:
    """Return who is playing, in one line: 'Playing as Ana · class 11B' or 'Playing anonymously'."""
    if name and class_code:
        return f"Playing as {name} · class {class_code}"
    if name:
        return f"Playing as {name}"
    if class_code:
        return f"Playing in class {class_code}"
    return "Playing anonymously"


def button_label(font: pygame.font.Font, class_code: str | None, name: str | None,
                 width: int) -> str:
    """Return the title's player button label that fits ``width`` pixels.

    'Playing as Ana · class 11B' where there is room, else 'Ana · 11B', cut short
    with an ellipsis if even that is too wide.
    """
    label = MARK + who_line(class_code, name)
    if font.size(label)[0] > width:
        label = MARK + (" · ".join(t for t in (name, class_code) if t) or "Anonymous")
    return clip_text(font, label, width)


def _typed(text: str) -> str:
    """Return what of ``text`` may go into a field: no control characters, tabs or newlines."""
    return "".join(ch for ch in text if ch.isprintable())


def _tail(font: pygame.font.Font, text: str, width: int) -> str:
    """Return the end of ``text`` that fits ``width`` pixels (an ellipsis marks the cut)."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size("…" + text)[0] > width:
        text = text[1:]
    return "…" + text


def _rows(buttons: list[Item], width: int, gap: int) -> list[list[Item]]:
    """Group ``buttons`` (sized to their labels) in order into rows no wider than ``width``."""
    rows: list[list[Item]] = []
    used = width + 1
    for item in buttons:
        if rows and used + gap + item.rect.w <= width:
            rows[-1].append(item)
            used += gap + item.rect.w
        else:
            rows.append([item])
            used = item.rect.w
    return rows


def _place_row(row: list[Item], x: int, y: int, width: int, gap: int) -> None:
    """Set the rects of one row of buttons from ``(x, y)``: the first takes the spare width."""
    spare = width - sum(item.rect.w for item in row) - gap * (len(row) - 1)
    for index, item in enumerate(row):
        item.rect = pygame.Rect(x, y, item.rect.w + spare * (index == 0), item.rect.h)
        x = item.rect.right + gap


class PlayerScreen(Screen):
    """Two text fields (class code, name) and Save, Clear, Cancel, over the title.

    ``focus`` is 0 or 1 for a field, 2 to 4 for a button.
    """

    opaque = False
    panel: pygame.Rect
    intro: list[str]
    """The intro's lines (cut short when the window is too small for all of them)."""
    content_top: int
    """How far below the panel's top the intro starts (under the title and hint)."""
    field_h: int
    """A text field's height: room for a line of the body text it is typed in."""
    field_step: int
    rows: list[list[Item]]
    """The buttons, in rows as they fit side by side."""

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        session = app.session
        self.values = [session.class_code or "", session.name or ""]
        self.buttons = [Item(SAVE, primary=True), Item(CLEAR), Item(CANCEL)]
        self.focus = 0
        self.hover: int | None = None
        self.cleared = False
        self.settled = False
        pygame.key.start_text_input()

    @property
    def fields(self) -> int:
        """How many text fields there are (the buttons' focus indices follow them)."""
        return len(self.values)

    def pauses(self) -> bool:
        """Esc cancels instead of opening the pause menu."""
        return False

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """Centre the panel: the intro, two labelled fields, then the buttons.

        The panel widens if it would be taller than the window; if it still is, the
        intro is cut to the lines that fit (the fields and buttons always show).
        """
        super().layout(size)
        theme, px = self.theme, self.theme.px
        small, label = theme.font("small"), theme.font("small_bold")
        room = size[1] - px(20)
        for width in (min(px(620), size[0] - px(40)), size[0] - px(40)):
            self._measure(width)
            if self._height() <= room:
                break
        inner = self.panel.w - px(80)
        over = self._height() - room
        if over > 0:  # the intro gives way, down to nothing
            step = round(small.get_linesize() * _SPACING)
            keep = max(0, len(self.intro) - (over + step - 1) // step)
            self.intro = fit_lines(small, self.intro, keep, inner)
        self.panel.h = min(self._height(), room)
        self.panel.center = (size[0] // 2, size[1] // 2)
        x = self.panel.x + px(40)
        self.intro_y = self.panel.y + self.content_top
        y = self.intro_y + self._intro_h()
        self.label_ys: list[int] = []
        self.boxes: list[pygame.Rect] = []
        for _ in range(self.fields):
            self.label_ys.append(y)
            top = y + label.get_linesize() + px(6)
            self.boxes.append(pygame.Rect(x, top, inner, self.field_h))
            y += self.field_step
        y += px(8)
        for row in self.rows:
            _place_row(row, x, y, inner, px(14))
            y += row[0].rect.h + px(14)
        self.status_y = y
        self._follow_focus()

    def _measure(self, width: int) -> None:
        """Wrap the intro and arrange the buttons in rows for a panel ``width`` pixels wide."""
        theme, px = self.theme, self.theme.px
        inner = width - px(80)
        self.panel = pygame.Rect(0, 0, width, 0)
        self.content_top = dialog_top(theme, width, TITLE, HINT)
        self.intro = wrap(theme.font("small"), INTRO, inner)
        self.field_h = max(px(50), theme.font("body").get_linesize() + px(14))
        self.field_step = theme.font("small_bold").get_linesize() + px(6) + self.field_h + px(16)
        h3 = theme.font("h3")
        height = max(px(52), h3.get_linesize() + px(16))
        for item in self.buttons:
            item.rect = pygame.Rect(0, 0, max(px(120), h3.size(item.label)[0] + px(48)), height)
        self.rows = _rows(self.buttons, inner, px(14))

    def _intro_h(self) -> int:
        """The intro's height and the gap under it (none when it is cut to nothing)."""
        if not self.intro:
            return 0
        return text_block_height(self.theme.font("small"), self.intro, _SPACING) + self.theme.px(18)

    def _height(self) -> int:
        """The panel's height: title and hint, intro, fields, buttons and the status line."""
        px = self.theme.px
        buttons = sum(row[0].rect.h + px(14) for row in self.rows)
        return (self.content_top + self._intro_h() + self.fields * self.field_step + px(8) + buttons
                + self.theme.font("small").get_linesize() + px(24))

    def _follow_focus(self) -> None:
        """Tell an input method where the focused field is (its candidates show beside it)."""
        if self.focus < self.fields:
            pygame.key.set_text_input_rect(self.boxes[self.focus])

    # ------------------------------------------------------------------ input
    def update(self, dt_ms: int) -> None:
        """After the frame that opened the entry, typing goes into the fields."""
        self.settled = True

    def handle(self, event: pygame.event.Event) -> None:
        """Type into the focused field; move focus; Enter saves, Delete clears, Esc cancels."""
        if event.type == pygame.TEXTINPUT:
            if self.settled:  # not the letter of the key that opened this (P on the title)
                self._type(event.text)
        elif event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEMOTION:
            self.hover = next((i for i, b in enumerate(self.buttons)
                               if b.rect.collidepoint(event.pos)), None)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            self._click(event.pos)

    def _type(self, text: str) -> None:
        if self.focus >= self.fields:
            return
        value = self.values[self.focus] + _typed(text)
        self.values[self.focus] = value[:PLAYER_TEXT_MAX]
        self.cleared = False

    def _key(self, event: pygame.event.Event) -> None:
        key = event.key
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        if key == pygame.K_ESCAPE:
            self.close()
        elif key in ACTIVATE_KEYS:  # in a field, Enter saves
            self.activate(self.focus - self.fields if self.focus >= self.fields else 0)
        elif key == pygame.K_DELETE:
            self.clear()
        elif key == pygame.K_BACKSPACE and self.focus < self.fields:
            self._backspace(word=bool(event.mod & pygame.KMOD_CTRL))
        elif key == pygame.K_UP or (key == pygame.K_TAB and shift):
            self._move(-1)
        elif key in (pygame.K_DOWN, pygame.K_TAB):
            self._move(1)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT) and self.focus >= self.fields:
            step = 1 if key == pygame.K_RIGHT else -1
            self.focus = self.fields + (self.focus - self.fields + step) % len(self.buttons)

    def _move(self, step: int) -> None:
        """Move the focus ``step`` stops through the fields and buttons, round and round."""
        self.focus = (self.focus + step) % (self.fields + len(self.buttons))
        self._follow_focus()

    def _backspace(self, *, word: bool) -> None:
        value = self.values[self.focus]
        if word:  # Ctrl+Backspace: back to the start of the word
            value = value.rstrip()
            value = value[: value.rfind(" ") + 1]
        else:
            value = value[:-1]
        self.values[self.focus] = value
        self.cleared = False

    def _click(self, pos: tuple[int, int]) -> None:
        for index, box in enumerate(self.boxes):
            if box.collidepoint(pos):
                self.focus = index
                self._follow_focus()
                return
        for index, item in enumerate(self.buttons):
            if item.rect.collidepoint(pos):
                self.focus = self.fields + index
                self.activate(index)
                return

    # ------------------------------------------------------------------ actions
    def activate(self, index: int) -> None:
        """Press button ``index``: 0 saves, 1 clears, 2 cancels."""
        [self.save, self.clear, self.close][index]()

    def save(self) -> None:
        """Play as the class code and name typed (anonymous if both are empty); close."""
        self.app.session.keep_player(*self.values)
        self.app.refresh_title()  # another player: their button, and their own saved call
        self.close()

    def clear(self) -> None:
        """Empty both fields and save that at once: the next run is anonymous."""
        self.values = ["" for _ in self.values]
        self.app.session.keep_player(None, None)
        self.app.refresh_title()
        self.cleared = True
        self.focus = 0
        self._follow_focus()

    def close(self) -> None:
        """Go back to the title (typing stops going anywhere)."""
        pygame.key.stop_text_input()
        self.app.pop()

    # ------------------------------------------------------------------ drawing
    def status(self) -> str:
        """The line under the buttons: who the fields say is playing, or that they were cleared."""
        if self.cleared:
            return CLEARED
        return who_line(player_text(self.values[0]), player_text(self.values[1]))

    def draw(self, surface: pygame.Surface) -> None:
        """Dim the title; draw the intro, the fields with a caret, the buttons and the status."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_dialog(surface, theme, self.panel, TITLE, HINT)
        small, label, body = theme.font("small"), theme.font("small_bold"), theme.font("body")
        x = self.panel.x + px(40)
        draw_lines(surface, small, self.intro, pal.muted, x, self.intro_y, spacing=_SPACING)
        for index, box in enumerate(self.boxes):
            focused = index == self.focus
            draw_text(surface, label, LABELS[index], pal.text if focused else pal.muted,
                      topleft=(x, self.label_ys[index]))
            draw_panel(surface, box, pal.background, pal.hover_edge if focused else pal.button_edge,
                       radius=px(10), width=px(2) if focused else px(1))
            room = box.w - px(36)
            value = self.values[index]
            if value:
                text = draw_text(surface, body, _tail(body, value, room), pal.text,
                                 midleft=(box.x + px(16), box.centery))
                caret_x = text.right + px(2)
            else:
                draw_text(surface, small, PLACEHOLDERS[index], pal.faint,
                          midleft=(box.x + px(16), box.centery))
                caret_x = box.x + px(15)
            if focused:
                caret = pygame.Rect(caret_x, 0, px(2), body.get_linesize() - px(4))
                caret.centery = box.centery
                pygame.draw.rect(surface, pal.accent, caret)
        for index, item in enumerate(self.buttons):
            focused = self.fields + index == self.focus or index == self.hover
            draw_button(surface, theme, item, focused)
        colour = pal.good if self.cleared else pal.accent
        status = clip_text(small, self.status(), self.panel.w - px(48))
        draw_text(surface, small, status, colour, midtop=(self.panel.centerx, self.status_y))
