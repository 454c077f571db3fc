"""Workshop mode: the call on a projector, stopping at each decision for the room.

At each decision the facilitator moves through three screens, each fully usable
with a clicker (arrows, Enter, Space, Page Up/Down), the keyboard and a mouse:

- :class:`DiscussScreen`: the scene's ``discuss`` prompt and the answers offered.
- :class:`VoteScreen`: hands counted per answer with the number keys (Shift+number,
  or ``-`` then a number, takes one back), hidden until ``R`` reveals them as bars;
  then Enter plays the majority (a tie asks which) or a number plays that answer.
- :class:`~game.gui.screens.what_if.WhatIfScreen` (``W`` at any point of a decision):
  where each answer can still lead, from the story's exact analysis (worked out once,
  off the frame loop).

Every screen draws a key hint line at the foot (see :mod:`game.gui.screens.projector`).
The app switches to the projector theme for the whole workshop (see
:func:`game.gui.theme.projector_theme`); the rules live in :mod:`game.classroom.workshop`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.classroom.workshop import Tally, Workshop, prompt_for
from game.engine.compiled import CompiledStory
from game.engine.engine import Offer
from game.engine.state import Phase
from game.gui.runs import FinishedRun
from game.gui.screens.base import Host
from game.gui.screens.call import CallScreen
from game.gui.screens.class_debrief import ClassDebriefScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.projector import (
    WorkshopScreen,
    draw_hint_bar,
    hint_bar_height,
    place_buttons,
)
from game.gui.screens.what_if import WhatIfScreen
from game.gui.theme import Theme
from game.gui.widgets import (
    ACTIVATE_KEYS,
    Item,
    Menu,
    draw_button,
    draw_lines,
    draw_meter,
    draw_panel,
    draw_text,
    number_of_key,
    text_block_height,
    wrap,
)

NEXT_KEYS = (pygame.K_SPACE, pygame.K_PAGEDOWN, pygame.K_RIGHT, *ACTIVATE_KEYS)
"""What a clicker's 'next' button sends (and Enter, Space or the right arrow)."""
BACK_KEYS = (pygame.K_PAGEUP, pygame.K_LEFT, pygame.K_BACKSPACE)
MINUS_KEYS = (pygame.K_MINUS, pygame.K_KP_MINUS)


