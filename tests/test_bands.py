"""Scores that agree with their doors: bands in the rubric, CB017, CB032 and the stories.

One rule (docs/rubric.md): a run's score lies in the band of its door. The bands are
checked where they are written (CB017, at the line that breaks them); ``validate``
reports any ending a run can reach with a score outside its door's band (CB032, with
a run that replays it); and every bundled story keeps the rule exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.analysis.checks import import_combinations
from game.analysis.load import load_story
from game.authoring.analyze import analyze
from game.engine.engine import choose, key_of, start
from game.engine.scoring import scorecard
from game.story.loader import load_rubric
from game.story.model import Outcome

ROOT = Path(__file__).resolve().parent.parent
STORIES = sorted(p for p in (ROOT / "stories").glob("*.yaml") if ".rubric." not in p.name)
EXAMPLES = ROOT / "game" / "story" / "examples"
BANDS = """bands:
  closed: {min: 0, max: 29}
  shut: {min: 30, max: 49}
  ajar: {min: 50, max: 69}
  open: {min: 70, max: 100}
"""


def _cb017(text: str, write_story, name: str = "story.yaml") -> list[tuple[int, int, str, str]]:
    path = write_story(text, name)
    result = load_rubric(path) if name.endswith(".rubric.yaml") else load_story(path)
    return [(d.location.line, d.location.col, d.message, d.hint)
            for d in result.diagnostics if d.code == "CB017"]


@pytest.mark.parametrize(("old", "new", "line", "col", "message", "hint"), [
    ("shut: {min: 30, max: 49}", "shut: {min: 30, max: 45}", 5, 15,
     "no door for scores 46-49: shut ends at 45 and ajar starts at 50", "start ajar at 46"),
    ("ajar: {min: 50, max: 69}", "ajar: {min: 45, max: 69}", 5, 15,
     "scores 45-49 are in two bands: shut ends at 49 and ajar starts at 45",
     "start ajar at 50"),
    ("closed: {min: 0, max: 29}", "closed: {min: 5, max: 29}", 3, 17,
     "band closed starts at 5: the bands must start at 0", "set closed: {min: 0, ...}"),
    ("open: {min: 70, max: 100}", "open: {min: 70, max: 99}", 6, 24,
     "band open ends at 99: the bands must end at 100", "set open: {..., max: 100}"),
    ("shut: {min: 30, max: 49}", "shut: {min: 30, max: 20}", 4, 15,
     "band shut starts at 30, above its end 20", "give each band min <= max"),
])
def test_a_rubrics_bands_are_checked_where_they_are_written(
        write_story, old: str, new: str, line: int, col: int, message: str, hint: str) -> None:
    text = "rubric: mine\n" + BANDS.replace(old, new)
    assert (line, col, message, hint) in _cb017(text, write_story, "mine.rubric.yaml")


def test_good_bands_and_a_floor_inside_its_band_pass(write_story) -> None:
    text = "rubric: mine\n" + BANDS + "flags:\n  pest: {max_score: 60, forces_outcome: ajar}\n"
    assert load_rubric(write_story(text, "mine.rubric.yaml")).diagnostics == []


def test_a_floor_that_caps_outside_its_doors_band_is_an_error_at_the_cap(write_story) -> None:
    text = "rubric: mine\nflags:\n  pest: {max_score: 40, forces_outcome: ajar}\n"
    assert _cb017(text, write_story, "mine.rubric.yaml") == [(
        3, 21, "flag 'pest' caps the score at 40, outside the ajar band (50-69) of the door "
        "it forces", "cap it between 50 and 69")]


def test_a_story_with_its_own_rubric_reports_the_rubrics_bands_in_the_rubric(
        tiny_path: Path, write_story) -> None:
    write_story("rubric: mine\n" + BANDS.replace("max: 100", "max: 90"), "mine.rubric.yaml")
    text = tiny_path.read_text(encoding="utf-8").replace(
        "start: news", "rubric: mine.rubric.yaml\nstart: news").replace(
        "tags: {argue: Disputes it., thank: Thanks them.}\n", "")
    result = load_story(write_story(text))
    assert result.story is None
    found = {(Path(d.location.path).name, d.code, d.location.line) for d in result.diagnostics}
    assert ("mine.rubric.yaml", "CB017", 6) in found  # where the mistake is, not the story
    assert ("story.yaml", "CB014", 13) in found  # and the story says its rubric failed


def test_a_story_may_not_redefine_its_rubrics_bands_or_call_a_meter_score(
        tiny_path: Path, write_story) -> None:
    text = tiny_path.read_text(encoding="utf-8")
    clash = text.replace("start: news", "rubric: default.rubric.yaml\n" + BANDS + "start: news")
    clash = clash.replace("meters:\n  composure: {label: Composure}\n  door: {label: Door, "
                          "weight: 2}\n", "").replace("tags: {argue: Disputes it., thank: "
                                                      "Thanks them.}\n", "")
    clash = clash.replace("flags:\n  argued: {help: Argued with the decision.}\n", "")
    diagnostics = load_story(write_story(clash)).diagnostics
    assert [(d.code, d.message) for d in diagnostics] == [
        ("CB014", "bands are already defined by the rubric")]
    named = text.replace("  composure: {label: Composure}", "  score: {label: Score}")
    named = named.replace("composure: 10", "score: 10")
    (diag,) = [d for d in load_story(write_story(named)).diagnostics if d.code == "CB017"]
    assert (diag.location.line, diag.message) == (
        9, "'score' is the overall score in conditions, so no meter may be called that")


def test_a_shut_ending_that_scores_in_the_ajar_band_is_reported_with_a_run_that_replays(
) -> None:
    result = load_story(EXAMPLES / "CB032.yaml")
    story = result.compiled
    assert story is not None  # a warning: the story still plays
    (diag,) = [d for d in result.diagnostics if d.code == "CB032"]
    assert (diag.location.line, diag.message) == (
        40, "ending 'forgotten' (door shut) can score 30-62, outside the shut band 30-49")
    prefix, run = diag.hint.split(": ", 1)
    assert prefix == "a run that scores 62"
    state = start(story)
    for choice in run.split(" -> "):
        state = choose(story, state, choice)
    assert state.scene == "forgotten"
    assert story.rules.score(key_of(state, story.rules)) == 62  # the run really scores it
    card = scorecard(story, state)  # and the game holds it in the door's band
    assert (card.outcome, card.score) == (Outcome.SHUT, 49)


CAMPAIGN = """
id: later
title: Later
cast:
  you: {name: Alex Morgan}
  maya: {name: Maya Okafor, role: Recruiter}
