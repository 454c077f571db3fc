"""The pause menu: Esc over any screen but the title.

Over a call in progress it also offers to save the call to one of three slots and
to load one (see :mod:`game.gui.screens.slots`); elsewhere it offers to load a slot
when one is filled.
"""

from __future__ import annotations

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.screens.settings import SettingsScreen
from game.gui.screens.slots import SlotsScreen, as_call
from game.gui.widgets import Item, Menu, draw_button, draw_dialog


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

    def pauses(self) -> bool:
        """Esc closes the menu instead of opening another."""
        return False

    def layout(self, size: tuple[int, int]) -> None:
        """Centre the panel and stack the buttons in it."""
        super().layout(size)
        px = self.theme.px
        count = len(self.menu.items)
        # Seven buttons (over a call, with the slots) are a little lower than five, so
        # the panel still fits a 720-pixel-high layout (and so 800x600) with room left.
        button_h, gap = (px(56), px(14)) if count <= 5 else (px(50), px(10))
        self.panel = pygame.Rect(0, 0, px(440), px(130) + count * (button_h + gap) + px(20))
        self.panel.center = (size[0] // 2, size[1] // 2)
        y = self.panel.y + px(120)
        for item in self.menu.items:
            item.rect = pygame.Rect(self.panel.x + px(40), y, self.panel.w - px(80), button_h)
            y += button_h + gap

    def handle(self, event: pygame.event.Event) -> None:
        """Esc resumes; the buttons do what they say."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.pop()
            return
        index = self.menu.handle(event)
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
        draw_dialog(surface, theme, self.panel, "Paused", "Esc to resume")
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
