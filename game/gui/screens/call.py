"""The call: a phone with caller id, timer and chat transcript; the answers beside it.

The screen pulls from the engine: after every move it asks :func:`beat` what to
show, adds the scene's lines to the transcript and offers the beat's choices
(or a Continue button) once the lines have typed out.

A story whose campaign imports values opens with one framed line above the
first: what it carries over from earlier calls (in the campaign, or with
``--continue``), or that it starts fresh (played on its own); see
:func:`game.classroom.players.carried_line`.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

import pygame

from game.classroom.players import carried_line
from game.engine.compiled import CompiledStory
from game.engine.engine import Beat, Offer, advance, beat, choose, start
from game.engine.record import now_iso
from game.engine.state import Phase
from game.gui.screens.base import Host, Screen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.transcript import Entry, Kind, Transcript
from game.gui.widgets import (
    ACTIVATE_KEYS,
    Item,
    Menu,
    clip_text,
    draw_avatar,
    draw_button,
    draw_choice,
    draw_lines,
    draw_panel,
    draw_text,
    measure_choice,
    number_of_key,
    wrap,
)
from game.story.model import NARRATOR

_SKIP_KEYS = (pygame.K_SPACE, *ACTIVATE_KEYS)
_SCROLL_KEYS = MappingProxyType({pygame.K_PAGEUP: 1, pygame.K_PAGEDOWN: -1})


def _entry_for_offer(offer: Offer) -> Entry:
    text = offer.text.strip()
    kind = Kind.ACTION if text.startswith("(") and text.endswith(")") else Kind.PLAYER
    return Entry(kind, text)


class CallScreen(Screen):
    """One playthrough of a story, from the first line to the ending's last line.

    Args:
        app: The app.
        story: The story to play.
        imports: Campaign values the run starts from.
        moves: Moves already made (choice ids, None for Continue), replayed at
            once with the whole transcript shown: the live preview rebuilds the
            call this way after a reload. They must apply (use ``replay()``).
    """

    story: CompiledStory

    def __init__(
        self,
        app: Host,
        story: CompiledStory,
        imports: dict[str, int | bool] | None = None,
        *,
        moves: Sequence[str | None] = (),
        started: str = "",
    ) -> None:
        super().__init__(app)
        self.story = story
        self.state = start(story, imports)
        self.started = started or now_iso()
        app.session.warm(story, self.state.imports)
        self.transcript = Transcript(app.text_speed)
        self.elapsed = 0  # ms on the call, for the timer
        self.menu = Menu([])
        self.shown: Beat = beat(story, self.state)
        self._time = ""
        session = app.session
        self.carried = carried_line(story.model, session.profile, self.state.imports,
                                    carrying=session.campaign or session.carry)
        """What the call carries over from earlier ones, in one line ('' if nothing could be)."""
        if self.carried:
            self.transcript.add(Entry(Kind.NOTE, self.carried))
        self._enter()
        for move in moves:
            self._move(move, keep=False)
        if moves:
            self.transcript.skip()  # re-shown at once: no typing out again

    def _move(self, move: str | None, *, keep: bool = True) -> None:
        """Make one move as the player would: a choice by id, or Continue (None).

        ``keep`` saves the call in progress afterwards.
        """
        if move is None:
            self.state = advance(self.story, self.state)
        else:
            offer = next(o for o in self.shown.choices if o.id == move)
            self.transcript.add(_entry_for_offer(offer))
            self.state = choose(self.story, self.state, offer.id)
        self._enter()
        if keep and not self.app.previewing:
            self.app.session.keep_progress(self.story, self.state, self.started)

    # ------------------------------------------------------------------ flow
    def _enter(self) -> None:
        """Show the current beat: its time stamp, its lines, then its actions."""
        self.shown = beat(self.story, self.state)
        if self.shown.time and self.shown.time != self._time:
            self._time = self.shown.time
            self.transcript.add(Entry(Kind.TIME, self.shown.time))
        for line in self.shown.lines:
            if line.speaker == NARRATOR:
                kind = Kind.NARRATOR
            else:
                kind = Kind.PLAYER if line.is_player else Kind.OTHER
            self.transcript.add(Entry(kind, line.text, line.name, line.role))
        if self.shown.phase is Phase.CHOOSING:
            items = [
                Item(o.text, o.number, o.available, "" if o.available else f"Locked: {o.locked}")
                for o in self.shown.choices
            ]
            self.menu = Menu(items, focus=None)
        else:
            label = "Continue" if self.shown.phase is Phase.READING else "See what happened next"
            self.menu = Menu([Item(label, primary=True)])
        self.layout(self.size)

    def act(self, index: int) -> None:
        """Carry out action ``index``: a choice, Continue, or leaving the call."""
        if self.shown.phase is Phase.CHOOSING:
            self._move(self.shown.choices[index].id)
        elif self.shown.phase is Phase.READING:
            self._move(None)
        else:
            run = self.app.finish(self.story, self.state, self.started)
            self.app.replace(ConsequenceScreen(self.app, self.story, self.state, run))

    @property
    def ready(self) -> bool:
        """Return True when the lines have typed out and the actions are live."""
        return not self.transcript.revealing

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Skip typing, scroll the transcript, or pick an action."""
        if event.type == pygame.MOUSEWHEEL:
            self.transcript.scroll += event.y * self.theme.px(48)
            return
        if event.type == pygame.KEYDOWN and event.key in _SCROLL_KEYS:
            self.transcript.scroll += _SCROLL_KEYS[event.key] * self.phone_body.h // 2
            return
        if not self.ready:
            clicked = event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
            pressed = event.type == pygame.KEYDOWN and (
                event.key in _SKIP_KEYS or number_of_key(event.key) is not None
            )
            if clicked or pressed:
                self.transcript.skip()
            return
        if (
            event.type == pygame.KEYDOWN
            and event.key == pygame.K_SPACE
            and self.shown.phase is not Phase.CHOOSING
        ):
            self.act(0)
            return
        index = self.menu.handle(event)
        if index is not None:
            self.act(index)

    def update(self, dt_ms: int) -> None:
        """Run the call timer and type out lines."""
        if not (self.shown.phase is Phase.ENDED and self.ready):
            self.elapsed += dt_ms  # the timer stops when the call is over
        self.transcript.update(dt_ms)

    def wake_in(self) -> int | None:
        """Wake at ~60 fps while typing, else when the call timer's second changes."""
        if self.transcript.revealing:
            return 16
        if self.shown.phase is Phase.ENDED:
            return None
        return 1000 - self.elapsed % 1000

    # ------------------------------------------------------------------ layout
    def layout(self, size: tuple[int, int]) -> None:
        """Place the phone on the left and the answers on the right."""
        super().layout(size)
        px = self.theme.px
        w, h = size
        margin = px(32)
        phone_w = min(round(w * 0.42), px(540))
        self.phone = pygame.Rect(margin, margin, phone_w, h - 2 * margin)
        lines_h = sum(self.theme.font(r).get_linesize() for r in ("h3", "small", "small_bold"))
        self.header = pygame.Rect(self.phone.x, self.phone.y + px(26), phone_w,
                                  max(px(104), lines_h + px(16)))
        self.phone_body = pygame.Rect(
            self.phone.x + px(18),
            self.header.bottom + px(16),
            phone_w - px(36),
            self.phone.bottom - self.header.bottom - px(52),
        )
        left = self.phone.right + px(48)
        self.side = pygame.Rect(left, margin, w - left - margin, h - 2 * margin)
        self._place_actions()

    def _place_actions(self) -> None:
        px, side = self.theme.px, self.side
        heading_h = self.theme.font("h2").get_linesize() + px(18)
        room = side.h - heading_h - px(70)
        gap = px(12)
        self.choice_font = self.theme.font("body")
        if self.answering:
            for role in ("body", "small"):
                self.choice_font = self.theme.font(role)
                heights = [
                    measure_choice(self.theme, self.choice_font, it, side.w)
                    for it in self.menu.items
                ]
                if sum(heights) + gap * (len(heights) - 1) <= room:
                    break
        else:
            heights = [px(60)] * len(self.menu.items)
        block = heading_h + sum(heights) + gap * (len(heights) - 1)
        y = side.y + max(px(40), (side.h - block) // 2)
        self.heading_y = y
        y += heading_h
        for item, height in zip(self.menu.items, heights, strict=True):
            width = side.w
            if not self.answering:
                label_w = self.theme.font("h3").size(item.label)[0]
                width = min(side.w, max(px(260), label_w + px(64)))
            item.rect = pygame.Rect(side.x, y, width, height)
            y += height + gap

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Draw the phone, the transcript and the answers."""
        pal = self.theme.palette
        surface.fill(pal.background)
        self._draw_phone(surface)
        self.transcript.draw(surface, self.theme, self.phone_body)
        self._draw_side(surface)

    def _caller(self) -> tuple[str, str]:
        model = self.story.model
        others = [k for k in model.cast if k != model.player]
        person = model.cast[others[0]] if others else None
        fallback = (person.name, person.role) if person else (model.title, "")
        return self.transcript.caller(fallback)

    def _draw_phone(self, surface: pygame.Surface) -> None:
        theme, px = self.theme, self.theme.px
        pal = theme.palette
        draw_panel(surface, self.phone, pal.phone, pal.phone_edge, radius=px(40), width=px(3))
        notch = pygame.Rect(0, 0, px(90), px(8))
        notch.midtop = (self.phone.centerx, self.phone.y + px(12))
        pygame.draw.rect(surface, pal.phone_edge, notch, border_radius=notch.h // 2)
        name, role = self._caller()
        radius = px(32)
        centre = (self.header.x + px(26) + radius, self.header.centery)
        draw_avatar(surface, theme, centre, radius, name)
        text_x = centre[0] + radius + px(16)
        text_w = self.header.right - text_x - px(20)
        name_h, role_h = theme.font("h3").get_linesize(), theme.font("small").get_linesize()
        status_h = theme.font("small_bold").get_linesize()
        top = self.header.centery - (name_h + role_h + status_h) // 2
        draw_text(
            surface,
            theme.font("h3"),
            clip_text(theme.font("h3"), name, text_w),
            pal.text,
            topleft=(text_x, top),
        )
        draw_text(
            surface,
            theme.font("small"),
            clip_text(theme.font("small"), role, text_w),
            pal.muted,
            topleft=(text_x, top + name_h),
        )
        seconds = self.elapsed // 1000
        over = self.shown.phase is Phase.ENDED and self.ready
        status, colour = ("Call ended", pal.hang_up) if over else ("On call", pal.call_green)
        timer = f"{status}  {seconds // 60:02d}:{seconds % 60:02d}"
        dot = (text_x + px(5), top + name_h + role_h + status_h // 2)
        pygame.draw.circle(surface, colour, dot, px(5))
        draw_text(
            surface, theme.font("small_bold"), timer, colour, midleft=(dot[0] + px(13), dot[1])
        )
        rule_y = self.header.bottom + px(4)
        pygame.draw.line(
            surface,
            pal.panel_edge,
            (self.phone.x + px(18), rule_y),
            (self.phone.right - px(18), rule_y),
            px(1),
        )
        bar = pygame.Rect(0, 0, px(120), px(5))
        bar.midbottom = (self.phone.centerx, self.phone.bottom - px(14))
        pygame.draw.rect(surface, pal.phone_edge, bar, border_radius=bar.h // 2)

    def _draw_side(self, surface: pygame.Surface) -> None:
        theme, px, side = self.theme, self.theme.px, self.side
        pal = theme.palette
        small = theme.font("small")
        title = wrap(small, self.story.model.title.upper(), side.w)[:1]
        draw_lines(surface, small, title, pal.faint, side.x, side.y)
        if not self.ready:
            draw_text(
                surface, theme.font("h2"), "Listening…", pal.muted, topleft=(side.x, self.heading_y)
            )
            draw_text(
                surface,
                small,
                "Space, Enter or click to show the whole line",
                pal.faint,
                topleft=(side.x, self.heading_y + theme.font("h2").get_linesize() + px(6)),
            )
        else:
            draw_text(
                surface, theme.font("h2"), self.heading(), pal.text,
                topleft=(side.x, self.heading_y)
            )
            for index, item in enumerate(self.menu.items):
                focused = index == self.menu.focus
                if self.answering:
                    draw_choice(surface, theme, self.choice_font, item, focused)
                else:
                    draw_button(surface, theme, item, focused)
        self._draw_hint(surface)

    @property
    def answering(self) -> bool:
        """True while the actions on the right are the answers to a decision."""
        return self.shown.phase is Phase.CHOOSING

    def heading(self) -> str:
        """The line above the actions: the question, or that the call is over."""
        return {
            Phase.CHOOSING: "What do you say?",
            Phase.READING: "",
            Phase.ENDED: "The call is over.",
        }[self.shown.phase]

    def _draw_hint(self, surface: pygame.Surface) -> None:
        """The keys that work now, in one line under the actions."""
        hint = (
            "1–9 or click to answer  ·  ↑ ↓ and Enter  ·  Esc pause"
            if self.shown.phase is Phase.CHOOSING
            else "Enter, Space or click to continue  ·  Esc pause"
        )
        draw_text(surface, self.theme.font("tiny"), hint, self.theme.palette.faint,
                  bottomleft=(self.side.x, self.side.bottom))
