"""The debrief: the score, the door, the meters, and every choice explained.

The left column is the summary (score, door outcome, "you could have reached N",
meter bars); the right column scrolls through the details (see
:mod:`game.gui.screens.details`): the path beside the best path, and each choice
with a "Try another answer" button (or its number key, 1-9) that replays the run
to that decision to answer it again. Until the run has been scored in the
background the screen says so, calmly, instead of freezing.
"""

from __future__ import annotations

from types import MappingProxyType

import pygame

from game.engine.compiled import CompiledStory
from game.engine.scoring import Scorecard
from game.gui.runs import FinishedRun, Retry
from game.gui.screens.base import Host, Screen
from game.gui.screens.details import Details
from game.gui.theme import Colour
from game.gui.widgets import (
    Item,
    Menu,
    clip_text,
    draw_button,
    draw_chip,
    draw_lines,
    draw_meter,
    draw_panel,
    draw_spinner,
    draw_text,
    number_of_key,
    wrap,
)
from game.story.model import Outcome

OUTCOME_TEXT = MappingProxyType(
    {
        Outcome.CLOSED: "They would rather not hear from you again.",
        Outcome.SHUT: "A neutral note on file, soon forgotten.",
        Outcome.AJAR: "You are in their talent pool.",
        Outcome.OPEN: "Plausibly the first call when a new role opens.",
    }
)
_SCROLL = MappingProxyType({pygame.K_UP: 1, pygame.K_DOWN: -1})
_PAGE = MappingProxyType({pygame.K_PAGEUP: 1, pygame.K_PAGEDOWN: -1})


