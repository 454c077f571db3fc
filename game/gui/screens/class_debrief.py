"""The class debrief at the end of a workshop: where the room went, and what to talk about.

One scrolling page, in the projector theme: the score and the door, two or three
questions drawn from what this class did (see :func:`game.classroom.workshop.questions`),
each decision the class took with its hands and its feedback, then the best path
with the decision where the class left it marked.
"""

from __future__ import annotations

import pygame

from game.classroom.workshop import PathStep, Workshop, parting, questions
from game.engine.compiled import CompiledStory
from game.engine.scoring import Scorecard
from game.gui.runs import FinishedRun
from game.gui.screens.base import Host
from game.gui.screens.debrief import OUTCOME_TEXT
from game.gui.screens.details import change_text
from game.gui.screens.projector import PageScreen
from game.gui.widgets import (
    Item,
    Menu,
    draw_chip,
    draw_lines,
    draw_panel,
    draw_text,
    text_block_height,
    wrap,
)


class ClassDebriefScreen(PageScreen):
    """The class's run, scored: its path against the best, its votes, and questions for the room."""

    hints = ("↑ ↓ Page Up/Down: scroll", "← → and Enter: the buttons", "Esc: pause")
    waiting = "Scoring the class's call…"

    def __init__(self, app: Host, story: CompiledStory, workshop: Workshop,
                 run: FinishedRun) -> None:
        super().__init__(app, story, workshop)
        self.run = run
        self.card: Scorecard | None = None
        self.best: list[PathStep] = []
        self.best_score: int | None = None
        self.path: list[PathStep] = []
        self.asked: list[str] = []
        self.menu = Menu([Item("Play again"), Item("Back to title", primary=True)],
                         vertical=False, focus=1)

    def update(self, dt_ms: int) -> None:
        """Pick up the scorecard once the run has been scored in the background."""
        super().update(dt_ms)
        if self.card is None and self.run.done and self.run.card is not None:
            card = self.card = self.run.card
            self.best_score, self.best = self.run.best_score, self.run.best  # found when scored
            self.path = [PathStep(d.scene, d.choice, d.text) for d in card.decisions]
            texts = {(sid, c.id): c.text for sid, scene in self.story.model.scenes.items()
                     for c in scene.choices}
            self.asked = questions(card, self.workshop.votes, self.path, self.best, texts)
            self.layout(self.size)

    @property
    def ready(self) -> bool:
        """True once the run is scored."""
        return self.card is not None

    def handle(self, event: pygame.event.Event) -> None:
        """Scroll with arrows, Page Up/Down, Space or the wheel; the buttons do what they say."""
        if self.scroll_with(event):
            return
        index = self.menu.handle(event)
        if index == 0:
            self.app.play(self.story)
        elif index == 1:
            self.app.to_title()

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the header, the page (or a spinner), the buttons and the hints."""
        self.draw_screen(surface, "CLASS DEBRIEF")

    def draw_page(self, surface: pygame.Surface, width: int) -> int:
        card = self.card
        assert card is not None
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        h1, body = theme.font("h1"), theme.font("body")
        score = draw_text(surface, h1, f"{card.score} / 100", pal.text, topleft=(0, 0))
        draw_chip(surface, theme.font("bold"), f"door {card.outcome.value}", pal.background,
                  pal.outcome(card.outcome), (px(14), px(4)),
                  midleft=(score.right + px(24), score.centery))
        summary = f"{card.score} is in the {card.outcome.value} band ({card.band}). " + \
            OUTCOME_TEXT[card.outcome]
        if self.best_score is not None and self.best_score > card.score:
            summary += f" The best path reaches {self.best_score}."
        y = draw_lines(surface, body, wrap(body, summary, width), pal.muted, 0,
                       score.bottom + px(12))
        y = self._questions(surface, width, y + px(28))
        y = self._section(surface, "THE CLASS'S PATH", y + px(32))
        where = parting(self.path, self.best)
        for index, (step, decision) in enumerate(zip(self.path, card.decisions, strict=True)):
            y = self._decision(surface, width, y, index, step, decision.change, decision.feedback)
            if index == where:
                y = draw_lines(surface, theme.font("small_bold"),
                               wrap(theme.font("small_bold"),
                                    "↑ Here the class left the best path.", width),
                               pal.warn, px(64), y) + px(8)
            y += px(22)
        y = self._section(surface, "THE BEST PATH" + (f" ({self.best_score})"
                                                       if self.best_score is not None else ""),
                          y + px(12))
        for index, step in enumerate(self.best):
            ink = pal.good if where is None or index < where else pal.text
            mark = f"{index + 1}"
            draw_text(surface, body, mark, pal.accent, topleft=(0, y))
            y = draw_lines(surface, body, wrap(body, step.text, width - px(64)), ink, px(64), y)
            y += px(12)
        return y

    def _section(self, surface: pygame.Surface, title: str, y: int) -> int:
        font = self.theme.font("small_bold")
        return draw_lines(surface, font, [title], self.theme.palette.accent, 0, y) + \
            self.theme.px(10)

    def _questions(self, surface: pygame.Surface, width: int, y: int) -> int:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        body = theme.font("body")
        inner = width - px(56)
        wrapped = [wrap(body, f"{i + 1}.  {q}", inner) for i, q in enumerate(self.asked)]
        label = theme.font("small_bold")
        height = label.get_linesize() + px(40) + sum(
            text_block_height(body, lines) + px(14) for lines in wrapped)
        box = pygame.Rect(0, y, width, height)
        draw_panel(surface, box, pal.panel, pal.accent, radius=px(16), width=px(3))
        top = draw_lines(surface, label, ["FOR THE ROOM"], pal.accent, px(28), y + px(18))
        for lines in wrapped:
            top = draw_lines(surface, body, lines, pal.text, px(28), top + px(6)) + px(8)
        return box.bottom

    def _decision(self, surface: pygame.Surface, width: int, y: int, index: int,
                  step: PathStep, change: int, feedback: str) -> int:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        body, bold, small = theme.font("body"), theme.font("bold"), theme.font("small")
        x = px(64)
        draw_text(surface, bold, str(index + 1), pal.accent, topleft=(0, y))
        chip_font = theme.font("small_bold")
        chip_w = chip_font.size("−100")[0] + px(28)
        lines = wrap(bold, step.text, width - x - chip_w - px(16))
        colour = pal.good if change > 0 else pal.bad if change < 0 else pal.neutral
        draw_chip(surface, chip_font, change_text(change), pal.background, colour,
                  (px(12), px(2)), topright=(width, y))
        y = draw_lines(surface, bold, lines, pal.text, x, y)
        votes = self.workshop.votes
        vote = votes[index] if index < len(votes) else None
        if vote is not None:
            y = draw_lines(surface, small, wrap(small, vote.line(), width - x), pal.accent, x,
                           y + px(6))
        if feedback:
            y = draw_lines(surface, body, wrap(body, feedback, width - x), pal.muted, x,
                           y + px(6))
        return y
