"""The exact analysis agrees with brute force on many small random stories.

Two independent oracles: enumerating every path (for stories without loops) and a
plain search over full states (scene, every meter, every flag) with loops
handled by fixpoint iteration.
"""

from __future__ import annotations

from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from game.analysis.reach import explore
from game.analysis.space import build
from game.authoring.analyze import analyze
from game.engine.compiled import CompiledStory, compile_story
from game.engine.engine import beat, choose, start
from game.engine.state import Phase, PlayState
from game.story.model import Story


@st.composite
def random_stories(draw: Any, loops: bool = False, wide: bool = False) -> CompiledStory:
    """A small story with meters, flags with caps, conditions and endings.

    Narrow meters clamp often (the full-state path, or the search when forced);
    ``wide`` meters never clamp (the fast additive path).
    """
    n_scenes = draw(st.integers(1, 6))
    n_endings = draw(st.integers(1, 3))
    meters = {}
    for i in range(draw(st.integers(1, 3))):
        top = 100 if wide else draw(st.integers(3, 12))
        meters[f"m{i}"] = {"label": f"M{i}", "min": 0, "max": top,
                           "start": 50 if wide else draw(st.integers(0, top)),
                           "weight": draw(st.sampled_from([0, 0.5, 1, 2]))}
    meters["m0"]["weight"] = 1
    flags = {"f0": {"max_score": draw(st.sampled_from([None, 30, 60]))}, "f1": {}}
    scenes: dict[str, Any] = {}
    for i in range(n_scenes):
        choices = []
        for j in range(draw(st.integers(1, 3))):
            lo = 0 if loops else i + 1
            target = draw(st.integers(lo, n_scenes + n_endings - 1))
            goto = f"s{target}" if target < n_scenes else f"e{target - n_scenes}"
            effects: dict[str, int | bool] = {
                name: draw(st.integers(-6, 6)) for name in meters if draw(st.booleans())}
            if draw(st.integers(0, 4)) == 0:
                effects[draw(st.sampled_from(["f0", "f1"]))] = draw(st.booleans())
            choice: dict[str, Any] = {"id": f"c{j}", "text": f"Choice {j}", "goto": goto,
                                      "effects": effects, "feedback": "x"}
            if j and draw(st.integers(0, 2)) == 0:
                choice["if"] = draw(st.sampled_from(
                    [f"m0 >= {draw(st.integers(0, 6))}", "f1", "not f0", "m0 < 5 or f1",
                     f"score >= {draw(st.integers(20, 80))}"]))
            choices.append(choice)
        scenes[f"s{i}"] = {"lines": [{"narrator": f"Scene {i}"}], "choices": choices}
    for k in range(n_endings):
        scenes[f"e{k}"] = {"ending": {"title": f"E{k}", "epilogue": "x",
                                      "outcome": draw(st.sampled_from(["open", "shut"]))}}
    return compile_story(Story.model_validate({
        "id": "random", "title": "Random", "cast": {"you": {"name": "You"}},
        "meters": meters, "flags": flags, "start": "s0", "scenes": scenes,
    }))


def _paths(story: CompiledStory, state: PlayState, taken: list[tuple[str, str]],
           out: list[tuple[list[tuple[str, str]], PlayState]]) -> None:
    if state.phase is Phase.ENDED:
        out.append((taken, state))
        return
    for offer in beat(story, state).choices:
        if offer.available:
            _paths(story, choose(story, state, offer.id), [*taken, (state.scene, offer.id)], out)


def _full_state_extremes(story: CompiledStory) -> tuple[int | None, int | None]:
    rules = story.rules
    graph = explore(rules, rules.initial())
    best: list[int | None] = [None] * len(graph.keys)
    worst: list[int | None] = [None] * len(graph.keys)
    changed = True
    while changed:  # fixpoint: handles loops without any cleverness
        changed = False
        for node in range(len(graph.keys)):
            if graph.is_ending(node):
                values = [rules.score(graph.keys[node])] * 2
            else:
                values = [v for _, t in graph.edges[node] for v in (best[t], worst[t])
                          if v is not None]
            if not values:
                continue
            hi, lo = max(values), min(values)
            if best[node] is None or hi > best[node] or lo < worst[node]:  # type: ignore[operator]
                best[node] = hi if best[node] is None else max(hi, best[node])
                worst[node] = lo if worst[node] is None else min(lo, worst[node])
                changed = True
    return best[0], worst[0]


