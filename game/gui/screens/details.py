"""The debrief's details column, drawn once per layout onto its own surface.

Order: hard floors (stated plainly), the turning point (the costliest choice),
values carried over from earlier scenarios, then every choice with its feedback
and its change to the score.
"""

from __future__ import annotations

import pygame

from game.engine.scoring import Decision, Scorecard
from game.gui.theme import Colour, Theme
from game.gui.widgets import draw_lines, draw_panel, draw_text, wrap
from game.store.profile import Carried
from game.story.model import Story

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
        self, theme: Theme, story: Story, card: Scorecard, carried: list[Carried], note: str = ""
    ) -> None:
        self.theme = theme
        self.story = story
        self.card = card
        self.carried = carried
        self.note = note

    def render(self, width: int) -> pygame.Surface:
        """Return the column as a surface exactly as tall as its content.

        The height is not known before drawing, so a guess is drawn first and
        redrawn taller when the text runs past it.
        """
        height = 2400
        while True:
            surface = pygame.Surface((width, height))
            surface.fill(self.theme.palette.background)
            bottom = self._draw(surface, width)
            if bottom <= height:
                return surface.subsurface((0, 0, width, max(1, bottom))).copy()
            height = bottom + 1

    def _draw(self, surface: pygame.Surface, width: int) -> int:
        theme, pal, gap = self.theme, self.theme.palette, self.theme.px(16)
        y = 0
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
        costly = self.card.costliest
        if costly is not None:
            y = self._turning_point(surface, costly, y, width) + gap
        if self.carried:
            y = self._carried(surface, y, width) + gap
        return self._decisions(surface, y + theme.px(6), width)

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

    def _decisions(self, surface: pygame.Surface, y: int, width: int) -> int:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        y = draw_lines(surface, theme.font("h3"), ["Your choices"], pal.text, 0, y) + px(10)
        chip_w = px(64)
        text_x = chip_w + px(18)
        inner = width - text_x - px(8)
        bold, small = theme.font("bold"), theme.font("small")
        for decision in self.card.decisions:
            change = decision.change
            colour = pal.good if change > 0 else pal.bad if change < 0 else pal.neutral
            chip = pygame.Rect(0, y + px(2), chip_w, px(30))
            pygame.draw.rect(surface, colour, chip, border_radius=chip.h // 2)
            draw_text(
                surface,
                theme.font("small_bold"),
                change_text(change),
                pal.background,
                center=chip.center,
            )
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
            y = max(ty, chip.bottom) + px(14)
            pygame.draw.line(surface, pal.panel_edge, (text_x, y), (width, y), 1)
            y += px(16)
        if not self.card.decisions:
            y = draw_lines(surface, small, ["You made no choices in this story."], pal.muted, 0, y)
        return y