meters:
  door: {label: Door}
flags:
  argued: {help: Argued last time.}
campaign: {order: 2, imports: [argued]}
tags: {thank: t}
start: first
scenes:
  first:
    route: [{if: argued, goto: cold}, {goto: call}]
  cold:
    lines: [{maya: "Oh. It's you."}]
    choices:
      - {id: sorry, text: Sorry about last time., goto: shut, effects: {door: 15}, feedback: x}
  call:
    lines: [{maya: Hello again.}]
    choices:
      - {id: hello, text: Great to hear from you., goto: open, effects: {door: 30}, feedback: x}
  open:
    ending: {title: Open, outcome: open, epilogue: She calls.}
  shut:
    ending: {title: Shut, outcome: shut, epilogue: Nobody calls.}
"""


def test_a_run_that_needs_an_earlier_story_says_which_flags_it_imports(write_story) -> None:
    (diag,) = [d for d in load_story(write_story(CAMPAIGN)).diagnostics if d.code == "CB032"]
    assert diag.message == "ending 'shut' (door shut) can score 65, outside the shut band 30-49"
    assert diag.hint == "a run that scores 65: (imported argued) sorry"


@pytest.fixture(scope="module")
def analysed():
    found = {}
    for path in STORIES:
        result = load_story(path)
        assert result.compiled is not None, [d.format() for d in result.diagnostics]
        found[path.stem] = result
    return found


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_every_bundled_story_keeps_its_scores_in_its_doors_bands(path: Path, analysed) -> None:
    """Grouped by door, the reachable score ranges never overlap, and lie in the bands."""
    result = analysed[path.stem]
    assert not [d.format() for d in result.diagnostics if d.code == "CB032"]
    story = result.compiled
    assert story is not None
    bands = story.model.score_bands
    ranges: dict[Outcome, list[int]] = {}
    for imports in import_combinations(story.model):  # every start a profile can give
        data = analyze(story, imports=imports)
        assert data.exact
        for ending in data.endings:
            for door in ending.doors:  # (a floor flag can lower an ending's door)
                assert door.min_score is not None and door.max_score is not None
                ranges.setdefault(Outcome(door.door), []).extend(
                    [door.min_score, door.max_score])
    for door, scores in ranges.items():
        assert bands.of(door).holds(min(scores)) and bands.of(door).holds(max(scores)), (
            door, min(scores), max(scores))
    doors = sorted(ranges, key=lambda d: d.rank)
    for lower, higher in zip(doors, doors[1:], strict=False):
        assert max(ranges[lower]) < min(ranges[higher]), (lower, higher, ranges)


FLOORED = """
id: floored
title: Floored
cast:
  you: {name: Alex Morgan}
  maya: {name: Maya Okafor, role: Recruiter}
meters:
  door: {label: Door}
flags:
  pest: {help: Chased., max_score: 60, forces_outcome: ajar}
tags: {thank: t, chase: c}
start: news
scenes:
  news:
    lines: [{maya: We went with someone else.}]
    choices:
      - {id: thank, text: Thank you., goto: open, effects: {door: 30}, feedback: x}
      - {id: chase, text: Thank you! I'll call daily., goto: open, effects: {door: 30, pest: true},
         feedback: x}
  open:
    ending: {title: Open, outcome: open, epilogue: She calls.}
"""


def test_analyze_splits_an_ending_by_the_doors_its_runs_end_with(write_story) -> None:
    from game.authoring.analyze import analysis_json, format_analysis

    result = load_story(write_story(FLOORED))
    assert result.compiled is not None
    assert not [d for d in result.diagnostics if d.code == "CB032"]  # 80 open, 60 ajar: kept
    data = analyze(result.compiled)
    (ending,) = data.endings
    assert (ending.min_score, ending.max_score) == (60, 80)
    assert [tuple(d) for d in ending.doors] == [("open", 80, 80), ("ajar", 60, 60)]
    assert "open    score 60-80 (lowered by floors: ajar 60-60)" in format_analysis(data)
    assert '"doors": [{"door": "open", "min_score": 80, "max_score": 80}' in analysis_json(data)
