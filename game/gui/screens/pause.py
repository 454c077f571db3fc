"""The pause menu: Esc over any screen but the title.

Over a call in progress it also offers to save the call to one of three slots and
to load one (see :mod:`game.gui.screens.slots`); elsewhere it offers to load a slot
when one is filled.
"""

from __future__ import annotations

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.screens.dialog_list import DialogList, button_height, button_width
from game.gui.screens.settings import SettingsScreen
from game.gui.screens.slots import SlotsScreen, as_call
from game.gui.widgets import Item, Menu, draw_button, draw_dialog

TITLE = "Paused"
HINT = "Esc to resume"


def _slot_rows(app: Host) -> list[tuple[str, str]]:
    """The slot buttons to offer after Resume, as (label, action).

    Over a call both, always (a slot saved now can be loaded before the menu closes);
    elsewhere Load, if a slot is filled. None over an assessment's call (its answers
    are final: its autosave alone continues it), in a workshop, a live preview, or
    with saving off.
    """
    session = getattr(app, "session", None)  # a host with no session keeps no saves
    if session is None or not session.save_runs or app.previewing or app.workshop is not None:
        return []
    call = as_call(app.top)
    if call is not None and getattr(call, "locked", False):
        return []  # an assessment's answers are final: no slot to go back to
    if call is not None:
        return [("Save to a slot", "save"), ("Load a slot", "load")]
    return [("Load a slot", "load")] if any(session.slots()) else []


class PauseScreen(Screen):
    """Resume, save or load a slot, restart the story, change the settings, go back to the
    title, or quit.

    Drawn over the paused screen, which keeps its state (and its call timer
    stops, since only the top screen is updated).
    """

    opaque = False

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        below = app.top
        self.story = below.story
        rows = [("Resume", "resume"), *_slot_rows(app), ("Restart this story", "restart"),
                ("Settings", "settings"), ("Back to title", "title"), ("Quit", "quit")]
        if self.story is None:
            rows = [row for row in rows if row[1] != "restart"]
        self.actions = [action for _, action in rows]
        self.menu = Menu([Item(label, number) for number, (label, _) in enumerate(rows, 1)])
        self.rows = DialogList()

    def pauses(self) -> bool:
        """Esc closes the menu instead of opening another."""
        return False

    def toast_area(self) -> pygame.Rect | None:
        """Notices go at the foot, or over the title when the panel reaches down there."""
        return self.rows.toast_area(self.theme, self.size)

    @property
    def panel(self) -> pygame.Rect:
        """The dialog's panel."""
        return self.rows.panel

    def layout(self, size: tuple[int, int]) -> None:
        """Size the buttons to their labels; stack them in the panel (in two columns, or
        scrolling, when they do not fit the window's height)."""
        super().layout(size)
        theme, px = self.theme, self.theme.px
        count = len(self.menu.items)
        # Seven buttons (over a call, with the slots) are a little lower than five, so
        # the panel still fits a 720-pixel-high layout (and so 800x600) with room left.
        least, gap = (px(56), px(14)) if count <= 5 else (px(50), px(10))
        width = max(px(360), button_width(theme, self.menu.items, px(24)))
        self.rows.layout(theme, size, TITLE, HINT, (width, button_height(theme, least)), count,
                         gap=gap, min_width=px(376))
        self.rows.reveal(self.menu.items, self.menu.focus)

    def handle(self, event: pygame.event.Event) -> None:
        """Esc resumes; the buttons do what they say."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        if self.rows.wheel(event, self.menu.items) or not self.rows.takes(event):
            return  # a button scrolled out of view is not under the mouse
        index = self.menu.handle(event)
        if event.type == pygame.KEYDOWN:
            self.rows.reveal(self.menu.items, self.menu.focus)
        if index is None:
            return
        action = self.actions[index]
        if action == "resume":
            self.app.pop()
        elif action == "restart" and self.story is not None:
            self.app.play(self.story)
        elif action in ("save", "load"):
            self.app.push(SlotsScreen(self.app, saving=action == "save"))
        elif action == "settings":
            self.app.push(SettingsScreen(self.app))
        elif action == "title":
            self.app.to_title()
        else:
            self.app.quit()

    def draw(self, surface: pygame.Surface) -> None:
        """Dim the screen below and draw the menu."""
        theme = self.theme
        draw_dialog(surface, theme, self.panel, TITLE, HINT)
        self.rows.draw(surface, theme, self.menu.items, self.menu.focus, self._draw_row)

    def _draw_row(self, surface: pygame.Surface, index: int, item: Item, focused: bool) -> None:
        draw_button(surface, self.theme, item, focused)
