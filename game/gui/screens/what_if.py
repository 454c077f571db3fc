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
from game.gui.screens.projector import (
    WorkshopScreen,
    draw_hint_bar,
    place_buttons,
    render_page,
)
from game.gui.widgets import (
    ACTIVATE_KEYS,
    Item,
    Menu,
    draw_button,
    draw_chip,
    draw_lines,
    draw_spinner,
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


class WhatIfScreen(WorkshopScreen):
    """For each answer: the best and worst door and score still reachable, and its feedback."""

    hints = ("↑ ↓ Page Up/Down: scroll", "W, Enter or Esc: back")

    def __init__(self, app: Host, story: CompiledStory, state: PlayState,
                 workshop: Workshop) -> None:
        super().__init__(app, story, workshop)
        self.lookup = _Lookup(story, state)
        self.found: list[WhatIf] | None = None
        self.page = pygame.Surface((1, 1))
        self.scroll = 0
        self.waited = 0
        self.menu = Menu([Item("Back", primary=True)], vertical=False)

    def pauses(self) -> bool:
        """Esc closes "what if" rather than pausing."""
        return False

    def update(self, dt_ms: int) -> None:
        """Pick up the figures once they are worked out."""
        self.waited += dt_ms
        if self.found is None and self.lookup.done:
            if self.lookup.error is not None:
                raise self.lookup.error
            self.found = self.lookup.found
            self.layout(self.size)

    def wake_in(self) -> int | None:
        """Poll until the figures are there."""
        return None if self.found is not None else 50

    def layout(self, size: tuple[int, int]) -> None:
        """Render the answers once onto a page that scrolls."""
        super().layout(size)
        place_buttons(self.theme, self.menu, self.area)
        self.view = pygame.Rect(self.area.x, self.area.y, self.area.w, 0)
        header = self.theme.font("small_bold").get_linesize() * 2 + self.theme.px(8)
        self.view.y += header
        self.view.h = self.menu.items[0].rect.y - self.theme.px(16) - self.view.y
        if self.found is not None:
            self.page = render_page(self.theme, self.view.w, self._draw_page)
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    @property
    def max_scroll(self) -> int:
        """How far the page can scroll."""
        return max(0, self.page.get_height() - self.view.h)

    def handle(self, event: pygame.event.Event) -> None:
        """Scroll, or go back to where the facilitator was."""
        step = self.theme.px(60)
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_w, pygame.K_ESCAPE,
                                                          pygame.K_BACKSPACE, *ACTIVATE_KEYS):
            self.app.pop()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.scroll += step if event.key == pygame.K_DOWN else -step
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN,
                                                            pygame.K_SPACE):
            page = self.view.h * 4 // 5
            self.scroll += -page if event.key == pygame.K_PAGEUP else page
        elif event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * step
        elif self.menu.handle(event) is not None:
            self.app.pop()
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    def _draw_page(self, surface: pygame.Surface, width: int) -> int:
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
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.background)
        self.draw_header(surface, "WHAT IF…")
        if self.found is None:
            centre = self.view.center
            draw_spinner(surface, theme, centre, self.waited)
            draw_text(surface, theme.font("h3"), "Working out where each answer leads…",
                      pal.muted, midtop=(centre[0], centre[1] + px(44)))
        else:
            surface.blit(self.page, self.view.topleft,
                         pygame.Rect(0, self.scroll, self.view.w, self.view.h))
            if self.scroll < self.max_scroll:
                draw_text(surface, theme.font("bold"), "↓ more below", pal.accent,
                          midleft=(self.area.x, self.menu.items[0].rect.centery))
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        draw_hint_bar(surface, theme, self.hints)