# ---------------------------------------------------------------------- the call
class WorkshopCallScreen(CallScreen):
    """The call, projected: at each decision, Enter opens the discussion instead of answering.

    Nothing is saved as the player's call in progress: the run belongs to the class.
    """

    takes_back = False

    def __init__(self, app: Host, story: CompiledStory, workshop: Workshop) -> None:
        self.workshop = workshop
        super().__init__(app, story, {})

    def _actions(self) -> None:
        super()._actions()
        if self.shown.phase is Phase.CHOOSING:
            self.offered = self.offers
            self.menu = Menu([Item("Talk it over  →", primary=True)])

    def _move(self, move: str | None, *, keep: bool = True) -> None:
        super()._move(move, keep=False)

    def undo(self) -> None:
        """The class's answers stand (each was voted on): Restart in the pause menu replays."""
        self.app.notify("In a workshop the class's answers stand: to play it again, "
                        "choose Restart this story in the menu (Esc).")

    def _hint_height(self) -> int:
        """No key hints in the answers' column: the hint bar runs under the whole call."""
        return 0

    def act(self, index: int) -> None:
        """At a decision open the discussion; at the end, score the class's run."""
        if self.shown.phase is Phase.CHOOSING:
            self.app.push(DiscussScreen(self.app, self))
        elif self.shown.phase is Phase.ENDED:
            run = self.app.session.finish(self.story, self.state, self.started, self.workshop)
            self.app.replace(WorkshopConsequenceScreen(self.app, self, run))
        else:
            super().act(index)

    def play_vote(self, number: int, tally: Tally) -> None:
        """Play answer ``number`` (1-based) for the class, keeping the vote that chose it."""
        offer = self.offered[number - 1]
        self.workshop.record(self.offered, tally, offer.id, self.state.scene)
        while self.app.top is not self:
            self.app.pop()
        self._move(offer.id)

    def handle(self, event: pygame.event.Event) -> None:
        """As a call, plus W for "what if" at a decision and a clicker's Page Down to go on."""
        if event.type == pygame.KEYDOWN and self.ready:
            if event.key == pygame.K_w and self.shown.phase is Phase.CHOOSING:
                self.app.push(WhatIfScreen(self.app, self.story, self.state, self.workshop))
                return
            if event.key in (pygame.K_PAGEDOWN, pygame.K_RIGHT):
                self.act(0)  # a clicker's 'next'
                return
            if event.key in (pygame.K_UP, pygame.K_DOWN):
                step = self.theme.px(60)
                self.transcript.scroll += step if event.key == pygame.K_UP else -step
                return
        super().handle(event)

    @property
    def answering(self) -> bool:
        """Never: at a decision the class talks it over first (one button)."""
        return False

    def heading(self) -> str:
        """At a decision, a call to stop and talk."""
        return "Stop here." if self.shown.phase is Phase.CHOOSING else super().heading()

    @property
    def hints(self) -> tuple[str, ...]:
        """The keys that work now."""
        if self.ringing is not None:
            return ("Enter or Space: answer the phone", "Esc: pause")
        if not self.ready:
            return ("Enter, Space or Page Down: show the whole line", "Esc: pause")
        if self.shown.phase is Phase.CHOOSING:
            return ("Enter, Space or Page Down: talk it over", "W: what if",
                    "↑ ↓ Page Up: scroll the call", "Esc: pause")
        return ("Enter, Space or Page Down: continue", "Esc: pause")

    def layout(self, size: tuple[int, int]) -> None:
        """As a call, above the hint bar."""
        bar = hint_bar_height(self.theme, size[0], self.hints)
        super().layout((size[0], size[1] - bar))
        self.size = size

    def _draw_hint(self, surface: pygame.Surface) -> None:
        draw_hint_bar(surface, self.theme, self.hints)

    def _draw_side(self, surface: pygame.Surface) -> None:
        super()._draw_side(surface)
        if self.ready and self.shown.phase is Phase.CHOOSING:
            theme = self.theme
            item = self.menu.items[0]
            body = theme.font("body")
            lines = wrap(body, "The room talks it over, then votes on the answers.", self.side.w)
            draw_lines(surface, body, lines, theme.palette.muted, self.side.x,
                       item.rect.bottom + theme.px(20))


class WorkshopConsequenceScreen(ConsequenceScreen):
    """The ending, projected, with the key hints; it goes on to the class debrief."""

    hints = ("Enter, Space or Page Down: the class debrief", "Esc: pause")

    def __init__(self, app: Host, call: WorkshopCallScreen, run: FinishedRun) -> None:
        super().__init__(app, call.story, call.state, run,
                         then=lambda: ClassDebriefScreen(app, call.story, call.workshop, run))
        self.menu = Menu([Item("The class debrief  →", primary=True)])

    def layout(self, size: tuple[int, int]) -> None:
        """As the player's, above the hint bar."""
        super().layout((size[0], size[1] - hint_bar_height(self.theme, size[0], self.hints)))
        self.size = size

    def draw(self, surface: pygame.Surface) -> None:
        """The ending, then the hints."""
        super().draw(surface)
        draw_hint_bar(surface, self.theme, self.hints)


