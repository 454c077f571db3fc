"""The screen contract the app's stack relies on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine.compiled import CompiledStory

if TYPE_CHECKING:
    from game.gui.app import App
    from game.gui.theme import Theme


class Screen:
    """One screen on the app's stack.

    The app calls :meth:`layout` when the screen appears and whenever the window
    changes size, :meth:`handle` for each event while the screen is on top,
    :meth:`update` once a frame while it is on top, and :meth:`draw` every frame.
    A screen that is not ``opaque`` (the pause menu) is drawn over the one below.
    """

    opaque = True
    story: CompiledStory | None = None
    """The story this screen belongs to, so the pause menu can offer a restart."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.size = app.surface.get_size()

    @property
    def theme(self) -> Theme:
        """The app's theme (shared by every screen)."""
        return self.app.theme

    def layout(self, size: tuple[int, int]) -> None:
        """Place everything for a window of ``size`` pixels."""
        self.size = size

    def handle(self, event: pygame.event.Event) -> None:
        """React to one input event."""

    def update(self, dt_ms: int) -> None:
        """Advance animations by ``dt_ms`` milliseconds."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw one frame."""

    def wake_in(self) -> int | None:
        """Milliseconds until the screen needs a frame without input; None to sleep."""
        return None

    def pauses(self) -> bool:
        """Return True if Esc on this screen opens the pause menu."""
        return True