@given(st.one_of(random_stories(), random_stories(wide=True)))
def test_analysis_matches_path_enumeration(story: CompiledStory) -> None:
    runs: list[tuple[list[tuple[str, str]], PlayState]] = []
    _paths(story, start(story), [], runs)
    scores = [story.rules.score((s.scene, tuple(s.meters.values()), tuple(s.flags.values())))
              for _, s in runs]
    data = analyze(story)
    assert data.exact
    assert data.playthroughs == len(runs)
    assert data.best.score == max(scores, default=None)
    assert data.worst.score == min(scores, default=None)
    for ending in data.endings:
        mine = [sc for (_, s), sc in zip(runs, scores, strict=True) if s.scene == ending.id]
        assert ending.min_score == min(mine, default=None)
        assert ending.max_score == max(mine, default=None)
    for choice in data.choice_impact:
        through = [sc for (path, _), sc in zip(runs, scores, strict=True)
                   if (choice.scene, choice.id) in path]
        assert choice.best_after == max(through, default=None), choice
        assert choice.worst_after == min(through, default=None), choice
    if runs:
        best_run = list(data.best.path)
        assert any([c for _, c in path] == best_run and sc == max(scores)
                   for (path, _), sc in zip(runs, scores, strict=True))
    rules = story.rules
    every_state = explore(rules, rules.initial()).keys
    for i, name in enumerate(rules.meter_names):
        values = [key[1][i] for key in every_state]
        assert data.meters[name] == (min(values), max(values))


@given(random_stories(loops=True))
def test_analysis_matches_full_state_search_with_loops(story: CompiledStory) -> None:
    data = analyze(story)
    best, worst = _full_state_extremes(story)
    assert (data.best.score, data.worst.score) == (best, worst)


@given(st.one_of(random_stories(wide=True), random_stories(wide=True, loops=True)))
def test_fast_additive_path_agrees_with_the_search(story: CompiledStory) -> None:
    fast, slow = build(story), build(story, force_search=True)
    looped = any(c.goto <= sid for sid, s in story.model.scenes.items() for c in s.choices
                 if c.goto.startswith("s"))
    assert fast.additive is not None or looped, "without loops, wide meters never clamp"
    for best in (True, False):
        reference = slow.extreme(best=best)
        assert not reference.exact or fast.extreme(best=best).score == reference.score
    fast_choices = fast.choice_extremes()
    for slot, (high, low) in slow.choice_extremes(budget=20_000).items():
        if fast.additive is not None:  # the additive path is always exact
            assert fast_choices[slot][0].exact and fast_choices[slot][1].exact
        elif not (fast_choices[slot][0].exact and fast_choices[slot][1].exact):
            continue  # both searched (a loop that clamps), and this one gave up: a bound
        if high.exact and low.exact:  # the search may give up on a loopy story: a bound
            assert (fast_choices[slot][0].score, fast_choices[slot][1].score) == (
                high.score, low.score), slot
    for sid, scene in story.model.scenes.items():
        if scene.ending is not None:
            reference = slow.ending_range(sid)
            if all(r.exact for r in reference):
                assert [r.score for r in fast.ending_range(sid)] == [r.score for r in reference]
    for node, xs in fast.starts:
        assert fast.best_from_state(node, xs) == slow.best_from_state(node, xs)


def _replay(story: CompiledStory, path: tuple[str, ...]) -> tuple[PlayState, list[tuple[str, str]]]:
    """Play the choice ids of a run; return the last state and the (scene, id) taken."""
    state, taken = start(story), []
    for move in path:
        taken.append((state.scene, move))
        state = choose(story, state, move)
    return state, taken


def _final(story: CompiledStory, state: PlayState) -> int:
    return story.rules.score((state.scene, tuple(state.meters.values()),
                                  tuple(state.flags.values())))


@given(st.one_of(random_stories(), random_stories(loops=True)))
def test_full_state_answers_come_with_runs_that_score_them(story: CompiledStory) -> None:
    space = build(story)
    assume(space.additive is None)  # some meter clamps: the full states are listed
    assert space.full is not None
    for best in (True, False):
        result = space.extreme(best=best)
        if result.score is not None:
            state, _ = _replay(story, result.path)
            assert state.phase is Phase.ENDED and _final(story, state) == result.score
    for sid, scene in story.model.scenes.items():
        if scene.ending is None:
            continue
        for result in space.ending_range(sid):
            if result.score is not None:
                state, _ = _replay(story, result.path)
                assert (state.scene, _final(story, state)) == (sid, result.score)
    for best in (True, False):
        result = space.runs_taking(lambda _, move: move == "c0", best=best)
        if result.score is not None:
            state, taken = _replay(story, result.path)
            assert any(move == "c0" for _, move in taken)
            assert state.phase is Phase.ENDED and _final(story, state) == result.score
    # a state the start never leads to (free meters one step off) is listed on demand
    slow = build(story, force_search=True)
    for node, xs in space.starts:
        other = tuple(min(top, x + 1) for x, top in zip(xs, space.maxs, strict=True))
        assert space.best_from_state(node, other) == slow.best_from_state(node, other)
        assert space.worst_from_state(node, other) == slow.worst_from_state(node, other)


