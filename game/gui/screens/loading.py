"""A calm 'Getting the call ready' screen while a large story is checked before play."""

from __future__ import annotations

import pygame

from game.gui.prepare import PlayCheck
from game.gui.screens.base import Host, Screen
from game.gui.widgets import draw_spinner, draw_text


class LoadingScreen(Screen):
    """Waits for a :class:`PlayCheck`, then plays the story or shows its problems.

    Args:
        app: The app.
        check: The check being waited for.
        acts: Play the result (:meth:`App.start_checked`) when it arrives; False
            when someone else takes it (the live preview polls its own check).

    Esc goes back to the title; the check's result is then simply not used.
    """

    def __init__(self, app: Host, check: PlayCheck, *, acts: bool = True) -> None:
        super().__init__(app)
        self.check = check
        self.acts = acts
        self.waited = 0
        story = app.session.load(check.path).story
        self.name = story.title if story is not None else check.path.name

    def pauses(self) -> bool:
        """Esc goes back to the title instead."""
        return False

    def handle(self, event: pygame.event.Event) -> None:
        """Esc: back to the title."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.to_title()

    def update(self, dt_ms: int) -> None:
        """Move on once the check has finished."""
        self.waited += dt_ms
        if self.acts and self.check.done and self.check.result is not None:
            self.app.start_checked(self.check.result)

    def wake_in(self) -> int | None:
        """Poll the check (and turn the spinner)."""
        return 50

    def draw(self, surface: pygame.Surface) -> None:
        """A spinner and one line of text."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.backdrop)
        w, h = surface.get_size()
        centre = (w // 2, h // 2 - px(30))
        draw_spinner(surface, theme, centre, self.waited)
        text = f"Getting “{self.name}” ready…"
        draw_text(surface, theme.font("h3"), text, pal.muted, midtop=(w // 2, centre[1] + px(44)))
        draw_text(
            surface, theme.font("tiny"), "Esc to go back", pal.faint, midbottom=(w // 2, h - px(22))
        )