class DebriefScreen(Screen):
    """The scorecard of a finished run, with Play again, Back to title (and Next story).

    ``retry``: the run this one retried a decision of; the details say what changed.
    """

    story: CompiledStory

    def __init__(self, app: Host, story: CompiledStory, run: FinishedRun,
                 retry: Retry | None = None) -> None:
        super().__init__(app)
        self.story = story
        self.run = run
        self.retry = retry
        self.tries: list[pygame.Rect] = []
        """Each decision's "Try another answer" button, in the details column's pixels."""
        self.card: Scorecard | None = None
        self.next_story = app.session.next_in_campaign(story)
        items = [Item("Play again"), Item("Back to title", primary=self.next_story is None)]
        if self.next_story is not None:
            items.append(Item("Next story  →", primary=True))
        self.menu = Menu(items, vertical=False, focus=len(items) - 1)
        self.scroll = 0
        self.bars: list[tuple[str, pygame.Rect, pygame.Rect]] = []
        self.details = pygame.Surface((1, 1))
        self.waited = 0

    @property
    def ready(self) -> bool:
        """Return True once the scorecard is there to show."""
        return self.card is not None

    def update(self, dt_ms: int) -> None:
        """Pick up the scorecard when the background scoring is done."""
        self.waited += dt_ms
        if self.card is None and self.run.done and self.run.card is not None:
            self.card = self.run.card
            self.layout(self.size)

    def wake_in(self) -> int | None:
        """Poll for the scorecard; sleep once it is shown."""
        return None if self.ready else 50

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """Split the window into header, summary, details and buttons."""
        super().layout(size)
        px = self.theme.px
        w, h = size
        margin = px(36)
        self.header_y = margin
        top = margin + self.theme.font("small_bold").get_linesize() + px(52)
        button_h = px(54)
        bottom = h - margin - button_h - px(22)
        left_w = max(px(300), min(px(440), round(w * 0.36)))
        self.left = pygame.Rect(margin, top, left_w, bottom - top)
        self.right = pygame.Rect(self.left.right + px(40), top, 0, bottom - top)
        self.right.w = w - margin - self.right.x
        right = w - margin
        widths = {"Play again": px(190), "Back to title": px(220)}
        for item in reversed(self.menu.items):
            item.rect = pygame.Rect(0, 0, widths.get(item.label, px(230)), button_h)
            item.rect.bottomright = (right, h - margin)
            right = item.rect.x - px(14)
        self.hint_width = right - margin - px(10)
        if self.card is not None:
            details = Details(self.theme, self.story.model, self.card, self.run.carried,
                              self.run.note, best=self.run.best,
                              best_score=self.run.best_score, retry=self.retry)
            self.details = details.render(self.right.w - px(18))
            self.tries = details.try_rects
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    @property
    def max_scroll(self) -> int:
        """How far the details column can scroll."""
        return max(0, self.details.get_height() - self.right.h)

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Scroll with the wheel or keys; the buttons take click, arrows and Enter."""
        step = self.theme.px(48)
        if event.type == pygame.MOUSEWHEEL:
            self.scroll -= event.y * step
        elif event.type == pygame.KEYDOWN and event.key in _SCROLL:
            self.scroll -= _SCROLL[event.key] * step
        elif event.type == pygame.KEYDOWN and event.key in _PAGE:
            self.scroll -= _PAGE[event.key] * self.right.h * 4 // 5
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_HOME, pygame.K_END):
            self.scroll = 0 if event.key == pygame.K_HOME else self.max_scroll
        elif (number := self._try_hit(event)) is not None:
            self.try_again(number)
        else:
            self._act(self.menu.handle(event))
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    def _try_hit(self, event: pygame.event.Event) -> int | None:
        """The decision whose "Try another answer" this event presses (1-9 or a click)."""
        if self.card is None:
            return None
        if event.type == pygame.KEYDOWN:
            number = number_of_key(event.key)
            return number if number is not None and number <= len(self.tries) else None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and \
                self.right.collidepoint(event.pos):
            spot = (event.pos[0] - self.right.x, event.pos[1] - self.right.y + self.scroll)
            return next((i + 1 for i, r in enumerate(self.tries) if r.collidepoint(spot)), None)
        return None

    def try_again(self, number: int) -> None:
        """Replay this run to decision ``number`` and answer it again."""
        assert self.card is not None
        decision = self.card.decisions[number - 1]
        self.app.try_again(self.story, self.run.state, Retry(
            number, decision.scene, decision.choice, decision.text, self.card.score,
            self.card.outcome))

    def _act(self, index: int | None) -> None:
        if index == 0:
            self.app.play(self.story)
        elif index == 1:
            self.app.to_title()
        elif index == 2 and self.next_story is not None:
            self.app.open_story(self.next_story)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Draw the header, the summary, the scrolled details and the buttons."""
        theme = self.theme
        pal = theme.palette
        surface.fill(pal.background)
        x = self.left.x
        y = draw_lines(surface, theme.font("small_bold"), ["DEBRIEF"], pal.faint, x, self.header_y)
        h1 = theme.font("h1")
        draw_text(
            surface,
            h1,
            clip_text(h1, self.story.model.title, self.size[0] - 2 * x),
            pal.text,
            topleft=(x, y),
        )
        if self.card is None:
            self._draw_waiting(surface)
        else:
            self._draw_summary(surface, self.card)
            view = self.right
            surface.blit(self.details, view.topleft, pygame.Rect(0, self.scroll, view.w, view.h))
            if self.max_scroll:
                self._draw_scrollbar(surface)
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        hint = "1–9 try another answer  ·  ↑ ↓ scroll  ·  ← → and Enter  ·  Esc pause"
        if theme.font("tiny").size(hint)[0] <= self.hint_width:
            draw_text(
                surface,
                theme.font("tiny"),
                hint,
                pal.faint,
                midleft=(self.left.x, self.menu.items[0].rect.centery),
            )

    def _draw_waiting(self, surface: pygame.Surface) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        centre = (self.size[0] // 2, self.left.centery - px(20))
        draw_spinner(surface, theme, centre, self.waited)
        draw_text(
            surface,
            theme.font("h3"),
            "Scoring your call…",
            pal.muted,
            midtop=(centre[0], centre[1] + px(44)),
        )

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        px, view, pal = self.theme.px, self.right, self.theme.palette
        fade = pygame.Surface((view.w - px(18), px(36)), pygame.SRCALPHA)
        for row in range(fade.get_height()):
            alpha = 255 * row // fade.get_height()
            fade.fill((*pal.background, alpha), pygame.Rect(0, row, fade.get_width(), 1))
        if self.scroll < self.max_scroll:
            surface.blit(fade, (view.x, view.bottom - fade.get_height()))
        track = pygame.Rect(view.right - px(6), view.y, px(6), view.h)
        pygame.draw.rect(surface, pal.bar_back, track, border_radius=px(3))
        total = self.details.get_height()
        thumb_h = max(px(30), view.h * view.h // total)
        thumb_y = view.y + (view.h - thumb_h) * self.scroll // self.max_scroll
        thumb = pygame.Rect(track.x, thumb_y, track.w, thumb_h)
        pygame.draw.rect(surface, pal.muted, thumb, border_radius=px(3))

    def _meter_colour(self, fraction: float) -> Colour:
        pal = self.theme.palette
        return pal.good if fraction >= 0.6 else pal.warn if fraction >= 0.4 else pal.bad

    def _draw_summary(self, surface: pygame.Surface, card: Scorecard) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        box = self.left
        draw_panel(surface, box, pal.panel, pal.panel_edge, radius=px(18))
        x, width = box.x + px(26), box.w - px(52)
        y = draw_lines(
            surface, theme.font("small_bold"), ["YOUR SCORE"], pal.faint, x, box.y + px(22)
        )
        score = draw_text(
            surface, theme.font("score"), str(card.score), pal.text, topleft=(x - px(4), y - px(8))
        )
        draw_text(
            surface,
            theme.font("h3"),
            "/ 100",
            pal.muted,
            bottomleft=(score.right + px(10), score.bottom - px(22)),
        )
        chip = draw_chip(
            surface,
            theme.font("small_bold"),
            f"Door {card.outcome.value}",
            pal.background,
            pal.outcome(card.outcome),
            (px(12), px(4)),
            topleft=(x, score.bottom - px(6)),
        )
        small, bold = theme.font("small"), theme.font("bold")
        y = draw_lines(
            surface,
            small,
            wrap(small, f"{card.score} is in the {card.outcome.value} band ({card.band}). "
                 f"{OUTCOME_TEXT[card.outcome]}", width),
            pal.muted,
            x,
            chip.bottom + px(10),
        )
        best = card.best_possible
        if best is not None and best > card.score:
            reach = f"You could have reached {best}."
        else:
            reach = "That is the best this story allows."
        y = draw_lines(surface, bold, wrap(bold, reach, width), pal.accent, x, y + px(8))
        pygame.draw.line(surface, pal.panel_edge, (x, y + px(12)), (x + width, y + px(12)), 1)
        self._draw_meters(surface, card, x, y + px(26), width)

    def _draw_meters(
        self, surface: pygame.Surface, card: Scorecard, x: int, y: int, width: int
    ) -> None:
        """Draw a bar per scored meter (weight > 0); remember each bar for tests."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        small, bold = theme.font("small"), theme.font("small_bold")
        meters = [m for m in card.meters if m.weight > 0]
        self.bars = []
        if not meters:
            return
        label_w = min(max(small.size(m.label)[0] for m in meters) + px(14), width // 2)
        row = (self.left.bottom - y - px(16)) // len(meters)
        row = max(small.get_linesize(), min(row, px(40)))
        for meter in meters:
            mid = y + row // 2
            draw_text(
                surface,
                small,
                clip_text(small, meter.label, label_w - px(8)),
                pal.text,
                midleft=(x, mid),
            )
            draw_text(surface, bold, str(meter.value), pal.text, midright=(x + width, mid))
            track = pygame.Rect(x + label_w, 0, width - label_w - px(46), px(10))
            track.centery = mid
            colour = self._meter_colour(meter.fraction)
            fill = draw_meter(surface, theme, track, meter.fraction, colour)
            self.bars.append((meter.id, track, fill))
            y += row
