"""The call as a player meets it, in the real window loop: the ring, the answer, a text
thread, a time-skip card, the debrief beside the best path, and "try another answer".

Events are posted and frames stepped as a player's input would arrive; the sounds are
observed through a fake mixer (see ``tests/test_sound.py``), and what is drawn is
checked in the named regions of the screen.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.gui.screens.call import REMEMBERED, CallScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.debrief import DebriefScreen
from game.gui.screens.phone import CARD_MS, FADE_MS
from game.gui.screens.transcript import Kind
from game.gui.sound import Sounds
from game.story.model import Channel
from tests.gui_helpers import Drawn, Pilot, TextSpy, make_app, shows, write
from tests.test_sound import FakeMixer

PHONE_STORY = """\
id: phone-test
title: The Phone Test
cast:
  you: {name: Alex Morgan, role: Candidate}
  maya: {name: Maya Okafor, role: "Recruiter, Northwind"}
  jordan: {name: Jordan Ellis, role: Friend}
meters:
  door: {label: Door, weight: 2}
  composure: {label: Composure}
flags:
  kept: {help: Asked to keep in touch.}
start: ring
scenes:
  ring:
    time: "Monday, 9:05 am"
    ring: {caller: maya, decline: let-it-ring}
    lines:
      - narrator: Your phone lights up.
      - maya: Hi Alex, it's Maya. I'm sorry, we went with someone else.
    choices:
      - id: thank
        text: Thank you for telling me yourself.
        goto: ask
        effects: {door: 10, composure: 10}
        feedback: Thanks keep the door open.
      - id: snap
        text: That's the wrong decision.
        goto: ask
        effects: {door: -30, composure: -30}
        feedback: Arguing closes the door.
      - id: let-it-ring
        text: (Let it ring.)
        goto: voicemail
        effects: {door: -5}
        feedback: She has to try again.
  voicemail:
    lines:
      - maya: Sorry I missed you. Call me back?
    next: ask
  ask:
    lines:
      - maya: Would you like to keep in touch?
    choices:
      - id: keep
        text: Yes please, an email in a month or so?
        goto: texts
        effects: {door: 20, kept: true}
        remembered: true
        feedback: Asking to keep in touch turns a no into a relationship.
      - id: bye
        text: No need. Bye.
        goto: texts
        effects: {door: -10}
        feedback: Hanging up fast leaves nothing to remember.
  texts:
    time: "That evening"
    channel: text
    lines:
      - jordan: Any news?? Fingers crossed!
    choices:
      - id: kind
        text: Didn't get it, but they were lovely.
        goto: check
        feedback: Discretion about a company you want to work for.
      - id: rant
        text: They're clowns. Glad I dodged it.
        goto: check
        effects: {composure: -10}
        feedback: Screenshots travel.
  check:
    route:
      - {if: kept, goto: end-open}
      - {goto: end-shut}
  end-open:
    ending:
      title: The door stays open
      outcome: open
      time_skip: Six months later...
      epilogue: Maya calls about a new role.
  end-shut:
    ending: {title: Forgotten, outcome: shut, time_skip: Months later..., epilogue: Nothing.}
