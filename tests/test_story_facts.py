"""Facts that hold across the bundled stories: flags say what the lines that read them
say, the article's missing moments are there, and the words are consistent."""

from __future__ import annotations

import random
import re

import pytest
from story_runs import compiled, seeded_run, settle

from game.analysis.load import load_story
from game.engine.engine import beat, choose, offers, start
from game.paths import bundled_stories
from game.story.model import Story

STORIES = [p for p in bundled_stories() if not p.name.endswith(".rubric.yaml")]
# A choice that sets a flag carries the tag that says so, so personas and class reports
# count it as what it is.
FLAG_TAGS = {"argued": {"argue"}, "second_look": {"argue"}, "hung_up": {"hang-up"},
             "pest": {"too-keen", "chase"}, "do_not_recruit": {"disparage"}}


def spoken(story: Story) -> list[str]:
    """Every line, choice and feedback a player reads, and every ending's words."""
    found = []
    for scene in story.scenes.values():
        found += [text for line in scene.lines for text in line.values()]
        found += [text for c in scene.choices for text in (c.text, c.feedback)]
        if scene.ending:
            found += [scene.ending.title, scene.ending.epilogue, scene.ending.lesson]
    return found


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_a_choice_that_sets_a_flag_is_tagged_as_what_it_does(path) -> None:
    story = load_story(path, analyse=False).story
    assert story is not None
    for scene_id, scene in story.scenes.items():
        for choice in scene.choices:
            for flag, tags in FLAG_TAGS.items():
                if choice.effects.get(flag) is True:
                    assert tags & set(choice.tags), (scene_id, choice.id, flag, choice.tags)


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_okay_is_spelled_one_way(path) -> None:
    story = load_story(path, analyse=False).story
    assert story is not None
    odd = [text for text in spoken(story) if re.search(r"\b(OK|Ok)\b", text)]
    assert odd == []


def test_the_flagship_opens_with_the_regret_the_article_opens_with() -> None:
    story = compiled("rejection-call")
    first = start(story)
    assert first.scene == "prologue"
    answers = {o.id: o for o in offers(story, first)}
    assert answers.keys() == {"note-missing-point", "clarification", "let-it-go-tonight"}
    assert "too-keen" in answers["clarification"].tags
    assert {"thank", "calibrated"} <= set(answers["note-missing-point"].tags)
    greetings = {}
    for answer in answers:
        state = settle(story, choose(story, first, answer))
        assert state.scene == "the-news"
        greetings[answer] = " ".join(step.scene for step in state.history)
    # Maya has read what was sent: the call opens on the note, the essay, or neither.
    assert "greeting-note" in greetings["note-missing-point"]
    assert "greeting-essay" in greetings["clarification"]
    assert "greeting-plain" in greetings["let-it-go-tonight"]


def test_the_call_offers_the_articles_reframe_with_feedback_that_explains_it() -> None:
    story = compiled("rejection-call").model
    (reframe,) = [c for c in story.scenes["the-news"].choices if c.id == "who-else"]
    assert "who else" in reframe.text and "who else was in the mix" in reframe.feedback
    assert "calibrated" in reframe.tags and reframe.goto == "warm-reply"


@pytest.mark.parametrize(("imports", "opening"), [
    ({"do_not_recruit": True, "argued": True}, "open-note"),
    ({"pest": True, "kept_in_touch": True}, "open-pest"),
    ({"argued": True, "apologised": True}, "open-mended"),
    ({"argued": True}, "open-argued"),
    ({"hung_up": True, "thanked_in_writing": True}, "open-late-note"),
    ({"hung_up": True}, "open-hung-up"),
    ({"kept_in_touch": True, "agreed_month": True}, "open-warm"),
    ({"kept_in_touch": True}, "open-kept"),
    ({}, "open-fresh"),
])
def test_the_check_in_opens_from_what_the_call_left(imports, opening) -> None:
    story = compiled("check-in")
    assert start(story, imports).scene == opening


@pytest.mark.parametrize(("imports", "offered"), [
    ({"argued": True}, {"apologise"}),
    ({"argued": True, "apologised": True}, set()),
    ({"hung_up": True}, {"belated-thanks"}),
    ({"hung_up": True, "thanked_in_writing": True}, set()),
])
def test_the_check_in_offers_an_apology_or_a_late_thanks_only_once(imports, offered) -> None:
    story = compiled("check-in")
    week_one = settle(story, start(story, imports))
    assert week_one.scene == "week-one"
    ids = {o.id for o in offers(story, week_one) if o.available}
    assert ids & {"apologise", "belated-thanks"} == offered


def test_final_round_quotes_the_feedback_only_to_players_who_heard_it() -> None:
    story = compiled("final-round")
    rng = random.Random(3)
    quoted = 0
    for _ in range(300):
        for state in seeded_run(story, rng):
            text = " ".join(line.text for line in beat(story, state).lines)
            text += " ".join(o.text for o in offers(story, state))
            if "recommendation first" in text.lower():
                quoted += 1
                assert state.flags["heard_feedback"], state.scene
    assert quoted > 0


def test_the_other_side_is_a_different_search_from_alexs() -> None:
    story = compiled("other-side").model
    words = " ".join(spoken(story))
    assert "Senior Operations Analyst" not in words and "Alex" not in words
    flagship = compiled("rejection-call").model
    assert "Senior Operations Analyst" in " ".join(spoken(flagship))


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_a_callback_is_to_a_sibling_role_not_a_promotion(path) -> None:
    """A candidate who was just turned down is called back for a role at the same level."""
    story = load_story(path, analyse=False).story
    assert story is not None
    promoted = [text for text in spoken(story)
                if re.search(r"\b(Operations|Planning|Team) Lead\b", text)]
    assert promoted == []