# ---------------------------------------------------------------------- discuss
class DiscussScreen(WorkshopScreen):
    """The decision's prompt, big, with the answers the room can choose from."""

    hints = ("Enter, Space or Page Down: take the vote", "W: what if", "Page Up: back to the call",
             "Esc: pause")

    def __init__(self, app: Host, call: WorkshopCallScreen) -> None:
        super().__init__(app, call.story, call.workshop)
        self.call = call
        self.prompt = prompt_for(call.story.model.scenes[call.state.scene])
        self.menu = Menu([Item("← Call"), Item("What if"), Item("Take the vote  →", primary=True)],
                         vertical=False, focus=2)

    def layout(self, size: tuple[int, int]) -> None:
        """The prompt across the top, the answers below, the buttons at the foot."""
        super().layout(size)
        place_buttons(self.theme, self.menu, self.area)

    def handle(self, event: pygame.event.Event) -> None:
        """Go on to the vote, back to the call, or look at "what if"."""
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_w:
                self._act(1)
                return
            if event.key in BACK_KEYS:
                self._act(0)
                return
            if event.key in NEXT_KEYS and event.key not in ACTIVATE_KEYS:
                self._act(2)
                return
        self._act(self.menu.handle(event))

    def _act(self, index: int | None) -> None:
        if index == 0:
            self.app.pop()
        elif index == 1:
            self.app.push(WhatIfScreen(self.app, self.call.story, self.call.state, self.workshop))
        elif index == 2:
            self.app.replace(VoteScreen(self.app, self.call))

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the prompt and the answers."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.background)
        y = self.draw_header(surface, "TALK IT OVER")
        bottom = self.menu.items[0].rect.y - px(24)
        for role in ("h1", "h2"):
            font = theme.font(role)
            lines = wrap(font, self.prompt, self.area.w)
            if text_block_height(font, lines) <= (bottom - y) // 2:
                break
        y = draw_lines(surface, font, lines, pal.text, self.area.x, y + px(16))
        draw_answers(surface, theme, self.call.offered, pygame.Rect(
            self.area.x, y + px(28), self.area.w, bottom - y - px(28)))
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        draw_hint_bar(surface, theme, self.hints)


def draw_answers(surface: pygame.Surface, theme: Theme, offered: Sequence[Offer],
                 box: pygame.Rect) -> None:
    """List the answers, numbered, in the largest type that fits ``box``."""
    px, pal = theme.px, theme.palette
    for role in ("body", "small", "tiny"):
        font = theme.font(role)
        badge = font.size("9")[0] + px(30)
        rows = [wrap(font, o.text, box.w - badge) for o in offered]
        height = sum(text_block_height(font, r) for r in rows) + px(14) * len(rows)
        if height <= box.h:
            break
    y = box.y
    for offer, lines in zip(offered, rows, strict=True):
        ink = pal.text if offer.available else pal.locked_text
        draw_text(surface, font, str(offer.number), pal.accent if offer.available else ink,
                  topleft=(box.x, y))
        y = draw_lines(surface, font, lines, ink, box.x + badge, y) + px(14)