"""


def _phone_app(tmp_path: Path, size: tuple[int, int] = (1280, 720)):
    mixer = FakeMixer()
    path = write(tmp_path, "phone.yaml", PHONE_STORY)
    app = make_app(tmp_path, [path], size=size, sounds=Sounds(mixer=mixer), text_speed=0)
    app.open_story(path)
    app.step()
    call = app.top
    assert isinstance(call, CallScreen)
    return app, Pilot(app), call, mixer


def _colour_near(pilot: Pilot, rect: pygame.Rect, colour: tuple[int, int, int]) -> bool:
    """True if the pixel just inside the left edge of ``rect``, at its middle, is ``colour``."""
    seen = pilot.pixel((rect.x + max(2, rect.w // 10), rect.centery))
    return all(abs(a - b) <= 8 for a, b in zip(seen, colour, strict=True))


def test_the_call_rings_then_answering_starts_the_timer(tmp_path: Path, monkeypatch) -> None:
    app, pilot, call, mixer = _phone_app(tmp_path)
    spy = TextSpy(monkeypatch)
    pal = app.theme.palette
    # ringing: the caller's name on the phone, Answer and Decline, and Maya has said nothing
    spy.frame(app)
    assert call.ringing is not None and not call.ready
    assert ("ring", -1, 0.8) in mixer.played()
    (name,) = [d for d in spy.find("Maya Okafor") if d.font is app.theme.font("h2")]
    assert call.phone.collidepoint(name.topleft) and shows(app.surface, name)
    assert spy.find("Incoming call")
    answer, decline = call.ring_buttons
    assert answer is not None and decline is not None
    assert _colour_near(pilot, answer, pal.call_green) and _colour_near(pilot, decline, pal.hang_up)
    assert not [e for e in call.transcript.entries if e.kind is Kind.OTHER]
    pilot.wait(5000)
    assert call.call_ms == 0  # no call yet: the timer waits for the answer
    # a click on the green button answers: the ring stops, a click sounds, Maya speaks
    pilot.click(answer.center)
    assert call.ringing is None and call.ready
    assert ("stop", "ring") in mixer.log and mixer.played()[-1][0] == "click"
    assert [o.id for o in call.offers] == ["thank", "snap"]  # declining is past
    pilot.wait(3000)
    spy.frame(app)
    (status,) = spy.find("On call")
    assert status.text == "On call  00:03" and status.colour == pal.call_green
    assert shows(app.surface, status)
    said = spy.find("we went with someone else")
    assert said and shows(app.surface, said[0])


def test_decline_takes_the_storys_choice_and_space_answers(tmp_path: Path) -> None:
    app, pilot, call, mixer = _phone_app(tmp_path)
    pilot.press(pygame.K_DOWN)  # focus Decline
    pilot.press(pygame.K_RETURN)
    assert call.state.choices_made == ["let-it-ring"]
    texts = [e.text for e in call.transcript.entries]
    assert texts[-1] == "Sorry I missed you. Call me back?"
    assert "Your phone lights up." in texts  # the scene's narration stays
    assert "Hi Alex, it's Maya. I'm sorry, we went with someone else." not in texts
    assert ("stop", "ring") in mixer.log
    # Space answers a ringing phone too
    (tmp_path / "again").mkdir()
    app2, pilot2, call2, _ = _phone_app(tmp_path / "again")
    pilot2.press(pygame.K_SPACE)
    assert call2.ringing is None and call2.on_call


def test_a_text_thread_changes_the_header_and_stops_the_call(tmp_path: Path,
                                                             monkeypatch) -> None:
    app, pilot, call, mixer = _phone_app(tmp_path)
    spy = TextSpy(monkeypatch)
    pilot.press(pygame.K_RETURN)  # answer
    pilot.wait(65_000)
    pilot.press(pygame.K_1)  # thank
    pilot.press(pygame.K_1)  # keep in touch: remembered
    cue = [e for e in call.transcript.entries if e.kind is Kind.CUE]
    assert [e.text for e in cue] == [REMEMBERED]
    # the time moves on: a card first, over the whole window
    assert call.card is not None and call.card.text == "That evening"
    assert ("play", "hangup") not in [c[:2] for c in mixer.log]  # not yet: the card is up
    pilot.wait(FADE_MS)
    spy.frame(app)
    (card,) = spy.find("That evening")
    assert shows(app.surface, card)
    centre = (app.surface.get_width() // 2, app.surface.get_height() // 4)
    assert pilot.pixel(centre) == app.theme.palette.backdrop  # the phone is covered
    pilot.wait(CARD_MS)  # the card goes by itself
    assert call.card is None and call.channel is Channel.TEXT
    assert not call.on_call and call.call_ms >= 65_000
    assert [c[:1] for c in mixer.played()][-2:] == [("hangup",), ("ping",)]
    stopped = call.call_ms
    pilot.wait(4000)
    assert call.call_ms == stopped  # the timer stopped when the call ended
    spy.frame(app)
    assert not spy.find("On call")
    (status,) = spy.find("Messages")
    assert status.colour == app.theme.palette.accent and shows(app.surface, status)
    (header,) = [d for d in spy.find("Jordan Ellis") if d.font is app.theme.font("h3")]
    assert call.header.collidepoint(header.topleft) and shows(app.surface, header)
    # the cue is drawn where the remembered choice was, in the accent colour
    pilot.wheel(10)
    spy.frame(app)
    assert any(d.colour == app.theme.palette.accent for d in spy.find(REMEMBERED))


def test_reduced_motion_shows_the_card_without_a_fade(tmp_path: Path) -> None:
    app, pilot, call, _ = _phone_app(tmp_path)
    pilot.press(pygame.K_RETURN)
    pilot.press(pygame.K_1)
    pilot.press(pygame.K_1)
    assert call.card is not None
    assert call.card.alpha(motion=True) == 0  # with motion it fades in from nothing
    assert call.card.alpha(motion=False) == 255  # without, it is there at once
    pilot.press(pygame.K_SPACE)  # a key moves on at once
    assert call.card is None and call.ready


def _to_debrief(pilot: Pilot, answers: list[int]) -> DebriefScreen:
    for _ in range(60):
        top = pilot.top
        if isinstance(top, DebriefScreen):
            top.run.wait(60)
            pilot.until(lambda: top.ready)  # noqa: B023 (called at once)
            return top
        if isinstance(top, ConsequenceScreen):
            pilot.press(pygame.K_RETURN)
        elif isinstance(top, CallScreen) and (top.ringing or top.card):
            pilot.press(pygame.K_SPACE)
        elif isinstance(top, CallScreen) and top.answering:
            pilot.press(getattr(pygame, f"K_{answers.pop(0)}"))
        else:
            pilot.press(pygame.K_RETURN)
    raise AssertionError(f"never reached the debrief (at {type(pilot.top).__name__})")


def _details(app, spy: TextSpy, debrief: DebriefScreen) -> list[Drawn]:
    """The text of the debrief's details column, where it is on screen now.

    The column is drawn once per layout onto its own surface, then shown scrolled:
    lay it out again under the spy and move each line to the window's pixels.
    """
    spy.drawn.clear()
    debrief.layout(debrief.size)
    drawn = [Drawn(d.text, d.font, d.colour,
                   (d.topleft[0] + debrief.right.x, d.topleft[1] + debrief.right.y
                    - debrief.scroll)) for d in spy.drawn]
    spy.frame(app)
    return drawn


def _in_view(debrief: DebriefScreen, drawn: Drawn) -> bool:
    return debrief.right.collidepoint(drawn.topleft) and debrief.right.collidepoint(
        drawn.topleft[0], drawn.topleft[1] + drawn.font.get_height() - 1)


def test_the_debrief_shows_the_best_path_and_tries_the_other_answer(tmp_path: Path,
                                                                    monkeypatch) -> None:
    app, pilot, call, _ = _phone_app(tmp_path)
    debrief = _to_debrief(pilot, [1, 2, 1])  # thank, no need (bye), kind
    card = debrief.card
    assert card is not None and card.outcome.value == "shut"
    spy = TextSpy(monkeypatch)
    details = _details(app, spy, debrief)
    # the best path beside the player's, the parting marked at the second decision
    assert [s.choice for s in debrief.run.best] == ["thank", "keep", "kind"]
    (parted,) = [d for d in details if d.text == "You parted here"]
    assert parted.colour == app.theme.palette.warn
    rows = [d for d in details if d.text in ("1", "2", "3") and d.topleft[1] > parted.topleft[1]]
    assert rows[0].text == "2"  # marked on the second decision
    # the turning point is "No need. Bye.", the choice that lost the most (never one
    # on the best path)
    (heading,) = [d for d in details if d.text == "The turning point"]
    assert _in_view(debrief, heading) and shows(app.surface, heading)
    assert [d for d in details if d.text == "“No need. Bye.”"]
    if not _in_view(debrief, parted):
        debrief.scroll = parted.topleft[1] - debrief.right.y
        details = _details(app, spy, debrief)
        (parted,) = [d for d in details if d.text == "You parted here"]
    assert _in_view(debrief, parted) and shows(app.surface, parted)
    # "Try another answer" on the second decision, by its button
    assert len(debrief.tries) == 3
    debrief.scroll = debrief.max_scroll
    details = _details(app, spy, debrief)
    right = debrief.right
    second = debrief.tries[1].move(right.x, right.y - debrief.scroll)
    assert right.contains(second), "the second decision's button is in view"
    (label,) = [d for d in details if "Try another answer" in d.text
                and second.collidepoint(d.topleft)]
    assert label.text.startswith("2") and shows(app.surface, label)
    pilot.click(second.center)
    again = pilot.top
    assert isinstance(again, CallScreen) and again is not call
    assert again.state.choices_made == ["thank"] and again.state.scene == "ask"
    assert again.ringing is None and again.ready  # replayed to the decision at once
    last = [it for it in again.menu.items if it.note == "Your answer last time"]
    assert [it.label for it in last] == ["No need. Bye."]
    second_run = _to_debrief(pilot, [1, 1])  # keep in touch this time, then kind
    assert second_run is not debrief and second_run.card is not None
    assert second_run.card.outcome.value == "open"
    assert second_run.card.score > card.score
    details = _details(app, spy, second_run)
    (changed,) = [d for d in details if d.text == "What changed at decision 2"]
    assert _in_view(second_run, changed) and shows(app.surface, changed)
    said = " ".join(d.text for d in details)
    assert f"→ {card.score}, door shut" in said
    assert f"→ {second_run.card.score}, door open (+{second_run.card.score - card.score})" \
        in said
    assert not [d for d in details if d.text == "You parted here"]  # the best path this time


def test_keys_1_to_9_try_another_answer_on_the_debrief(tmp_path: Path) -> None:
    app, pilot, _, _ = _phone_app(tmp_path)
    debrief = _to_debrief(pilot, [2, 2, 2])
    assert len(debrief.tries) == 3
    pilot.press(pygame.K_3)
    again = pilot.top
    assert isinstance(again, CallScreen)
    assert again.state.choices_made == ["snap", "bye"] and again.state.scene == "texts"
    pilot.press(pygame.K_9)  # no ninth decision: nothing happens on the call either
    assert pilot.top is again


def test_screens_fade_into_each_other_unless_motion_is_reduced(tmp_path: Path) -> None:
    from dataclasses import replace

    from game.gui.app import TRANSITION_MS
    from tests.gui_helpers import start_call

    for reduced in (False, True):
        folder = tmp_path / str(reduced)
        folder.mkdir()
        app = make_app(folder, transitions=True)
        app.apply_settings(replace(app.session.settings, reduced_motion=reduced))
        pilot = Pilot(app)
        call = start_call(pilot)
        corner = (app.surface.get_width() - 5, app.surface.get_height() // 2)
        before = pilot.pixel(corner)  # the call's background
        pilot.press(pygame.K_2)  # an insult: the story ends there
        pilot.until(lambda: call.ready)  # noqa: B023 (called at once)
        pilot.press(pygame.K_RETURN)  # what happened next
        assert isinstance(pilot.top, ConsequenceScreen)
        backdrop = app.theme.palette.backdrop
        if reduced:
            assert pilot.pixel(corner) == backdrop  # at once
        else:
            assert pilot.pixel(corner) == before  # the last frame, fading out
            pilot.wait(TRANSITION_MS // 2)
            mid = pilot.pixel(corner)
            assert mid not in (before, backdrop)  # half way between the two
            pilot.wait(TRANSITION_MS)
            assert pilot.pixel(corner) == backdrop


def test_the_volume_setting_reaches_the_mixer_at_once(tmp_path: Path) -> None:
    from dataclasses import replace

    app, pilot, call, mixer = _phone_app(tmp_path)
    assert mixer.sounds["ring"].volume == 0.8
    app.apply_settings(replace(app.session.settings, volume=30))
    assert mixer.sounds["ring"].volume == 0.3
    app.apply_settings(replace(app.session.settings, muted=True))
    assert mixer.sounds["ring"].volume == 0.0
    assert app.session.settings.volume == 30  # kept for next time


def test_leaving_a_ringing_phone_stops_the_ring(tmp_path: Path) -> None:
    app, pilot, call, mixer = _phone_app(tmp_path)
    assert call.ringing is not None
    pilot.press(pygame.K_ESCAPE)  # the pause menu: the phone still rings under it
    assert ("stop", "ring") not in mixer.log
    app.to_title()
    assert ("stop", "ring") in mixer.log
