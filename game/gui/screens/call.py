"""The call: a phone with caller id, timer and chat transcript; the answers beside it.

The screen pulls from the engine: after every move it asks :func:`beat` what to
show, adds the scene's lines to the transcript and offers the beat's choices
(or a Continue button) once the lines have typed out.

Before a scene's lines, two things may take the stage (never when a saved or
reloaded call is replayed): a time-skip card when the scene's time stamp moves on,
and the ringing phone when the scene is an incoming call (``ring:``): Answer with
Enter, Space or a click; Decline, where the story offers it, takes its choice.
The phone's header, timer and bubbles follow the scene's channel (call, text or
email): the timer starts at 00:00 with each call and stops when it ends. A choice
the story marks ``remembered`` is followed by a short "They'll remember this".

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
from game.gui.runs import Retry
from game.gui.screens.base import Host, Screen
from game.gui.screens.column import (
    MeterRow,
    draw_bar_button,
    draw_meters,
    draw_scrollbar,
    place_bar,
    place_meters,
)
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.phone import (
    TimeCard,
    call_status,
    draw_frame,
    draw_header,
    draw_incoming,
    draw_time_card,
    header_height,
)
from game.gui.screens.transcript import Entry, Kind, Transcript
from game.gui.sound import CLICK, HANG_UP, PING, RING
from game.gui.widgets import (
    ACTIVATE_KEYS,
    Item,
    Menu,
    draw_button,
    draw_choice,
    draw_lines,
    measure_choice,
    number_of_key,
    wrap,
)
from game.story.model import NARRATOR, Channel, Ring

_SKIP_KEYS = (pygame.K_SPACE, *ACTIVATE_KEYS)
_SCROLL_KEYS = MappingProxyType({pygame.K_PAGEUP: 1, pygame.K_PAGEDOWN: -1})
REMEMBERED = "They'll remember this."
PHONE_MIN_SHARE = 0.34
"""The narrowest the phone gets (of the window's width) to make room for the answers."""
RINGING = "Your phone is ringing."
LISTENING = "Listening…"
LISTENING_HINT = "Space, Enter or click to show the whole line"
MENU_LABEL = "☰  Menu"
HISTORY_LABEL = "History"
UNDO_LABEL = "↶  Undo"
"""The button at the top right of a call that opens the pause menu (as Esc does)."""
LOCKED_NOTE = ("Assessment: your answers are final once given. You can look back over "
               "the call (H for the history) but not change it.")
"""The cue under a choice the story marks ``remembered: true``."""


def _entry_for_offer(offer: Offer, channel: Channel) -> Entry:
    text = offer.text.strip()
    kind = Kind.ACTION if text.startswith("(") and text.endswith(")") else Kind.PLAYER
    return Entry(kind, text, channel=channel)


class CallScreen(Screen):
    """One playthrough of a story, from the first line to the ending's last line.

    Args:
        app: The app.
        story: The story to play.
        imports: Campaign values the run starts from.
        retry: Set when a finished run is replayed to one of its decisions to try
            another answer there (with its moves): the answer given last time says so,
            and the debrief compares the two runs.
        moves: Moves already made (choice ids, None for Continue), replayed at
            once with the whole transcript shown: the live preview rebuilds the
            call this way after a reload. They must apply (use ``replay()``).
    """

    story: CompiledStory
    takes_back = True
    """Whether answers can be taken back here (in practice; never in a class's workshop)."""

    def __init__(
        self,
        app: Host,
        story: CompiledStory,
        imports: dict[str, int | bool] | None = None,
        *,
        moves: Sequence[str | None] = (),
        started: str = "",
        retry: Retry | None = None,
        undos: int = 0,
    ) -> None:
        super().__init__(app)
        self.retry = retry
        self.story = story
        self.started = started or now_iso()
        self.undos = undos
        """How many answers the player has taken back (the run record keeps the count)."""
        self.locked = app.session.mode == "assessment" and not app.previewing
        """An assessment run: each answer is final once given (no undo)."""
        self.answers_scroll = 0
        """How far the answers are scrolled (when they do not fit their column)."""
        self._wrapped: dict[tuple[int, str, int], list[str]] = {}
        self.menu_button = Item(MENU_LABEL)
        """The on-screen way to the pause menu (as Esc), for a player with a mouse alone."""
        self.history_button = Item(HISTORY_LABEL)
        self.undo_button = Item(UNDO_LABEL)
        undoes = self.takes_back and not self.locked
        self.bar = [self.history_button, *([self.undo_button] if undoes else []),
                    self.menu_button]
        """The buttons at the top right: History (H), Undo (Backspace, practice) and Menu."""
        self._begin(imports, moves)
        app.session.warm(story, self.state.imports)

    def _begin(self, imports: dict[str, int | bool] | None, moves: Sequence[str | None],
               *, again: bool = False) -> None:
        """Start the call afresh and replay ``moves`` at once (a save, a reload, an undo).

        ``again``: the player has seen it all before (an undo), so even with no moves
        the first lines show at once, with no ring or time card.
        """
        app, story = self.app, self.story
        self.state = start(story, imports)
        self.transcript = Transcript(app.text_speed)
        self.menu = Menu([])
        self.shown: Beat = beat(story, self.state)
        self.offers: tuple[Offer, ...] = ()
        """The answers on offer now (a declined call's choice is not offered after Answer)."""
        self._time = ""
        self.channel = self.shown.channel or Channel.CALL
        """What the phone shows now: a call, a text thread or an email."""
        self.call_ms = 0  # on the current call, for the timer
        self.on_call = False  # the first call starts when its lines show (or it is answered)
        self.card: TimeCard | None = None
        """The time-skip card, while it is up."""
        self.ringing: Ring | None = None
        """The incoming call, while the phone rings."""
        self.ring_ms = 0
        self._answered = False  # this scene's call was answered (its decline is not offered)
        self._lines_due = False  # the beat's lines wait for the card or the ring
        self._new_time = False
        self._replaying = bool(moves) or again
        self.ring_buttons: tuple[pygame.Rect | None, ...] = ()
        """Where the ringing phone's Answer and Decline buttons are (for clicks)."""
        session = app.session
        self.carried = carried_line(story.model, session.profile, self.state.imports,
                                    carrying=session.campaign or session.carry)
        """What the call carries over from earlier ones, in one line ('' if nothing could be)."""
        if self.carried:
            self.transcript.add(Entry(Kind.NOTE, self.carried))
        self._enter()
        for move in moves:
            self._move(move, keep=False)
        if self._replaying:
            self.transcript.skip()  # re-shown at once: no typing out again
        self._replaying = False

    def undo(self) -> None:
        """Take back the last answer (practice only): the call replays to just before it.

        Any number of answers can be taken back, to the first; an assessment run
        refuses, and says why, since its answers are final once given.
        """
        if self.locked:
            self.app.notify(LOCKED_NOTE)
            return
        moves = [step.choice for step in self.state.history]
        made = [index for index, move in enumerate(moves) if move is not None]
        if not made:
            self.app.notify("Nothing to take back yet: you have not answered.")
            return
        self.app.sounds.stop(RING)
        self.undos += 1
        self._begin(dict(self.state.imports), moves[:made[-1]], again=True)
        if self.app.previewing:
            return
        if self.state.history:
            self.app.session.keep_progress(self.story, self.state, self.started)
        else:
            self.app.session.drop_progress()

    def show_history(self) -> None:
        """Open the history: every line so far, each answer and its score change."""
        from game.gui.screens.history import HistoryScreen

        mode = "assessment, answers locked" if self.locked else "practice"
        self.app.push(HistoryScreen(self.app, self.story, self.state, mode))

    def _move(self, move: str | None, *, keep: bool = True) -> None:
        """Make one move as the player would: a choice by id, or Continue (None).

        ``keep`` saves the call in progress afterwards.
        """
        if move is None:
            self.state = advance(self.story, self.state)
        else:
            offer = next(o for o in self.shown.choices if o.id == move)
            self.transcript.add(_entry_for_offer(offer, self.channel))
            if offer.remembered:
                self.transcript.add(Entry(Kind.CUE, REMEMBERED, channel=self.channel))
            self.state = choose(self.story, self.state, offer.id)
            self._sound(CLICK)
        self._enter()
        if keep and not self.app.previewing:
            self.app.session.keep_progress(self.story, self.state, self.started)

    # ------------------------------------------------------------------ flow
    def _enter(self) -> None:
        """Show the current beat: a time-skip card or a ringing phone first, if it has
        one, then its time stamp, its lines and its actions."""
        self.shown = beat(self.story, self.state)
        first = not self._time
        self._new_time = bool(self.shown.time) and self.shown.time != self._time
        if self._new_time:
            self._time = self.shown.time
        self._answered = False
        if not self._replaying:
            if self._new_time and not first:
                self.card = TimeCard(self.shown.time)
            if self.shown.ring is not None:
                self.ringing = self.shown.ring
        self._lines_due = True
        if self.card is None and self.ringing is None:
            self._show_lines()
        elif self.card is None:
            self._start_ringing()
        else:
            self.layout(self.size)

    def _show_lines(self) -> None:
        """Put the beat's lines on the phone (in its channel) and offer its actions."""
        self._lines_due = False
        self._switch_channel(self.shown.channel)
        if self._new_time:
            self.transcript.add(Entry(Kind.TIME, self.shown.time))
        arrived = self._add_lines()
        if arrived and self.channel is not Channel.CALL:
            self._sound(PING)
        declined = self.shown.ring.decline if self.shown.ring and self._answered else None
        self.offers = tuple(o for o in self.shown.choices if o.id != declined)
        self._actions()
        self.layout(self.size)

    def _add_lines(self, *, narration_only: bool = False) -> bool:
        """Add the beat's lines to the transcript; return True if someone else spoke."""
        arrived = False
        for line in self.shown.lines:
            if line.speaker == NARRATOR:
                kind = Kind.NARRATOR
            elif narration_only:
                continue
            else:
                kind = Kind.PLAYER if line.is_player else Kind.OTHER
                arrived = arrived or not line.is_player
            self.transcript.add(Entry(kind, line.text, line.name, line.role, self.channel))
        return arrived

    def _actions(self) -> None:
        """Offer the beat's actions: its answers, Continue, or what happened next."""
        self.answers_scroll = 0
        if self.shown.phase is Phase.CHOOSING:
            items = [
                Item(o.text, number, o.available,
                     self._last_time(o) if o.available else f"Locked: {o.locked}")
                for number, o in enumerate(self.offers, 1)
            ]
            self.menu = Menu(items, focus=None)
        else:
            label = "Continue" if self.shown.phase is Phase.READING else "See what happened next"
            self.menu = Menu([Item(label, primary=True)])

    def _last_time(self, offer: Offer) -> str:
        """'Your answer last time' on the answer a retried decision had before."""
        retry = self.retry
        if retry is None or (self.state.scene, offer.id) != (retry.scene, retry.choice):
            return ""
        return "Your answer last time" if len(self.state.choices_made) == retry.number - 1 \
            else ""

    def _switch_channel(self, channel: Channel | None) -> None:
        """Follow the scene's channel: a new call starts the timer from 00:00; leaving a
        call stops it (with the hang-up tone)."""
        if channel is None:  # narration only: the phone stays as it was
            return
        new_call = channel is Channel.CALL and (
            not self.on_call or self.channel is not Channel.CALL or self._answered
            or self._new_time)
        if self.on_call and (channel is not Channel.CALL or new_call):
            self._end_call()
        if new_call:
            self.call_ms, self.on_call = 0, True
        self.channel = channel

    def _end_call(self) -> None:
        self.on_call = False
        self._sound(HANG_UP)

    def _start_ringing(self) -> None:
        self.ring_ms = 0
        self.menu = Menu([Item("Answer", primary=True)] + (
            [Item("Decline")] if self.ringing and self.ringing.decline else []))
        self._sound(RING, loop=True)
        self.layout(self.size)

    def answer(self) -> None:
        """Pick up the ringing phone: the call starts and the scene's lines show."""
        self.app.sounds.stop(RING)
        self._sound(CLICK)
        self.ringing = None
        self._answered = True
        self._show_lines()

    def decline(self) -> None:
        """Let the phone ring: take the choice the story gives for declining."""
        assert self.ringing is not None and self.ringing.decline is not None
        choice = self.ringing.decline
        self.app.sounds.stop(RING)
        self.ringing = None
        self._lines_due = False
        if self._new_time:
            self.transcript.add(Entry(Kind.TIME, self.shown.time))
        self._add_lines(narration_only=True)  # what was said on the call never was
        self._move(choice)

    def _card_done(self) -> None:
        self.card = None
        if self.ringing is not None:
            self._start_ringing()
        else:
            self._show_lines()

    def _sound(self, name: str, loop: bool = False) -> None:
        if not self._replaying:
            self.app.sounds.play(name, loop=loop)

    def act(self, index: int) -> None:
        """Carry out action ``index``: a choice, Continue, or leaving the call."""
        if self.ringing is not None:
            self.answer() if index == 0 else self.decline()
        elif self.shown.phase is Phase.CHOOSING:
            self._move(self.offers[index].id)
        elif self.shown.phase is Phase.READING:
            self._move(None)
        else:
            run = self.app.finish(self.story, self.state, self.started, self.undos)
            self.app.replace(ConsequenceScreen(self.app, self.story, self.state, run,
                                               retry=self.retry))

    @property
    def ready(self) -> bool:
        """Return True when the lines have typed out and the actions are live."""
        return not self.transcript.revealing and self.card is None and not self._lines_due

    # ------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        """Skip typing, scroll the transcript, pick an action, undo, or open the history."""
        clicked = event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
        if clicked and self.menu_button.rect.collidepoint(event.pos):
            self.open_menu()
            return
        if clicked and self.history_button.rect.collidepoint(event.pos):
            self.show_history()
            return
        if clicked and self.undo_button in self.bar and self.undo_button.rect.collidepoint(
                event.pos):
            self.undo()
            return
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_BACKSPACE, pygame.K_h):
            self.undo() if event.key == pygame.K_BACKSPACE else self.show_history()
            return
        if self.card is not None:
            if clicked or event.type == pygame.KEYDOWN:
                self._card_done()
            return
        if self.ringing is not None:
            self._handle_ringing(event)
            return
        if event.type == pygame.MOUSEWHEEL:
            over_answers = self.answers_area.collidepoint(pygame.mouse.get_pos())
            if over_answers and self.answers_overflow:
                self._scroll_answers(event.y * self.theme.px(48))
            else:
                self.transcript.scroll += event.y * self.theme.px(48)
            return
        if event.type == pygame.KEYDOWN and event.key in _SCROLL_KEYS:
            self.transcript.scroll += _SCROLL_KEYS[event.key] * self.phone_body.h // 2
            return
        if not self.ready:
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
        hidden = (self.answers_overflow and hasattr(event, "pos")
                  and not self.answers_area.collidepoint(event.pos))
        index = None if hidden else self.menu.handle(event)  # (an answer scrolled out of view)
        if event.type == pygame.KEYDOWN:
            self._show_focus()
        if index is not None:
            self.act(index)
        elif clicked and self.shown.phase is Phase.READING:
            self.act(0)  # a click anywhere continues a line, as Space does

    def open_menu(self) -> None:
        """Open the pause menu, as Esc does."""
        from game.gui.screens.pause import PauseScreen

        self.app.push(PauseScreen(self.app))

    def _handle_ringing(self, event: pygame.event.Event) -> None:
        """Answer with Space, Enter or a click on Answer; Decline by its button."""
        if event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
            self.answer()
            return
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for button, rect in enumerate(self.ring_buttons):
                if rect is not None and rect.collidepoint(event.pos):
                    self.act(button)
                    return
        index = self.menu.handle(event)
        if index is not None:
            self.act(index)

    def update(self, dt_ms: int) -> None:
        """Run the card, the ring, the call timer, and type out lines."""
        if self.card is not None:
            self.card.age += dt_ms
            if self.card.done:
                self._card_done()
            return
        if self.ringing is not None:
            self.ring_ms += dt_ms
            return
        if self.on_call:
            self.call_ms += dt_ms
        self.transcript.set_speed(self.app.text_speed)  # a change in the settings, at once
        self.transcript.update(dt_ms)
        if self.on_call and self.shown.phase is Phase.ENDED and self.ready:
            self._end_call()  # the story ends on the call: hang up

    def wake_in(self) -> int | None:
        """Wake at ~60 fps while typing, fading or ringing, else when the timer's second
        changes."""
        if self.transcript.revealing or self.card is not None:
            return 16
        if self.ringing is not None:
            return 16 if self.app.motion else 1000
        if not self.on_call:
            return None
        return 1000 - self.call_ms % 1000

    # ------------------------------------------------------------------ layout
    def _wrap(self, font: pygame.font.Font, text: str, width: int) -> list[str]:
        """:func:`wrap`, remembered: the column's headings and hints are drawn every frame."""
        key = (id(font), text, width)
        if key not in self._wrapped:
            if len(self._wrapped) > 64:
                self._wrapped.clear()
            self._wrapped[key] = wrap(font, text, width)
        return self._wrapped[key]

    def layout(self, size: tuple[int, int]) -> None:
        """Place the phone on the left and the answers on the right.

        Answers that do not fit take room from the phone, if that is enough to show them
        all (the phone keeps at least a third of the window); otherwise they scroll.
        """
        super().layout(size)
        self._wrapped.clear()  # (a new theme may reuse a font's id for another size)
        grow = 1 + (self.theme.text_scale - 1) * 0.4  # larger text: a wider phone, to 50%
        widest = min(round(size[0] * min(0.5, 0.42 * grow)), round(self.theme.px(540) * grow))
        self._place(size, widest)
        narrowest = round(size[0] * PHONE_MIN_SHARE)
        if self.answers_overflow and widest > narrowest:
            self._place(size, narrowest)
            if self.answers_overflow:  # even then they scroll: keep the phone as it was
                self._place(size, widest)
                return
            for width in range(widest, narrowest, -self.theme.px(24)):  # the widest that fits
                self._place(size, width)
                if not self.answers_overflow:
                    return
            self._place(size, narrowest)

    def _place(self, size: tuple[int, int], phone_w: int) -> None:
        """Place everything with the phone ``phone_w`` pixels wide."""
        px = self.theme.px
        w, h = size
        margin = px(32)
        self.phone = pygame.Rect(margin, margin, phone_w, h - 2 * margin)
        self.header = pygame.Rect(self.phone.x, self.phone.y + px(26), phone_w,
                                  header_height(self.theme, phone_w, self._caller()))
        self.phone_body = pygame.Rect(
            self.phone.x + px(18),
            self.header.bottom + px(16),
            phone_w - px(36),
            self.phone.bottom - self.header.bottom - px(52),
        )
        left = self.phone.right + px(48)
        self.side = pygame.Rect(left, margin, w - left - margin, h - 2 * margin)
        room, self.bar_bottom = place_bar(self.theme, self.side, self.bar)
        small = self.theme.font("small")
        title = self.story.model.title.upper()  # left out where it does not fit on one line
        self.title_lines = [title] if small.size(title)[0] <= room else []
        self._place_meters()
        self._place_actions()

    def _hint_height(self) -> int:
        """The room the key hints take at the foot of the answers' column (the longest)."""
        tiny = self.theme.font("tiny")
        variants = [self._hint_text(state) for state in ("ringing", "choosing", "reading")]
        lines = max(len(self._wrap(tiny, hint, self.side.w)) for hint in variants)
        return lines * tiny.get_linesize() + self.theme.px(12)

    def _place_meters(self) -> None:
        """Keep room at the foot of the answers' column for the meters, when shown."""
        shown = self.app.session.settings.show_meters
        labels = [m.label for m in self.story.model.meters.values()] if shown else []
        self.meters = place_meters(self.theme, self.side, labels,
                                   self.side.bottom - self._hint_height())
        self.meter_box = self.meters.box

    def _heading_height(self) -> int:
        """The room above the actions for the heading shown with them (while a line types
        out, "Listening…" takes its place and no actions are drawn)."""
        h2 = self.theme.font("h2")
        text = RINGING if self.ringing is not None else self.heading()
        return len(self._wrap(h2, text, self.side.w)) * h2.get_linesize() + self.theme.px(18)

    def _place_actions(self) -> None:
        """Place the heading and the actions between the title and the meters; answers
        that do not fit scroll (never smaller than the body text)."""
        theme, px, side = self.theme, self.theme.px, self.side
        heading_h = self._heading_height()
        gap = px(12)
        self.choice_font = theme.font("body")
        h3 = theme.font("h3")
        top = max(side.y + px(40), side.y + len(self.title_lines)
                  * theme.font("small").get_linesize(), self.bar_bottom) + px(12)
        bottom = self.meter_box.y - px(12)

        def heights(width: int) -> list[int]:
            if self.answering:
                return [measure_choice(theme, self.choice_font, it, width)
                        for it in self.menu.items]
            return [max(px(60), h3.get_linesize() + px(20))] * len(self.menu.items)

        sizes = heights(side.w)
        content = sum(sizes) + gap * (len(sizes) - 1)
        if content > bottom - top - heading_h:  # tight: closer together before scrolling
            gap = px(6)
            content = sum(sizes) + gap * (len(sizes) - 1)
        y = max(top, side.y + (bottom - side.y - heading_h - content) // 2)
        self.heading_y = y
        self.answers_area = pygame.Rect(side.x, y + heading_h, side.w,
                                        max(0, bottom - y - heading_h))
        self.answers_overflow = max(0, content - self.answers_area.h)
        width = side.w
        if self.answers_overflow:  # room for the scroll bar, then measure again
            width = side.w - px(18)
            sizes = heights(width)
            self.answers_overflow = max(0, sum(sizes) + gap * (len(sizes) - 1)
                                        - self.answers_area.h)
        self.answers_scroll = min(self.answers_scroll, self.answers_overflow)
        y = self.answers_area.y - self.answers_scroll
        for item, height in zip(self.menu.items, sizes, strict=True):
            item_w = width
            if not self.answering:
                item_w = min(width, max(px(260), h3.size(item.label)[0] + px(64)))
            item.rect = pygame.Rect(side.x, y, item_w, height)
            y += height + gap

    def _scroll_answers(self, pixels: int) -> None:
        """Scroll the answers by ``pixels`` (positive: towards the first)."""
        self.answers_scroll = max(0, min(self.answers_overflow, self.answers_scroll - pixels))
        self._place_actions()

    def _show_focus(self) -> None:
        """Scroll the answers so the focused one is wholly in view (or its start, if it is
        taller than the answers' area)."""
        if not self.answers_overflow or self.menu.focus is None:
            return
        rect, area = self.menu.items[self.menu.focus].rect, self.answers_area
        if rect.top < area.top or rect.h > area.h:  # (one taller than the area: its start)
            self._scroll_answers(area.top - rect.top)
        elif rect.bottom > area.bottom:
            self._scroll_answers(area.bottom - rect.bottom)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """Draw the phone (ringing, or the transcript), the answers, and any time card."""
        pal = self.theme.palette
        surface.fill(pal.background)
        draw_frame(surface, self.theme, self.phone)
        if self.ringing is not None:
            self.ring_buttons = draw_incoming(
                surface, self.theme, self.phone, self._person(self.ringing.caller),
                self.ring_ms, self.app.motion, self.ringing.decline is not None)
        else:
            status = call_status(self.theme, self.channel, self.on_call, self.call_ms)
            draw_header(surface, self.theme, self.header, self.phone, self._caller(), status)
            self.transcript.draw(surface, self.theme, self.phone_body)
        self._draw_side(surface)
        if self.card is not None:
            draw_time_card(surface, self.theme, self.card, self.app.motion)

    def _person(self, cast_id: str) -> tuple[str, str]:
        person = self.story.model.speaker(cast_id)
        return person.name, person.role

    def _caller(self) -> tuple[str, str]:
        model = self.story.model
        others = [k for k in model.cast if k != model.player]
        fallback = self._person(others[0]) if others else (model.title, "")
        return self.transcript.caller(fallback)

    def _draw_side(self, surface: pygame.Surface) -> None:
        theme, px, side = self.theme, self.theme.px, self.side
        pal, h2, small = theme.palette, theme.font("h2"), theme.font("small")
        draw_lines(surface, small, self.title_lines, pal.faint, side.x, side.y)
        for item in self.bar:
            draw_bar_button(surface, self.theme, item)
        y = self.heading_y
        if self.ringing is not None and self.card is None:
            draw_lines(surface, h2, self._wrap(h2, RINGING, side.w), pal.text, side.x, y)
            self._draw_actions(surface)
        elif not self.ready:
            y = draw_lines(surface, h2, self._wrap(h2, LISTENING, side.w), pal.muted, side.x, y)
            draw_lines(surface, small, self._wrap(small, LISTENING_HINT, side.w), pal.faint, side.x,
                       y + px(6))
        else:
            draw_lines(surface, h2, self._wrap(h2, self.heading(), side.w), pal.text, side.x, y)
            self._draw_actions(surface)
        self._draw_meters(surface)
        self._draw_hint(surface)

    def _draw_actions(self, surface: pygame.Surface) -> None:
        """The answers (or buttons), clipped to their area, with a scroll bar if they overflow."""
        theme, area = self.theme, self.answers_area
        clip = surface.get_clip()
        surface.set_clip(area.clip(clip) if self.answers_overflow else clip)
        for index, item in enumerate(self.menu.items):
            focused = index == self.menu.focus
            if self.answering:
                draw_choice(surface, theme, self.choice_font, item, focused)
            else:
                draw_button(surface, theme, item, focused)
        surface.set_clip(clip)
        if self.answers_overflow:
            draw_scrollbar(surface, theme, area, self.answers_scroll, self.answers_overflow)

    def _draw_meters(self, surface: pygame.Surface) -> None:
        """Each meter's label, bar and value (when shown)."""
        if self.meter_box.h:
            draw_meters(surface, self.theme, self.meters, [
                MeterRow(m.label, self.state.meters[name], m.min, m.max)
                for name, m in self.story.model.meters.items()])

    def toast_area(self) -> pygame.Rect:
        """Where notices go during a call: over the answers, never over the phone."""
        return self.side

    @property
    def answering(self) -> bool:
        """True while the actions on the right are the answers to a decision."""
        return self.ringing is None and self.shown.phase is Phase.CHOOSING

    def heading(self) -> str:
        """The line above the actions: the question, or that the call is over."""
        return {
            Phase.CHOOSING: "What do you say?",
            Phase.READING: "",
            Phase.ENDED: "The call is over.",
        }[self.shown.phase]

    def _hint_text(self, state: str = "") -> str:
        """The keys that work now (or in ``state``: ringing, choosing, reading)."""
        state = state or ("ringing" if self.ringing is not None else
                          "choosing" if self.shown.phase is Phase.CHOOSING else "reading")
        if state == "ringing":
            declines = self.ringing is None or self.ringing.decline is not None
            hint = ("Enter or Space to answer  ·  ↓ Enter to decline" if declines
                    else "Enter, Space or click to answer")
        elif state == "choosing":
            hint = "1–9 or click to answer  ·  ↑ ↓ and Enter"
        else:
            hint = "Enter, Space or click to continue"
        extra = "H history  ·  Esc menu" if self.locked else "⌫ undo  ·  H history  ·  Esc menu"
        tiny = self.theme.font("tiny")
        if len(self._wrap(tiny, f"{hint}  ·  {extra}", self.side.w)) > 2:  # narrow: the keys alone
            hint = {"ringing": "Enter to answer", "choosing": "1–9 to answer"}.get(
                state, "Enter to continue")
        return f"{hint}  ·  {extra}"

    def _draw_hint(self, surface: pygame.Surface) -> None:
        """The keys that work now, wrapped under the actions."""
        tiny = self.theme.font("tiny")
        lines = self._wrap(tiny, self._hint_text(), self.side.w)
        top = self.side.bottom - tiny.get_linesize() * len(lines)
        draw_lines(surface, tiny, lines, self.theme.palette.faint, self.side.x, top)