@given(st.one_of(random_stories(), random_stories(wide=True, loops=True)))
def test_scoring_straight_from_a_key_is_the_engines_score(story: CompiledStory) -> None:
    rules = story.rules
    for key in explore(rules, rules.initial()).keys:
        assert rules.score(key) == story.score(rules.values(key))


def test_outcome_from_a_key_applies_the_flag_floors_as_the_engine_does() -> None:
    import itertools

    from game.analysis.load import load_story
    from game.engine.rules import floor_outcome
    from game.paths import stories_dir

    compiled = load_story(stories_dir() / "the-callback.yaml", analyse=False).compiled
    assert compiled is not None
    story, rules = compiled.model, compiled.rules
    meters = rules.initial()[1]
    names = rules.flag_names
    # Every combination of the flags that carry a floor, with the others all false and
    # all true (they cannot move a door: 2^19 combinations would prove nothing more).
    floors = [i for i, n in enumerate(names) if story.flags[n].ceiling(story.score_bands)]
    assert len(floors) >= 3
    floored = 0
    for sid, scene in story.scenes.items():
        if scene.ending is None:
            continue
        for rest, combo in itertools.product((False, True),
                                             itertools.product((False, True), repeat=len(floors))):
            flags = [rest] * len(names)
            for i, value in zip(floors, combo, strict=True):
                flags[i] = value
            key = (sid, meters, tuple(flags))
            expected = floor_outcome(story, scene.ending.outcome, rules.values(key))
            assert rules.outcome(key) == expected
            floored += expected is not scene.ending.outcome
    assert floored  # its flags do pull some endings down


@given(st.one_of(random_stories(), random_stories(loops=True)))
def test_always_clamped_effects_are_exactly_those_every_state_clamps(story: CompiledStory) -> None:
    """CB025 against its definition, over every reachable full state."""
    import ast

    from game.analysis.checks import check_states
    from game.story.diagnostics import Location
    from game.story.source import SourceMap

    class PathMap(SourceMap):  # a diagnostic's location names its path
        def at(self, where: Any, *, key: bool = False) -> Location:
            return Location(repr(tuple(where)), 1, 1)

    reported = {ast.literal_eval(d.location.path)[1:]
                for d in check_states(story, PathMap("x")) if d.code == "CB025"}
    rules = story.rules
    always: dict[tuple[str, int, str], bool] = {}
    for key in explore(rules, rules.initial()).keys:
        for index, (choice, ok) in enumerate(rules.choices(key)):
            if not ok:
                continue
            _, deltas, _ = rules.apply(key, choice)
            for name, amount in choice.effects.items():
                if not isinstance(amount, bool):
                    slot = (key[0], index, name)
                    always[slot] = always.get(slot, True) and deltas.get(name, 0) != amount
    assert reported == {(sid, "choices", i, "effects", name)
                        for (sid, i, name), cut in always.items() if cut}


@st.composite
def _tables(draw: Any) -> tuple[int, list[int], list[int], int]:
    span = draw(st.sampled_from([1, 2, 3, 7, 10, 100, 127, 128, 255, 1000]))
    values = st.lists(st.integers(0, span), min_size=span + 1, max_size=span + 1)
    return span, draw(values), draw(values), draw(st.integers(-span - 3, span + 3))


@given(_tables())
def test_packed_tables_shift_and_combine_like_plain_lists(case: Any) -> None:
    from game.analysis.lanes import Lanes

    span, a, b, delta = case
    lanes = Lanes(span)
    pack = lambda values: sum(v << (x * lanes.width) for x, v in enumerate(values))  # noqa: E731
    packed_a, packed_b = pack(a), pack(b)
    assert lanes.unpack(packed_a) == tuple(a)
    assert lanes.unpack(lanes.higher(packed_a, packed_b)) == tuple(map(max, a, b))
    assert lanes.unpack(lanes.lower(packed_a, packed_b)) == tuple(map(min, a, b))
    clamp = lambda x: min(span, max(0, x))  # noqa: E731
    assert lanes.unpack(lanes.shifted(packed_a, delta)) == tuple(
        a[clamp(x + delta)] for x in range(span + 1))
    assert lanes.unpack(lanes.identity) == tuple(range(span + 1))
