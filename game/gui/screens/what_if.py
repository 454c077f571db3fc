""""What if" in a workshop: where each answer of a decision can still lead.

For each answer, the best and the worst door and score still reachable after it,
and its feedback line, from the story's exact analysis
(:func:`game.classroom.workshop.what_if`), worked out once on a worker thread
(the analysis may still be warming up when W is pressed), never per frame.
"""

from __future__ import annotations

import pygame

from game.classroom.workshop import WhatIf, Workshop, what_if
from game.engine.compiled import CompiledStory
from game.engine.state import PlayState
from game.gui.screens.base import Host
from game.gui.screens.projector import PageScreen
from game.gui.widgets import (
    ACTIVATE_KEYS,
    Item,
    Menu,
    draw_chip,
    draw_lines,
    draw_text,
    wrap,
)
from game.gui.worker import Worker


class _Lookup(Worker):
    """Works out "what if" for one decision off the frame loop (the analysis may be warming)."""

    def __init__(self, story: CompiledStory, state: PlayState) -> None:
        self.story, self.state = story, state
        self.found: list[WhatIf] = []
        self.error: Exception | None = None
        super().__init__("callback-what-if")
        self._start()

    def _run(self) -> None:
        try:
            self.found = what_if(self.story, self.state)
        except Exception as error:  # handed to the window's crash screen
            self.error = error


class WhatIfScreen(PageScreen):
    """For each answer: the best and worst door and score still reachable, and its feedback."""

    hints = ("↑ ↓ Page Up/Down: scroll", "W, Enter or Esc: back")
    waiting = "Working out where each answer leads…"

    def __init__(self, app: Host, story: CompiledStory, state: PlayState,
                 workshop: Workshop) -> None:
        super().__init__(app, story, workshop)
        self.lookup = _Lookup(story, state)
        self.found: list[WhatIf] | None = None
        self.menu = Menu([Item("Back", primary=True)], vertical=False)

    @property
    def ready(self) -> bool:
        """True once the figures are worked out."""
        return self.found is not None

    def pauses(self) -> bool:
        """Esc closes "what if" rather than pausing."""
        return False

    def update(self, dt_ms: int) -> None:
        """Pick up the figures once they are worked out."""
        super().update(dt_ms)
        if self.found is None and self.lookup.done:
            if self.lookup.error is not None:
                raise self.lookup.error
            self.found = self.lookup.found
            self.layout(self.size)

    def handle(self, event: pygame.event.Event) -> None:
        """Scroll, or go back to where the facilitator was."""
        back = event.type == pygame.KEYDOWN and event.key in (
            pygame.K_w, pygame.K_ESCAPE, pygame.K_BACKSPACE, *ACTIVATE_KEYS)
        if back or (not self.scroll_with(event) and self.menu.handle(event) is not None):
            self.app.pop()

    def draw_page(self, surface: pygame.Surface, width: int) -> int:
        """Each answer: its words, its best and worst door and score, its feedback."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        font, small, bold = theme.font("body"), theme.font("small"), theme.font("small_bold")
        y = 0
        for found in self.found or []:
            ink = pal.text if found.available else pal.locked_text
            draw_text(surface, theme.font("h2"), str(found.number), pal.accent, topleft=(0, y))
            x = px(64)
            y = draw_lines(surface, font, wrap(font, found.text, width - x), ink, x, y)
            if not found.available:
                y = draw_lines(surface, small, ["Locked here."], pal.locked_text, x, y + px(6))
            elif found.best is None or found.best_door is None or found.worst_door is None:
                y = draw_lines(surface, small, ["No ending can be reached after this."],
                               pal.bad, x, y + px(6))
            else:
                y += px(10)
                left, bottom = x, y
                for label, door, score in (("Best", found.best_door, found.best),
                                           ("Worst", found.worst_door, found.worst)):
                    if left > x and left + bold.size(f"{label}: door closed  00")[0] + px(60) > \
                            width:
                        left, y = x, bottom + px(8)  # a narrow window: one per line
                    text = draw_text(surface, bold, f"{label}:", pal.text, topleft=(left, y))
                    chip = draw_chip(surface, bold, f"door {door.value}", pal.background,
                                     pal.outcome(door), (px(12), px(2)),
                                     topleft=(text.right + px(14), y))
                    score_at = draw_text(surface, bold, f"{score}", pal.text,
                                         topleft=(chip.right + px(14), y))
                    left, bottom = score_at.right + px(56), chip.bottom
                y = bottom + px(8)
            if found.feedback:
                y = draw_lines(surface, small, wrap(small, found.feedback, width - x), pal.muted,
                               x, y + px(4))
            y += px(30)
        return y

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the page (or a spinner while it is worked out), the button and the hints."""
        self.draw_screen(surface, "WHAT IF…")
