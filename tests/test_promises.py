"""The campaign's promises, checked on the real stories with the exact analysis.

Each story's endings tell the player what a choice leads to; these tests hold the stories
to the promises their endings and feedback make: an apology after a sharp word is
honoured (the talent pool is still in reach, in the call and months later), and a pest
never gets a door better than ajar.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from story_runs import compiled, seeded_run, settle

from game.analysis.space import best_reachable
from game.authoring.analyze import analyze
from game.engine.compiled import CompiledStory
from game.engine.engine import choose, offers, start
from game.engine.scoring import scorecard
from game.engine.state import Phase, PlayState
from game.story.model import DEFAULT_BANDS, Outcome

LUMEN = ("rejection-call", "check-in", "the-callback")
AJAR_MIN = DEFAULT_BANDS.ajar.min  # the talent pool: the bundled stories' rubric keeps these


def first_sharp_words(story: CompiledStory, state: PlayState) -> Iterator[PlayState]:
    """Every state just after the run's first sharp word: a choice that argues with the
    decision or demands reasons (going over the recruiter's head comes later, and an
    apology for a whole escalation is not promised to mend it)."""
    state = settle(story, state)
    if state.phase is Phase.ENDED:
        return
    for offer in offers(story, state):
        if not offer.available:
            continue
        after = choose(story, state, offer.id)
        if {"argue", "demand-reasons"} & set(offer.tags):
            yield settle(story, after)
        elif not {"hang-up", "silence", "too-keen", "chase"} & set(offer.tags):
            # A call that had already gone cold (a flat "okay, thanks", a silence) or
            # overdone it costs on its own account; the promise is about the sharp word.
            yield from first_sharp_words(story, after)


@pytest.mark.parametrize("in_campaign", [False, True], ids=["alone", "in the campaign"])
def test_an_apology_right_after_a_sharp_word_keeps_the_pool_in_reach(in_campaign: bool
                                                                      ) -> None:
    story = compiled("rejection-call")
    imports = {"in_campaign": True} if in_campaign else {}
    apologies = 0
    for state in first_sharp_words(story, start(story, imports)):
        if state.phase is not Phase.CHOOSING or state.flags["do_not_recruit"]:
            continue
        for offer in offers(story, state):
            choice = next(c for c in story.model.scenes[state.scene].choices if c.id == offer.id)
            if choice.effects.get("apologised") is True and offer.available:
                apologies += 1
                best = best_reachable(story, choose(story, state, offer.id))
                assert best is not None and best >= AJAR_MIN, (state.scene, offer.id, best)
    assert apologies >= 5, "every way into an argument offers an apology"


@pytest.mark.parametrize("story_id", ["check-in", "the-callback"])
def test_an_apology_is_honoured_by_the_stories_after_the_call(story_id: str) -> None:
    story = compiled(story_id)
    apologised = best_reachable(story, start(story, {"argued": True, "apologised": True}))
    unapologetic = best_reachable(story, start(story, {"argued": True}))
    assert apologised is not None and unapologetic is not None
    assert apologised >= AJAR_MIN
    assert apologised >= unapologetic


@pytest.mark.parametrize("story_id", ["check-in", "the-callback"])
def test_an_imported_pest_never_ends_above_ajar(story_id: str) -> None:
    data = analyze(compiled(story_id), imports={"pest": True})
    reached = [e for e in data.endings if e.reachable]
    assert reached
    for ending in reached:
        doors = [Outcome(d.door) for d in ending.doors] or [Outcome(ending.outcome)]
        assert all(door.rank <= Outcome.AJAR.rank for door in doors), ending


@pytest.mark.parametrize("story_id", LUMEN)
def test_a_run_that_becomes_a_pest_never_ends_above_ajar(story_id: str) -> None:
    story = compiled(story_id)
    rng = random.Random(7)
    pests = 0
    for _ in range(400):
        *_, state = seeded_run(story, rng, prefer=frozenset({"too-keen", "chase"}))
        if state.flags.get("pest"):
            pests += 1
            card = scorecard(story, state)
            assert card.outcome.rank <= Outcome.AJAR.rank, (story_id, state.scene)
    assert pests > 0 or story_id == "the-callback", "the keen runs reach a pest note"
