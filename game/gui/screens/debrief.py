"""The debrief: the score, the door, the meters, and every choice explained.

The left column is the summary (score, door outcome, "you could have reached N",
meter bars); the right column scrolls through the details (see
:mod:`game.gui.screens.details`): the path beside the best path, and each choice
with a "Try another answer" button (or its number key, 1-9) that replays the run
to that decision to answer it again. Until the run has been scored in the
background the screen says so, calmly, instead of freezing.

Whatever the window and the text size, nothing is cut off: when the summary does
not fit its column's height, or the details column is too narrow for its text,
the summary goes at the top of one column that scrolls, the whole window wide
(where that is wide enough, its meters sit beside the score). The buttons are as
wide as their labels and wrap to a second row when they do not fit side by side.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import pygame

from game.engine.compiled import CompiledStory
from game.engine.scoring import MeterScore, Scorecard
from game.gui.runs import FinishedRun, Retry
from game.gui.screens.base import Host, Screen
from game.gui.screens.details import Details
from game.gui.theme import Colour, Theme
from game.gui.widgets import (
    Item,
    Menu,
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
_LEAST_WIDTH = MappingProxyType({"Play again": 190, "Back to title": 220})
"""The buttons' widths at 1280x720 (others 230): wider only when their labels need it."""
HINT = "1–9 try another answer  ·  ↑ ↓ scroll  ·  ← → and Enter  ·  Esc pause"


def meter_colour(theme: Theme, fraction: float) -> Colour:
    """Green from 60% full, amber from 40%, else red."""
    pal = theme.palette
    return pal.good if fraction >= 0.6 else pal.warn if fraction >= 0.4 else pal.bad


