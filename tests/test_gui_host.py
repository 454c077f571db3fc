"""A screen needs only its Host, not the whole app.

Screens are written against :class:`game.gui.screens.base.Host`; here the pause menu
runs on a small host that keeps a stack and records what it is asked to do, with
no window, no session and no title screen. (The window tests in ``test_gui*.py``
drive the same screens inside the real app.)
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.analysis.load import load_story
from game.engine.compiled import CompiledStory
from game.gui.screens.base import Screen
from game.gui.screens.pause import PauseScreen
from game.gui.theme import Theme

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.yaml"


class StackHost:
    """The part of the app the pause menu uses: a stack, and a log of the actions."""

    def __init__(self, below: CompiledStory | None = None) -> None:
        self.surface = pygame.Surface((1280, 720))
        self.theme = Theme()
        self.stack: list[Screen] = [Screen(self)]  # what the menu pauses
        self.stack[0].story = below
        self.asked: list[str] = []
        self.played: list[CompiledStory] = []

    @property
    def top(self) -> Screen:
        return self.stack[-1]

    def push(self, screen: Screen) -> None:
        self.stack.append(screen)

    def pop(self) -> None:
        self.asked.append("pop")
        self.stack.pop()

    def play(self, story: CompiledStory) -> None:
        self.played.append(story)

    def to_title(self) -> None:
        self.asked.append("to_title")

    def quit(self) -> None:
        self.asked.append("quit")


def _key(key: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="")


def test_the_pause_menu_over_a_story_restarts_that_story() -> None:
    story = load_story(TINY).compiled
    assert story is not None
    host = StackHost(below=story)
    menu = PauseScreen(host)
    menu.layout(host.surface.get_size())
    labels = [item.label for item in menu.menu.items]
    assert labels == ["Resume", "Restart this story", "Settings", "Back to title", "Quit"]
    menu.handle(_key(pygame.K_2))
    assert host.played == [story]


def test_the_pause_menu_over_no_story_offers_no_restart_and_esc_resumes() -> None:
    host = StackHost()
    menu = PauseScreen(host)
    host.push(menu)
    assert "Restart this story" not in [item.label for item in menu.menu.items]
    menu.handle(_key(pygame.K_ESCAPE))
    assert host.asked == ["pop"] and host.top is not menu
    menu.handle(_key(pygame.K_4))  # "Quit", now that restart is not offered
    assert host.asked == ["pop", "quit"]
