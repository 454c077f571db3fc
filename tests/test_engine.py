"""The engine's pull API, state values and scoring, on inline stories."""

from __future__ import annotations

import functools
import textwrap

import pytest

from game.analysis.load import load_story
from game.analysis.space import best_reachable
from game.engine.compiled import CompiledStory
from game.engine.engine import EngineError, advance, beat, choose, replay, start
from game.engine.scoring import scorecard
from game.engine.state import Phase, PlayState, StateError
from game.story.model import Outcome

STORY = textwrap.dedent(
    """
    id: engine-test
    title: Engine test
    cast:
      you: {name: Alex Morgan}
      maya: {name: Maya Okafor, role: Recruiter}
    meters:
      composure: {label: Composure}
      door: {label: Door, min: 0, max: 100, start: 90}
      contacts: {label: Contacts, weight: 0, start: 0}
    flags:
      pest: {help: Too keen., max_score: 60, forces_outcome: ajar}
      warned: {}
    tags: {thank: t, chase: c}
    campaign: {order: 1, imports: [warned], exports: [pest]}
    start: router
    scenes:
      router:
        route:
          - {if: warned, goto: cold}
          - {goto: news}
      cold:
        lines: [{maya: "Hi. Quickly, then."}]
        next: news
      news:
        time: Tuesday
        lines:
          - narrator: The phone rings.
          - maya: We went with someone else.
        choices:
          - id: thank
            text: Thank you.
            goto: follow
            effects: {door: 30, composure: 5}
            feedback: Good.
            tags: [thank]
          - id: secret
            text: Hidden unless composure is high.
            goto: follow
            if: composure > 90
            feedback: x
          - id: locked
            text: Ask for the manager.
            goto: follow
            if: composure > 90
            locked: Needs composure 90+
            feedback: x
      follow:
        lines: [{maya: Anything else?}]
        choices:
          - id: chase
            text: Call again tomorrow.
            goto: follow
            if: contacts < 3
            effects: {contacts: 1, pest: true}
            feedback: Too keen.
            tags: [chase]
          - id: bye
            text: Bye.
            goto: done
            feedback: Fine.
      done:
        ending: {title: Done, outcome: open, epilogue: Later.}
    """
)


@pytest.fixture
def story(write_story) -> CompiledStory:
    result = load_story(write_story(STORY))
    assert result.compiled is not None, [d.format() for d in result.diagnostics]
    return result.compiled


def test_start_follows_routes_and_shows_lines_and_offers(story: CompiledStory) -> None:
    state = start(story)
    shown = beat(story, state)
    assert shown.phase is Phase.CHOOSING and shown.scene == "news" and shown.time == "Tuesday"
    assert [(line.speaker, line.name) for line in shown.lines] == [
        ("narrator", ""), ("maya", "Maya Okafor")]
    assert [(o.number, o.id, o.available) for o in shown.choices] == [
        (1, "thank", True), (2, "locked", False)]
    assert shown.choices[1].locked == "Needs composure 90+"


def test_imports_change_the_route_and_next_scenes_need_advance(story: CompiledStory) -> None:
    state = start(story, {"warned": True, "pest": True})
    assert state.scene == "cold" and state.phase is Phase.READING
    assert state.flags["pest"] is False, "pest is not an import of this story"
    with pytest.raises(EngineError, match=r"call advance\(story, state\) instead"):
        choose(story, state, "thank")
    state = advance(story, state)
    assert state.scene == "news"


def test_choose_is_pure_clamps_and_records_real_deltas(story: CompiledStory) -> None:
    first = start(story)
    second = choose(story, first, "thank")
    assert first.scene == "news" and first.meters["door"] == 90
    assert second.meters["door"] == 100
    assert second.history[-1].deltas == {"door": 10, "composure": 5}


def test_wrong_phase_and_unknown_or_locked_choice_fail_loudly(story: CompiledStory) -> None:
    state = start(story)
    with pytest.raises(EngineError, match="no choice 'nope'.*offered: thank"):
        choose(story, state, "nope")
    with pytest.raises(EngineError, match="locked now: Needs composure 90"):
        choose(story, state, "locked")
    with pytest.raises(EngineError, match="call choose"):
        advance(story, state)
    with pytest.raises(EngineError, match="finish the run first"):
        scorecard(story, state)


def test_conditions_close_a_loop_and_flags_floor_the_outcome(story: CompiledStory) -> None:
    state = choose(story, start(story), "thank")
    for _ in range(3):
        state = choose(story, state, "chase")
    assert [o.id for o in beat(story, state).choices] == ["bye"]
    state = choose(story, state, "bye")
    with pytest.raises(EngineError, match="call scorecard"):
        choose(story, state, "bye")
    card = scorecard(story, state, functools.partial(best_reachable, story))
    assert card.declared_outcome is Outcome.OPEN and card.outcome is Outcome.AJAR
    assert card.score == 60 and card.floors == ("pest",)  # (pest caps it at 60: in ajar's band)
    assert card.band.min == 50 and card.band.max == 69
    assert card.band_line == "60 is in the ajar band (50-69): kept in the talent pool"
    assert [d.choice for d in card.decisions] == ["thank", "chase", "chase", "chase", "bye"]
    assert card.best_possible is not None and card.best_possible > card.score
    assert card.costliest is not None and card.costliest.choice == "chase"