class Summary:
    """The score card (score, door, band, the best reachable, the meters) at one width.

    It is measured before it is drawn, so the screen knows whether it fits a column.
    Where it is wide enough, the meters go beside the score instead of under it
    (:attr:`split`). A meter's label goes beside its bar when every label fits there,
    else above its bar, wrapped (never cut: the labels are shown nowhere else).

    Args:
        theme: Fonts and sizes.
        card: The finished run's scorecard.
        width: The panel's width.
    """

    def __init__(self, theme: Theme, card: Scorecard, width: int) -> None:
        px = theme.px
        self.theme, self.card = theme, card
        self.scored = [m for m in card.meters if m.weight > 0]
        self.inner = width - px(52)
        self.half = (self.inner - px(40)) // 2
        stacked = self._score_h(self.inner) + px(26) + self._meters_h(self.inner)
        split = max(self._score_h(self.half), self._meters_h(self.half))
        self.split = bool(self.scored) and self.half >= px(300) and self._beside(self.half) \
            and split < stacked
        self.height = px(22) + (split if self.split else stacked) + px(16)
        self.bars: list[tuple[str, pygame.Rect, pygame.Rect]] = []
        """Each meter's id, track and filled part, where they were last drawn (for tests)."""

    def _texts(self) -> tuple[str, str]:
        """The band the score is in, and what the best path could have reached."""
        card = self.card
        band = (f"{card.score} is in the {card.outcome.value} band ({card.band}). "
                f"{OUTCOME_TEXT[card.outcome]}")
        best = card.best_possible
        if best is not None and best > card.score:
            return band, f"You could have reached {best}."
        return band, "That is the best this story allows."

    def _score_h(self, width: int) -> int:
        """How tall the score, door, band and best reachable are, ``width`` wide."""
        theme, px = self.theme, self.theme.px
        small, bold, label = theme.font("small"), theme.font("bold"), theme.font("small_bold")
        band, reach = self._texts()
        score_h = theme.font("score").size(str(self.card.score))[1]
        chip_h = label.size(f"Door {self.card.outcome.value}")[1] + 2 * px(4)
        return (label.get_linesize() - px(8) + score_h - px(6) + chip_h + px(10)
                + small.get_linesize() * len(wrap(small, band, width)) + px(8)
                + bold.get_linesize() * len(wrap(bold, reach, width)))

    # ------------------------------------------------------------------ meters
    def _label_w(self, width: int) -> int:
        small, px = self.theme.font("small"), self.theme.px
        return min(max(small.size(m.label)[0] for m in self.scored) + px(14), width // 2)

    def _beside(self, width: int) -> bool:
        """True if every meter's label fits beside its bar, ``width`` wide."""
        small, px = self.theme.font("small"), self.theme.px
        return not self.scored or all(
            small.size(m.label)[0] <= self._label_w(width) - px(8) for m in self.scored)

    def _value_w(self) -> int:
        """Room for a meter's value right of its bar."""
        px = self.theme.px
        return max(px(46), self.theme.font("small_bold").size("100")[0] + px(12))

    def _label_lines(self, meter: MeterScore, width: int) -> list[str]:
        """A label above its bar, wrapped beside its value."""
        return wrap(self.theme.font("small"), meter.label, width - self._value_w())

    def _meters_h(self, width: int) -> int:
        """How tall the meters are at the least, ``width`` wide."""
        px, line = self.theme.px, self.theme.font("small").get_linesize()
        if self._beside(width):
            return len(self.scored) * (line + px(4))
        return sum(len(self._label_lines(m, width)) * line + px(26) for m in self.scored)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        """Draw the panel in ``box`` (as tall as :attr:`height`, or taller: the meters
        spread out a little)."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_panel(surface, box, pal.panel, pal.panel_edge, radius=px(18))
        x, y, foot = box.x + px(26), box.y + px(22), box.bottom - px(16)
        self.bars = []
        if self.split:
            self._draw_score(surface, x, y, self.half)
            middle = x + self.half + px(20)
            pygame.draw.line(surface, pal.panel_edge, (middle, y), (middle, foot), 1)
            self._draw_meters(surface, middle + px(20), y, self.half, foot)
            return
        y = self._draw_score(surface, x, y, self.inner)
        pygame.draw.line(surface, pal.panel_edge, (x, y + px(12)), (x + self.inner, y + px(12)), 1)
        self._draw_meters(surface, x, y + px(26), self.inner, foot)

    def _draw_score(self, surface: pygame.Surface, x: int, y: int, width: int) -> int:
        """The score, the door, the band and the best reachable; return the y below."""
        theme, px, card = self.theme, self.theme.px, self.card
        pal = theme.palette
        y = draw_lines(surface, theme.font("small_bold"), ["YOUR SCORE"], pal.faint, x, y)
        score = draw_text(surface, theme.font("score"), str(card.score), pal.text,
                          topleft=(x - px(4), y - px(8)))
        draw_text(surface, theme.font("h3"), "/ 100", pal.muted,
                  bottomleft=(score.right + px(10), score.bottom - px(22)))
        chip = draw_chip(surface, theme.font("small_bold"), f"Door {card.outcome.value}",
                         pal.background, pal.outcome(card.outcome), (px(12), px(4)),
                         topleft=(x, score.bottom - px(6)))
        small, bold = theme.font("small"), theme.font("bold")
        band, reach = self._texts()
        y = draw_lines(surface, small, wrap(small, band, width), pal.muted, x,
                       chip.bottom + px(10))
        return draw_lines(surface, bold, wrap(bold, reach, width), pal.accent, x, y + px(8))

    def _draw_meters(self, surface: pygame.Surface, x: int, y: int, width: int,
                     foot: int) -> None:
        """A bar per scored meter (weight > 0), down to ``foot`` at the most."""
        if not self.scored:
            return
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        small, bold = theme.font("small"), theme.font("small_bold")
        line = small.get_linesize()
        beside = self._beside(width)
        label_w = self._label_w(width) if beside else 0
        row = max(line + px(4), min((foot - y) // len(self.scored), px(40)))
        for meter in self.scored:
            if beside:
                mid = y + row // 2
                draw_text(surface, small, meter.label, pal.text, midleft=(x, mid))
                track = pygame.Rect(x + label_w, 0, width - label_w - self._value_w(), px(10))
                track.centery = mid
                y += row
            else:
                lines = self._label_lines(meter, width)
                draw_lines(surface, small, lines, pal.text, x, y)
                mid = y + line // 2
                track = pygame.Rect(x, y + len(lines) * line + px(4), width, px(10))
                y = track.bottom + px(12)
            draw_text(surface, bold, str(meter.value), pal.text, midright=(x + width, mid))
            fill = draw_meter(surface, theme, track, meter.fraction,
                              meter_colour(theme, meter.fraction))
            self.bars.append((meter.id, track, fill))


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
        """Each decision's "Try another answer" button, in the scrolled column's pixels."""
        self.card: Scorecard | None = None
        self.next_story = app.session.next_in_campaign(story)
        items = [Item("Play again"), Item("Back to title", primary=self.next_story is None)]
        if self.next_story is not None:
            items.append(Item("Next story  →", primary=True))
        self.menu = Menu(items, vertical=False, focus=len(items) - 1)
        self.scroll = 0
        self.summary: Summary | None = None
        self.single = False
        """True when the summary scrolls at the top of one column, the window wide."""
        self.left = pygame.Rect(0, 0, 0, 0)
        """The summary's box (in the scrolled column's pixels, from its top, if single)."""
        self.right = pygame.Rect(0, 0, 0, 0)
        """Where the details scroll (the summary above them, if single)."""
        self.details = pygame.Surface((1, 1))
        self.details_y = 0
        """Where the details start in the scrolled column (below the summary, if single)."""
        self.title_font = self.theme.font("h1")
        self.title_lines: list[str] = []
        self.hint_at: tuple[int, int] | None = None
        self.waited = 0

    @property
    def ready(self) -> bool:
        """Return True once the scorecard is there to show."""
        return self.card is not None

    @property
    def bars(self) -> list[tuple[str, pygame.Rect, pygame.Rect]]:
        """Each scored meter's id, track and filled part, where last drawn."""
        return self.summary.bars if self.summary is not None else []

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
        theme, px = self.theme, self.theme.px
        w, h = size
        margin = px(36)
        self.header_y = margin
        self._title(w - 2 * margin)
        title_h = len(self.title_lines) * self.title_font.get_linesize()
        top = margin + theme.font("small_bold").get_linesize() + max(px(52), title_h + px(3))
        self._place_columns(pygame.Rect(margin, top, w - 2 * margin,
                                        self._place_buttons(w, h, margin) - px(22) - top))
        if self.card is not None:
            details = Details(theme, self.story.model, self.card, self.run.carried,
                              self.run.note, best=self.run.best,
                              best_score=self.run.best_score, retry=self.retry)
            self.details = details.render(self.right.w - px(18))
            self.tries = [rect.move(0, self.details_y) for rect in details.try_rects]
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    def _place_columns(self, area: pygame.Rect) -> None:
        """The summary beside the details in ``area`` if it fits its column's height and
        the details have room for their text; else one column, the summary scrolling at
        the top of the details."""
        px = self.theme.px
        left_w = max(px(300), min(px(440), round(self.size[0] * 0.36)))
        self.left = pygame.Rect(area.x, area.y, left_w, area.h)
        self.right = pygame.Rect(self.left.right + px(40), area.y, 0, area.h)
        self.right.w = area.right - self.right.x
        card = self.card
        self.summary = Summary(self.theme, card, left_w) if card is not None else None
        self.single = self.summary is not None and (
            self.summary.height > area.h or self.right.w < self._least_right())
        if self.single and card is not None:
            self.right = area.copy()
            self.summary = Summary(self.theme, card, area.w - px(18))
            self.left = pygame.Rect(area.x, 0, area.w - px(18), self.summary.height)
        self.details_y = self.left.h + px(24) if self.single else 0

    def _title(self, width: int) -> None:
        """The story's title: in h1 if it fits on a line, else in h2, wrapped if need be."""
        title = self.story.model.title
        for role in ("h1", "h2"):
            self.title_font = self.theme.font(role)
            if self.title_font.size(title)[0] <= width:
                break
        self.title_lines = wrap(self.title_font, title, width)

    def _least_right(self) -> int:
        """The narrowest the details column may be beside the summary: room for about
        twenty letters in each half of "Your path beside the best"."""
        px, small = self.theme.px, self.theme.font("small")
        letter = small.size("abcdefghijklmnopqrstuvwxyz")[0] / 26
        return math.ceil(40 * letter) + px(34) + px(20) + px(18)

    def _place_buttons(self, w: int, h: int, margin: int) -> int:
        """Right-align the buttons at the foot, as wide as their labels, in as many rows as
        they need (the last, primary one at the bottom right); return the top row's y.

        The key hint goes at the left of the lowest row that has room for it, if any.
        """
        px, font = self.theme.px, self.theme.font("h3")
        height, gap = max(px(54), font.get_linesize() + px(16)), px(14)
        full = w - margin
        right, y = full, h - margin - height
        free: list[tuple[int, int]] = []  # each row's y and the room left of its buttons
        for item in reversed(self.menu.items):
            width = max(px(_LEAST_WIDTH.get(item.label, 230)), font.size(item.label)[0] + px(48))
            width = min(width, w - 2 * margin)
            if right - width < margin and right != full:  # a new row, above
                free.append((y, right - margin))
                right, y = full, y - height - px(12)
            item.rect = pygame.Rect(right - width, y, width, height)
            right -= width + gap
        free.append((y, right - margin))
        hint_w = self.theme.font("tiny").size(HINT)[0] + px(10)
        self.hint_at = next(((margin, row + height // 2) for row, room in free
                             if room >= hint_w), None)
        return y

    @property
    def content_h(self) -> int:
        """The height of what scrolls: the details, and the summary above them if single."""
        return self.details_y + self.details.get_height()

    @property
    def max_scroll(self) -> int:
        """How far the details column can scroll."""
        return max(0, self.content_h - self.right.h)

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
        draw_lines(surface, self.title_font, self.title_lines, pal.text, x, y)
        if self.card is None or self.summary is None:
            self._draw_waiting(surface)
        elif self.single:
            self._draw_column(surface, self.summary)
        else:
            self.summary.draw(surface, self.left)
            view = self.right
            surface.blit(self.details, view.topleft, pygame.Rect(0, self.scroll, view.w, view.h))
        if self.max_scroll:
            self._draw_scrollbar(surface)
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        if self.hint_at is not None:
            draw_text(surface, theme.font("tiny"), HINT, pal.faint, midleft=self.hint_at)

    def _draw_column(self, surface: pygame.Surface, summary: Summary) -> None:
        """One column, scrolled: the summary, then the details."""
        view = self.right
        clip = surface.get_clip()
        surface.set_clip(view.clip(clip))
        box = self.left.move(0, view.y - self.scroll)
        if box.bottom > view.y:
            summary.draw(surface, box)
        surface.blit(self.details, (view.x, view.y + self.details_y - self.scroll))
        surface.set_clip(clip)

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
        thumb_h = max(px(30), view.h * view.h // self.content_h)
        thumb_y = view.y + (view.h - thumb_h) * self.scroll // self.max_scroll
        thumb = pygame.Rect(track.x, thumb_y, track.w, thumb_h)
        pygame.draw.rect(surface, pal.muted, thumb, border_radius=px(3))
