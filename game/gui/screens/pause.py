"""The pause menu: Esc over any screen but the title."""

from __future__ import annotations

import pygame

from game.gui.screens.base import Host, Screen
from game.gui.screens.settings import SettingsScreen
from game.gui.widgets import Item, Menu, draw_button, draw_dialog


class PauseScreen(Screen):
    """Resume, restart the story, change the settings, go back to the title, or quit.

    Drawn over the paused screen, which keeps its state (and its call timer
    stops, since only the top screen is updated).
    """

    opaque = False

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        below = app.top
        self.story = below.story
        labels = ["Resume", "Restart this story", "Settings", "Back to title", "Quit"]
        self.actions = ["resume", "restart", "settings", "title", "quit"]
        if self.story is None:
            del labels[1], self.actions[1]
        self.menu = Menu([Item(label, i + 1) for i, label in enumerate(labels)])

    def pauses(self) -> bool:
        """Esc closes the menu instead of opening another."""
        return False

    def layout(self, size: tuple[int, int]) -> None:
        """Centre the panel and stack the buttons in it."""
        super().layout(size)
        px = self.theme.px
        button_h, gap = px(56), px(14)
        count = len(self.menu.items)
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