# ---------------------------------------------------------------------- vote
class VoteScreen(WorkshopScreen):
    """Hands counted per answer, hidden until revealed; then the class's answer is played.

    Attributes:
        tally: The hands counted so far.
        tie: The answers tied at the top when Enter asked for the majority, else [].
        message: One line saying what just happened (a hand taken back, a tie).
    """

    def __init__(self, app: Host, call: WorkshopCallScreen) -> None:
        super().__init__(app, call.story, call.workshop)
        self.call = call
        self.offered = call.offered
        self.tally = Tally.of(len(self.offered))
        self.tie: list[int] = []
        self.minus = False
        self.message = ""
        self.focus = next((i for i, o in enumerate(self.offered) if o.available), 0)
        self.menu = Menu([Item("What if"), Item("Reveal"), Item("Play the majority  →",
                                                                primary=True)],
                         vertical=False, focus=1)
        self.rows: list[pygame.Rect] = []

    @property
    def hints(self) -> tuple[str, ...]:  # type: ignore[override]
        """The keys that work now."""
        if self.tie:
            return ("A tie: press the number to play", "↑ ↓ and Enter", "R: hide the votes",
                    "Esc: pause")
        if self.tally.revealed:
            return ("Enter: play the majority", "1–9: play that answer", "R: hide and recount",
                    "W: what if", "Esc: pause")
        return ("1–9: count a hand", "Shift+1–9 or − then 1–9: take one back",
                "↑ ↓ Space: count the marked answer", "R or Enter: reveal", "W: what if",
                "Esc: pause")

    def layout(self, size: tuple[int, int]) -> None:
        """Rows for the answers, the buttons at the foot."""
        super().layout(size)
        self._label_buttons()
        place_buttons(self.theme, self.menu, self.area)

    def _label_buttons(self) -> None:
        self.menu.items[1].label = "Hide" if self.tally.revealed else "Reveal"
        self.menu.items[2].enabled = self.tally.revealed

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Count, take back, reveal, play; see the class docstring."""
        if event.type == pygame.KEYDOWN:
            self._key(event)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3):
            row = next((i for i, r in enumerate(self.rows) if r.collidepoint(event.pos)), None)
            if row is not None:
                self.focus = row
                if self.tally.revealed:
                    if event.button == 1:
                        self.play(row)
                elif event.button == 1:
                    self.count(row)
                else:
                    self.take_back(row)
                return
            self._button(self.menu.handle(event))
        else:
            self._button(self.menu.handle(event))

    def _key(self, event: pygame.event.Event) -> None:
        number = number_of_key(event.key)
        minus, self.minus = self.minus, False
        if number is not None:
            option = number - 1
            if self.tally.revealed or self.tie:
                self.play(option)
            elif minus or event.mod & pygame.KMOD_SHIFT:
                self.take_back(option)
            else:
                self.count(option)
        elif event.key in MINUS_KEYS and not self.tally.revealed:
            self.minus = True
            self.message = "The next number takes a hand back."
        elif event.key == pygame.K_r:
            self.reveal(not self.tally.revealed)
        elif event.key == pygame.K_w:
            self._button(0)
        elif event.key in (pygame.K_UP, pygame.K_DOWN):
            self._move_focus(-1 if event.key == pygame.K_UP else 1)
        elif event.key in ACTIVATE_KEYS:  # the focused button: Reveal, then Play the majority
            if self.tie:
                self.play(self.focus)
            else:
                self._button(self.menu.focus)
        elif not self.tally.revealed and not self.tie:
            if event.key in (pygame.K_SPACE, pygame.K_PAGEDOWN, pygame.K_RIGHT):
                self.count(self.focus)
            elif event.key in (pygame.K_PAGEUP, pygame.K_LEFT):
                self.take_back(self.focus)
        elif event.key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_TAB):
            self._button(self.menu.handle(event))

    def _move_focus(self, step: int) -> None:
        usable = [i for i, o in enumerate(self.offered) if o.available
                  and (not self.tie or i in self.tie)]
        if not usable:
            return
        here = usable.index(self.focus) if self.focus in usable else -1
        self.focus = usable[(here + step) % len(usable)]

    def _button(self, index: int | None) -> None:
        if index == 0:
            self.app.push(WhatIfScreen(self.app, self.call.story, self.call.state, self.workshop))
        elif index == 1:
            self.reveal(not self.tally.revealed)
        elif index == 2:
            self.play_majority()

    # ------------------------------------------------------------------ actions
    def count(self, option: int) -> None:
        """One more hand for ``option`` (0-based), if the room can choose it."""
        if 0 <= option < len(self.offered) and self.offered[option].available:
            self.tally.add(option)
            self.focus = option
            self.message = f"{self.tally.total} hand{'s' * (self.tally.total != 1)} counted."

    def take_back(self, option: int) -> None:
        """One hand fewer for ``option``."""
        if self.tally.take_back(option):
            self.focus = option
            self.message = f"One hand taken back from answer {option + 1}."
        elif 0 <= option < len(self.offered):
            self.message = f"Answer {option + 1} has no hands to take back."

    def reveal(self, shown: bool) -> None:
        """Show (or hide again, to recount) the hands for each answer."""
        self.tally.revealed = shown
        self.tie = []
        self.message = ""
        self.menu.focus = 2 if shown else 1  # Enter goes on: play the majority, or reveal
        self.layout(self.size)  # the hints (and so the bar's height) change

    def play_majority(self) -> None:
        """Play the answer with most hands; on a tie, ask which of the tied answers."""
        leaders = self.tally.leaders()
        if not leaders:
            self.message = ("No hands counted yet: R hides the bars to count them, or a number "
                            "plays that answer.")
        elif len(leaders) == 1:
            self.play(leaders[0])
        else:
            self.tie = leaders
            self.focus = leaders[0]
            names = ", ".join(str(i + 1) for i in leaders[:-1]) + f" and {leaders[-1] + 1}"
            self.message = f"A tie between {names}: which does the class play?"
            self.layout(self.size)

    def play(self, option: int) -> None:
        """Play answer ``option`` (0-based) for the class."""
        if 0 <= option < len(self.offered) and self.offered[option].available:
            self.call.play_vote(option + 1, self.tally)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Draw each answer as a row: its number, its words and (revealed) its bar."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        surface.fill(pal.background)
        label = "THE VOTE" if not self.tally.revealed else "THE VOTE, REVEALED"
        y = self.draw_header(surface, label) + px(8)
        status = self.message or (
            f"{self.tally.total} hands counted" if not self.tally.revealed
            else f"{self.tally.total} hands in all")
        if not self.message and not self.tally.total and not self.tally.revealed:
            status = "Count the hands for each answer: they stay hidden until R."
        h3 = theme.font("h3")
        for status_line in wrap(h3, status, self.area.w)[:2]:
            draw_text(surface, h3, status_line, pal.warn if self.tie else pal.text,
                      topleft=(self.area.x, y))
            y += h3.get_linesize()
        bottom = self.menu.items[0].rect.y - px(20)
        self._draw_rows(surface, pygame.Rect(self.area.x, y + px(16), self.area.w,
                                             bottom - y - px(16)))
        for index, item in enumerate(self.menu.items):
            draw_button(surface, theme, item, index == self.menu.focus)
        draw_hint_bar(surface, theme, self.hints)

    def _draw_rows(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        """One row per answer, as tall as its words, in the largest type that fits them all."""
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        gap, pad = px(10), px(14)
        bar_w = round(box.w * 0.3) if self.tally.revealed else 0
        text_w = box.w - px(70) - bar_w - px(32)
        number = theme.font("h2")
        for role, compact in (("body", False), ("small", False), ("tiny", False),
                              ("tiny", True)):  # last: a small window, many answers
            font = theme.font(role)
            if compact:
                gap, pad, number = px(4), px(3), theme.font("bold")
                bar_w = theme.font("bold").size("000  ·  100%")[0] if self.tally.revealed else 0
                text_w = box.w - px(50) - bar_w - px(24)  # (the numbers alone, no bar)
            wrapped = [wrap(font, o.text, text_w) for o in self.offered]
            least = number.get_linesize()
            heights = [max(least, text_block_height(font, lines)) + 2 * pad for lines in wrapped]
            if sum(heights) + gap * (len(heights) - 1) <= box.h:
                break
        spare = box.h - sum(heights) - gap * (len(heights) - 1)
        grow = max(0, min(px(30), spare // max(1, len(heights))))  # roomier rows when they fit
        self.rows = []
        y = box.y
        for index, (offer, lines, height) in enumerate(
                zip(self.offered, wrapped, heights, strict=True)):
            row = pygame.Rect(box.x, y, box.w, height + grow)
            self.rows.append(row)
            focused = index == self.focus
            edge = pal.hover_edge if focused else (pal.warn if index in self.tie else
                                                   pal.panel_edge)
            draw_panel(surface, row, pal.panel, edge, radius=px(14), width=px(3 if focused else 2))
            ink = pal.text if offer.available else pal.locked_text
            draw_text(surface, number, str(offer.number),
                      pal.accent if offer.available else ink,
                      center=(row.x + (px(26) if compact else px(36)), row.centery))
            top = row.centery - text_block_height(font, lines) // 2
            draw_lines(surface, font, lines, ink, row.x + (px(50) if compact else px(70)), top)
            if self.tally.revealed and offer.available:
                self._draw_bar(surface, index, pygame.Rect(row.right - bar_w - px(16), row.y,
                                                           bar_w, row.h))
            y = row.bottom + gap

    def _draw_bar(self, surface: pygame.Surface, option: int, box: pygame.Rect) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        font = theme.font("bold")
        label = f"{self.tally.counts[option]}  ·  {self.tally.percent(option)}%"
        label_w = font.size("000  ·  100%")[0]
        track = pygame.Rect(box.x, 0, box.w - label_w - px(12), px(22))
        track.centery = box.centery
        leaders = self.tally.leaders()
        colour = pal.accent if option in leaders else pal.neutral
        if track.w >= px(40):  # (a crowded small window shows the numbers alone)
            draw_meter(surface, theme, track, self.tally.share(option), colour)
        draw_text(surface, font, label, pal.text, midright=(box.right, box.centery))


