"""The debrief's details column, drawn once per layout onto its own surface.

Order: what changed (after "try another answer"), hard floors (stated plainly),
the turning point (the choice that lost the most reachable score, never one the
best path takes), values carried over from earlier scenarios, the player's path
beside the best path (the first decision where they part marked), then every
choice with its feedback, its change to the score and a "Try another answer"
button (whose rects :attr:`Details.try_rects` keeps, in the column's pixels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from game.classroom.workshop import PathStep, parting, short
from game.engine.scoring import Decision, Scorecard
from game.gui.runs import Retry
from game.gui.theme import Colour, Theme
from game.gui.widgets import draw_lines, draw_panel, draw_text, fit_lines, wrap
from game.store.profile import Carried
from game.story.model import Story

TRY_LABEL = "Try another answer"

Part = tuple[pygame.font.Font, str, Colour]


def change_text(change: int) -> str:
    """Return a score change as shown: '+5', '−12' or '±0'."""
    if change > 0:
        return f"+{change}"
    return f"−{-change}" if change < 0 else "±0"


def floor_text(story: Story, name: str) -> list[str]:
    """Return the plain sentences that state a hard floor: heading, meaning, effect."""
    flag = story.flags.get(name)
    label = name.replace("_", " ").replace("-", " ").capitalize()
    lines = [f"Hard floor: {label}"]
    if flag is not None and flag.help:
        lines.append(flag.help)
    limits = []
    if flag is not None and flag.max_score is not None:
        limits.append(f"caps your score at {flag.max_score}")
    if flag is not None and flag.forces_outcome is not None:
        limits.append(f"keeps the door no better than {flag.forces_outcome.value}")
    if limits:
        lines.append(f"This {' and '.join(limits)}, whatever the meters say.")
    return lines


class Details:
    """Renders the details of a scorecard at one width."""

    def __init__(
        self, theme: Theme, story: Story, card: Scorecard, carried: list[Carried], note: str = "",
        *, best: Sequence[PathStep] = (), best_score: int | None = None,
        retry: Retry | None = None,
    ) -> None:
        self.theme = theme
        self.story = story
        self.card = card
        self.carried = carried
        self.note = note
        self.best = list(best)
        self.best_score = best_score
        self.retry = retry
        self.path = [PathStep(d.scene, d.choice, d.text) for d in card.decisions]
        self.try_rects: list[pygame.Rect] = []
        """Each decision's "Try another answer" button, in the column's own pixels."""

    @property
    def turning(self) -> Decision | None:
        """The turning point: never a choice on the best path, never one that gained."""
        return self.card.turning_point([(s.scene, s.choice) for s in self.best])

    def render(self, width: int) -> pygame.Surface:
        """Return the column as a surface exactly as tall as its content.

        The height is not known before drawing, so a guess is drawn first and
        redrawn taller when the text runs past it.
        """
        height = 2400
        while True:
            surface = pygame.Surface((width, height))
            surface.fill(self.theme.palette.background)
            self.try_rects = []
            bottom = self._draw(surface, width)
            if bottom <= height:
                return surface.subsurface((0, 0, width, max(1, bottom))).copy()
            height = bottom + 1

    def _draw(self, surface: pygame.Surface, width: int) -> int:
        theme, pal, gap = self.theme, self.theme.palette, self.theme.px(16)
        y = 0
        if self.retry is not None:
            y = self._changed(surface, self.retry, y, width) + gap
        if self.note:
            y = (
                self._callout(
                    surface, y, width, pal.warn, [(theme.font("small"), self.note, pal.text)]
                )
                + gap
            )
        for name in self.card.floors:
            heading, *rest = floor_text(self.story, name)
            parts: list[Part] = [(theme.font("h3"), heading, pal.bad)]
            parts += [(theme.font("body"), line, pal.text) for line in rest[:1]]
            parts += [(theme.font("small"), line, pal.muted) for line in rest[1:]]
            y = self._callout(surface, y, width, pal.bad, parts) + gap
        costly = self.turning
        if costly is not None:
            y = self._turning_point(surface, costly, y, width) + gap
        if self.carried:
            y = self._carried(surface, y, width) + gap
        if self.best:
            y = self._paths(surface, y + theme.px(6), width) + gap
        return self._decisions(surface, y + theme.px(6), width)

    def _changed(self, surface: pygame.Surface, retry: Retry, y: int, width: int) -> int:
        """After "try another answer": the two answers, and the score and door of each run."""
        theme, pal, card = self.theme, self.theme.palette, self.card
        now = card.decisions[retry.number - 1] if len(card.decisions) >= retry.number else None
        diff = card.score - retry.score
        parts: list[Part] = [
            (theme.font("h3"), f"What changed at decision {retry.number}", pal.accent),
            (theme.font("small"), f"Last time: “{short(retry.text, 90)}” → {retry.score}, "
             f"door {retry.outcome.value}.", pal.muted),
            (theme.font("bold"), f"This time: “{short(now.text, 90) if now else '?'}” → "
             f"{card.score}, door {card.outcome.value} ({change_text(diff)}).", pal.text),
        ]
        return self._callout(surface, y, width, pal.accent, parts)

    def _callout(
        self, surface: pygame.Surface, y: int, width: int, colour: Colour, parts: list[Part]
    ) -> int:
        """Draw a box with a coloured edge around (font, text, colour) parts."""
        px = self.theme.px
        inner = width - px(44)
        wrapped = [(font, wrap(font, text, inner), ink) for font, text, ink in parts]
        height = sum(font.get_linesize() * len(lines) for font, lines, _ in wrapped)
        height += px(36) + px(6) * (len(parts) - 1)
        box = pygame.Rect(0, y, width, height)
        draw_panel(surface, box, self.theme.palette.panel, colour, radius=px(14))
        pygame.draw.rect(
            surface,
            colour,
            (0, y, px(6), height),
            border_top_left_radius=px(14),
            border_bottom_left_radius=px(14),
        )
        ty = y + px(18)
        for font, lines, ink in wrapped:
            ty = draw_lines(surface, font, lines, ink, px(26), ty) + px(6)
        return box.bottom

    def _turning_point(self, surface: pygame.Surface, decision: Decision, y: int, w: int) -> int:
        theme, pal = self.theme, self.theme.palette
        parts: list[Part] = [
            (theme.font("h3"), "The turning point", pal.warn),
            (theme.font("bold"), f"“{decision.text}”", pal.text),
            (
                theme.font("small"),
                f"Before this choice you could still reach {decision.best_before}; "
                f"after it, at most {decision.best_after}.",
                pal.muted,
            ),
        ]
        return self._callout(surface, y, w, pal.warn, parts)

    def _carried(self, surface: pygame.Surface, y: int, width: int) -> int:
        theme, pal = self.theme, self.theme.palette
        parts: list[Part] = [(theme.font("h3"), "Carried over from earlier scenarios", pal.accent)]
        for item in self.carried:
            said = f": “{item.text}”" if item.text else ""
            parts.append((theme.font("small"), f"From {item.story_title}{said}", pal.text))
        return self._callout(surface, y, width, pal.accent, parts)

    def _paths(self, surface: pygame.Surface, y: int, width: int) -> int:
        """Your path and the best path side by side, decision by decision."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        small, bold = theme.font("small"), theme.font("small_bold")
        h3 = theme.font("h3")
        y = draw_lines(surface, h3, wrap(h3, "Your path beside the best", width), pal.text, 0, y)
        numbers = max(len(self.path), len(self.best))
        gutter, gap = max(px(34), px(8) + bold.size(str(numbers))[0] + px(14)), px(20)
        col = (width - gutter - gap) // 2
        left, right = gutter, gutter + col + gap
        reach = f"The best path ({self.best_score})" if self.best_score is not None else \
            "The best path"
        heads = [wrap(bold, "You", col), wrap(bold, reach, col)]
        y += px(6)
        draw_lines(surface, bold, heads[0], pal.faint, left, y)
        draw_lines(surface, bold, heads[1], pal.faint, right, y)
        y += bold.get_linesize() * max(len(lines) for lines in heads) + px(6)
        where = parting(self.path, self.best)
        room = math.ceil(3 * max(1.0, theme.text_scale))  # about as much text at any size
        for index in range(numbers):
            mine = self.path[index] if index < len(self.path) else None
            theirs = self.best[index] if index < len(self.best) else None
            same = mine is not None and theirs is not None and \
                (mine.scene, mine.choice) == (theirs.scene, theirs.choice)
            ink = pal.muted if same else pal.text
            cells = [fit_lines(small, wrap(small, step.text, col), room, col) if step else ["—"]
                     for step in (mine, theirs)]
            height = small.get_linesize() * max(len(c) for c in cells) + px(12)
            if index == where:
                parted = wrap(bold, "You parted here", width - left)
                y = draw_lines(surface, bold, parted, pal.warn, left, y) + px(2)
                box = pygame.Rect(0, y - px(4), width, height + px(2))
                pygame.draw.rect(surface, pal.warn, box, width=px(2), border_radius=px(8))
            draw_text(surface, bold, str(index + 1), pal.faint, topleft=(px(8), y + px(2)))
            draw_lines(surface, small, cells[0], ink, left, y + px(2))
            draw_lines(surface, small, cells[1], pal.muted if same else pal.good, right,
                       y + px(2))
            y += height + px(6)
        return y

    def _decisions(self, surface: pygame.Surface, y: int, width: int) -> int:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        h3, label = theme.font("h3"), theme.font("small_bold")
        y = draw_lines(surface, h3, wrap(h3, "Your choices", width), pal.text, 0, y) + px(10)
        changes = [change_text(d.change) for d in self.card.decisions]
        chip_w = max([px(64), *(label.size(text)[0] + px(20) for text in changes)])
        chip_h = max(px(30), label.get_linesize() + px(6))
        text_x = chip_w + px(18)
        inner = width - text_x - px(8)
        bold, small = theme.font("bold"), theme.font("small")
        for decision, text in zip(self.card.decisions, changes, strict=True):
            change = decision.change
            colour = pal.good if change > 0 else pal.bad if change < 0 else pal.neutral
            chip = pygame.Rect(0, y + px(2), chip_w, chip_h)
            pygame.draw.rect(surface, colour, chip, border_radius=chip.h // 2)
            draw_text(surface, label, text, pal.background, center=chip.center)
            ty = draw_lines(surface, bold, wrap(bold, decision.text, inner), pal.text, text_x, y)
            feedback = decision.feedback or "No feedback was written for this choice."
            ty = draw_lines(
                surface,
                small,
                wrap(small, feedback, inner),
                pal.muted,
                text_x,
                ty + px(4),
                spacing=1.15,
            )
            ty = self._try_button(surface, len(self.try_rects) + 1, text_x, ty + px(8), inner)
            y = max(ty, chip.bottom) + px(14)
            pygame.draw.line(surface, pal.panel_edge, (text_x, y), (width, y), 1)
            y += px(16)
        if not self.card.decisions:
            none = wrap(small, "You made no choices in this story.", width)
            y = draw_lines(surface, small, none, pal.muted, 0, y)
        return y

    def _try_button(self, surface: pygame.Surface, number: int, x: int, y: int,
                    width: int) -> int:
        """A small outlined button: replay to this decision and answer differently.

        Its label wraps when ``width`` pixels cannot hold it on one line.
        """
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        font = theme.font("small_bold")
        label = f"{number}  ↺ {TRY_LABEL}" if number <= 9 else f"↺ {TRY_LABEL}"
        lines = wrap(font, label, width - px(24))
        text_w = max(font.size(line)[0] for line in lines)
        rect = pygame.Rect(x, y, text_w + px(24), font.get_linesize() * len(lines) + px(10))
        pygame.draw.rect(surface, pal.button, rect, border_radius=px(8))
        pygame.draw.rect(surface, pal.button_edge, rect, width=px(1), border_radius=px(8))
        draw_lines(surface, font, lines, pal.accent, rect.x, rect.y + px(5), align="center",
                   width=rect.w)
        self.try_rects.append(rect)
        return rect.bottom
