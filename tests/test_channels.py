"""The story format's channels, incoming calls and remembered choices.

A scene says how it reaches the player (``channel: call | text | email``, a call by
default), may open on a ringing phone (``ring: {caller, decline}``), and a choice may
be marked ``remembered: true``; mistakes in any of them are located errors.
"""

from __future__ import annotations

import re

from game.analysis.load import load_story
from game.engine.engine import beat, start
from game.story.library import find_story
from game.story.model import Channel
from tests.story_runs import compiled, settle

STORY = """\
id: ringing
title: Ringing
cast:
  you: {name: Alex}
  maya: {name: Maya, role: Recruiter}
start: ring
scenes:
  ring:
    ring: {caller: maya, decline: let-it-ring}
    lines:
      - narrator: Your phone lights up.
    choices:
      - id: hello
        text: Hi Maya.
        goto: text
        feedback: Answering is polite.
        remembered: true
      - id: let-it-ring
        text: (Let it ring.)
        goto: text
        feedback: She has to try again.
  text:
    channel: text
    lines:
      - maya: Sorry I missed you.
    next: aside
  aside:
    lines:
      - narrator: You put the phone down.
    next: end
  end:
    ending: {title: End, outcome: ajar, epilogue: Months later.}
"""


def _errors(write_story, text: str) -> list[str]:
    result = load_story(write_story(text), analyse=False)
    return [d.format() for d in result.diagnostics if d.severity == "error"]


def test_a_scene_says_its_channel_and_narration_keeps_the_phone_as_it_was(write_story) -> None:
    loaded = load_story(write_story(STORY), analyse=False)
    assert loaded.compiled is not None, [d.format() for d in loaded.diagnostics]
    story = loaded.compiled
    state = start(story)
    shown = beat(story, state)
    assert shown.channel is Channel.CALL  # named by nobody, but it rings: a call
    assert shown.ring is not None and shown.ring.caller == "maya"
    assert shown.ring.decline == "let-it-ring"
    assert [o.remembered for o in shown.choices] == [True, False]
    scenes = story.model.scenes
    assert beat(story, state.model_copy(update={"scene": "text"})).channel is Channel.TEXT
    # narration only, no channel named: the phone stays as the scene before left it
    assert scenes["aside"].channel is Channel.CALL
    assert beat(story, state.model_copy(update={"scene": "aside"})).channel is None


def test_a_ring_on_a_text_scene_is_a_located_error(write_story) -> None:
    text = STORY.replace("  ring:\n    ring:", "  ring:\n    channel: email\n    ring:")
    (error,) = _errors(write_story, text)
    assert re.search(r"story\.yaml:9:\d+: error CB008: 'ring' starts an incoming call, but"
                     r" this scene's channel is 'email'", error), error


def test_a_decline_that_is_not_a_choice_of_the_scene_is_an_error(write_story) -> None:
    (error,) = _errors(write_story, STORY.replace("decline: let-it-ring", "decline: let-ring"))
    assert "CB008" in error and "'let-ring', which is not a choice of this scene" in error
    assert "(its choices: hello, let-it-ring)" in error


def test_an_unknown_channel_says_which_are_allowed(write_story) -> None:
    (error,) = _errors(write_story, STORY.replace("channel: text", "channel: sms"))
    assert re.search(r"story\.yaml:\d+:\d+: error CB008: 'sms' is not allowed here: use call,"
                     r" text or email", error), error


def test_a_caller_must_be_someone_else_in_the_cast(write_story) -> None:
    (unknown,) = _errors(write_story, STORY.replace("caller: maya", "caller: mya"))
    assert re.search(r"story\.yaml:9:\d+: error CB011: caller 'mya' is not in the cast"
                     r" \(did you mean 'maya'\?\)", unknown), unknown
    (player,) = _errors(write_story, STORY.replace("caller: maya", "caller: you"))
    assert "CB011: the caller 'you' is the player" in player and "'maya'" in player


def test_remembered_must_be_true_or_false(write_story) -> None:
    (error,) = _errors(write_story, STORY.replace("remembered: true", "remembered: often"))
    assert "CB003" in error or "CB008" in error


def _flags_read_later(story_id: str) -> set[str]:
    """Flags a condition of the story reads, or that a later campaign story imports."""
    model = compiled(story_id).model
    words: set[str] = set()
    for scene in model.scenes.values():
        for condition in [r.condition for r in scene.route] + [c.condition for c in
                                                               scene.choices]:
            words |= set(re.findall(r"[a-z_][a-z0-9_-]*", condition or ""))
    imported: set[str] = set()
    for other in ("check-in", "the-callback"):
        campaign = compiled(other).model.campaign
        imported |= set(campaign.imports if campaign else ())
    exported = set(model.campaign.exports) if model.campaign else set()
    return (words | (exported & imported)) & set(model.flags)


def test_the_flagship_marks_exactly_the_choices_later_scenes_react_to() -> None:
    model = compiled("rejection-call").model
    read = _flags_read_later("rejection-call")
    wrong = []
    for sid, scene in model.scenes.items():
        for choice in scene.choices:
            sets_read = any(v is True and k in read for k, v in choice.effects.items())
            if choice.remembered != sets_read:
                wrong.append(f"{sid}/{choice.id}: remembered={choice.remembered}")
    assert not wrong, wrong
    assert sum(c.remembered for s in model.scenes.values() for c in s.choices) >= 10


def test_every_bundled_incoming_call_rings_from_someone_who_speaks_in_it() -> None:
    for story_id in ("rejection-call", "final-round", "the-callback"):
        story = compiled(story_id)
        rings = {sid: s.ring for sid, s in story.model.scenes.items() if s.ring is not None}
        assert rings, story_id
        for ring in rings.values():
            assert ring.caller in story.model.cast and ring.caller != story.model.player
    # the flagship's first call rings before Maya's greeting
    story = compiled("rejection-call")
    state = settle(story, start(story))
    assert story.model.scenes["ring"].ring is not None
    assert find_story("rejection-call").is_file() and state.scene == "prologue"