def test_state_round_trips_through_json_and_refuses_future_versions(story: CompiledStory) -> None:
    state = choose(story, start(story), "thank")
    again = PlayState.from_json(state.to_json())
    assert again == state
    with pytest.raises(StateError, match="version 99"):
        PlayState.from_json(state.to_json().replace('"version":1', '"version":99'))
    with pytest.raises(StateError, match="not JSON"):
        PlayState.from_json("{nope")


def test_replay_goes_as_far_as_moves_still_apply(story: CompiledStory) -> None:
    state, used = replay(story, ["thank", "chase", "gone", "bye"])
    assert used == 2 and state.scene == "follow"
    assert state.choices_made == ["thank", "chase"]


def test_a_compiled_story_builds_what_it_keeps_once_even_for_two_threads(
    story: CompiledStory,
) -> None:
    import threading
    import time

    built: list[str] = []

    def make() -> list[str]:
        inner = story.memo(("test", "inner"), lambda: ["inner"])  # asking again inside: no hang
        built.append("outer")
        time.sleep(0.05)  # long enough for the other thread to ask meanwhile
        return [*inner, "outer"]

    results: list[list[str]] = []
    threads = [threading.Thread(target=lambda: results.append(story.memo(("test", "outer"), make)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert built == ["outer"]
    assert len(results) == 2 and results[0] is results[1] == ["inner", "outer"]


BANDED = textwrap.dedent(
    """
    id: banded
    title: Banded
    cast:
      you: {name: Alex Morgan}
      maya: {name: Maya Okafor, role: Recruiter}
    meters:
      door: {label: Door}
    flags:
      noted: {help: A cool note on file., max_score: 35}
    tags: {thank: t, argue: a}
    start: news
    scenes:
      news:
        lines: [{maya: We went with someone else.}]
        choices:
          - {id: warm, text: Thank you., goto: open, effects: {door: 40}, feedback: Good.}
          - {id: lukewarm, text: Okay., goto: open, effects: {door: 5}, feedback: Meh.}
          - {id: sharp, text: Wrong call., goto: shut, effects: {door: 30}, feedback: Hm.}
          - {id: noted, text: Fine., goto: open, effects: {door: 40, noted: true}, feedback: Cool.}
      open:
        ending: {title: Open, outcome: open, epilogue: She calls.}
      shut:
        ending: {title: Shut, outcome: shut, epilogue: Nobody calls.}
    """
)


def test_the_score_is_held_in_the_band_of_the_door_and_floors_lower_both(write_story) -> None:
    """One rule: the door is the ending's after floors, and the score lies in its band."""
    result = load_story(write_story(BANDED))
    assert result.compiled is not None, [d.format() for d in result.diagnostics]
    story = result.compiled

    def card(choice: str):  # type: ignore[no-untyped-def]
        return scorecard(story, choose(story, start(story), choice))

    warm, lukewarm, sharp, noted = (card(c) for c in ("warm", "lukewarm", "sharp", "noted"))
    assert (warm.outcome, warm.score) == (Outcome.OPEN, 90)  # in band: the score itself
    # 55 earns ajar, but the ending promises open: the score is held at open's floor, and
    # the last decision's change says so, so the debrief adds up
    assert (lukewarm.outcome, lukewarm.score) == (Outcome.OPEN, 70)
    assert lukewarm.decisions[-1].score_after == 70
    # 80 at a shut ending: held at the top of shut's band, never above an open door's score
    assert (sharp.outcome, sharp.score, str(sharp.band)) == (Outcome.SHUT, 49, "30-49")
    # a flag that only caps the score (35, the shut band) lowers the door with it
    assert (noted.outcome, noted.score, noted.floors) == (Outcome.SHUT, 35, ("noted",))
    assert noted.band_line == "35 is in the shut band (30-49): a neutral file, forgotten"


def test_the_turning_point_is_a_real_loss_off_the_best_path() -> None:
    """In a door-open run of the flagship, asking to stay in touch (recommended, and a
    gain) is never named the turning point, although asking for feedback first could
    have reached more; a choice the best path takes never is either."""
    from game.classroom.workshop import best_path
    from game.engine.scoring import TURNING_POINT_MIN
    from tests.story_runs import compiled, settle

    story = compiled("rejection-call")
    best_score, best = best_path(story, {})
    on_best = [(s.scene, s.choice) for s in best]
    moves = ["let-it-go-tonight", "keep-door-open", "ask-keep-in-touch", "month-check-in",
             "tell-jordan-kindly", "thank-you-note", "calibrated-check-in"]
    state = settle(story, start(story))
    for move in moves:
        state = settle(story, choose(story, state, move))
    card = scorecard(story, state, functools.partial(best_reachable, story))
    assert card.outcome is Outcome.OPEN and best_score is not None and card.score < best_score
    keep = next(d for d in card.decisions if d.choice == "ask-keep-in-touch")
    assert keep.best_before - keep.best_after >= TURNING_POINT_MIN and keep.change > 0
    assert card.turning_point(on_best) is None
    # an argument is a turning point, and it is off the best path
    state = settle(story, start(story))
    for move in ["let-it-go-tonight", "argue-decision"]:
        state = settle(story, choose(story, state, move))
    while state.phase is not Phase.ENDED:
        first = next(o for o in beat(story, state).choices if o.available)
        state = settle(story, choose(story, state, first.id))
    card = scorecard(story, state, functools.partial(best_reachable, story))
    turning = card.turning_point(on_best)
    assert turning is not None and (turning.scene, turning.choice) not in on_best
    assert turning.choice in ("argue-decision", "threaten")  # the argument, or its threat
