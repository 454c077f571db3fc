"""Workshop mode: the rules (hands, ties, what if, questions), the story format's
``discuss`` prompt, the stored record with its votes, and the whole mode driven
through the real window with posted keys at both projector sizes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pygame
import pytest
from gui_helpers import (
    STORY,
    Drawn,
    Pilot,
    TextSpy,
    kinds,
    make_app,
    shows,
    visible,
    write,
)

from game.analysis.load import load_story
from game.analysis.space import best_reachable, space_for
from game.classroom.exports import export_text
from game.classroom.records import read_run
from game.classroom.store import open_store
from game.classroom.workshop import (
    DEFAULT_PROMPT,
    Tally,
    Vote,
    closest_vote,
    prompt_for,
    what_if,
)
from game.cli import main
from game.engine.compiled import CompiledStory
from game.engine.engine import advance, choose, offers, start
from game.engine.record import run_record
from game.engine.state import Phase
from game.gui.screens.class_debrief import ClassDebriefScreen
from game.gui.screens.consequence import ConsequenceScreen
from game.gui.screens.title import TitleScreen
from game.gui.screens.what_if import WhatIfScreen
from game.gui.screens.workshop import DiscussScreen, VoteScreen, WorkshopCallScreen
from game.gui.snapshots import WORKSHOP_SCREENS, write_workshop_screenshots
from game.gui.theme import PROJECTOR, projector_theme
from game.paths import stories_dir
from game.story.model import Outcome

FLAGSHIP = stories_dir() / "rejection-call.yaml"


# ---------------------------------------------------------------------- hands
def test_a_tally_counts_takes_back_and_finds_the_majority_or_a_tie() -> None:
    tally = Tally.of(3)
    assert tally.leaders() == [] and tally.majority() is None  # no hands yet: no majority
    for option in (0, 0, 1, 2, 0):
        assert tally.add(option)
    assert not tally.add(3)  # there is no fourth answer
    assert tally.counts == [3, 1, 1] and tally.total == 5
    assert tally.majority() == 0 and tally.percent(0) == 60
    assert tally.take_back(0) and tally.take_back(0)
    assert tally.counts == [1, 1, 1] and tally.leaders() == [0, 1, 2]
    assert not tally.take_back(5)
    tally = Tally([2, 2, 1])
    assert tally.leaders() == [0, 1] and tally.majority() is None
    assert not Tally([0, 1]).take_back(0)  # never below zero
    assert Tally([1, 1, 1]).percent(0) == 33 and Tally([0, 0]).share(1) == 0.0


def test_the_closest_vote_is_the_one_the_room_split_on() -> None:
    votes = [Vote("a", ("x", "y"), (1, 2), (10, 1), "x"),
             Vote("b", ("x", "y"), (1, 2), (6, 5), "x"),
             Vote("c", ("x", "y"), (1, 2), (7, 0), "x")]
    assert closest_vote(votes) is votes[1]
    assert closest_vote(votes[2:]) is None  # a unanimous room is not split
    assert votes[1].line() == "11 hands · 1: 6 ✓ · 2: 5"


# ---------------------------------------------------------------------- the format
def test_the_flagship_has_a_prompt_at_every_decision_and_others_get_the_default() -> None:
    story = load_story(FLAGSHIP, analyse=False).story
    assert story is not None
    decisions = [s for s in story.scenes.values() if s.choices]
    assert decisions and all(s.discuss and len(s.discuss) <= 200 for s in decisions)
    assert len({s.discuss for s in decisions}) == len(decisions)  # no prompt repeated
    plain = load_story(stories_dir() / "the-callback.yaml", analyse=False).story
    assert plain is not None
    scene = next(s for s in plain.scenes.values() if s.choices)
    assert prompt_for(scene) == (scene.discuss or DEFAULT_PROMPT)


@pytest.mark.parametrize(("value", "code", "column"), [
    ("5", "CB003", 14),
    ("''", "CB008", 14),
    ("'" + "Why? " * 70 + "'", "CB008", 14),
])
def test_a_bad_discuss_value_is_a_located_error(tmp_path: Path, value: str, code: str,
                                               column: int) -> None:
    text = STORY.replace("  news:\n", f"  news:\n    discuss: {value}\n")
    path = write(tmp_path, "bad.yaml", text)
    out = io.StringIO()
    assert main(["validate", str(path)], out=out, err=io.StringIO()) != 0
    line = text.splitlines().index(f"    discuss: {value}") + 1
    assert f"{path}:{line}:{column}: error {code}" in out.getvalue()


def test_discuss_on_a_scene_without_choices_is_a_located_error(tmp_path: Path) -> None:
    text = STORY.replace("  later:\n", "  later:\n    discuss: What now?\n")
    path = write(tmp_path, "bad.yaml", text)
    out = io.StringIO()
    assert main(["validate", str(path)], out=out, err=io.StringIO()) != 0
    line = text.splitlines().index("  later:") + 2
    assert f"{path}:{line}:" in out.getvalue()
    assert "only a scene with 'choices' has one" in out.getvalue()


# ---------------------------------------------------------------------- what if
def test_what_if_gives_each_answer_the_exact_doors_and_scores_still_reachable() -> None:
    result = load_story(stories_dir() / "the-callback.yaml", analyse=False)
    story = result.compiled
    assert story is not None
    state = start(story)
    while state.phase is Phase.READING:
        state = advance(story, state)
    found = what_if(story, state)
    assert [f.number for f in found] == [o.number for o in offers(story, state)]
    space = space_for(story)
    for item in found:
        after = choose(story, state, item.choice)
        assert item.best == best_reachable(story, after)
        node = space.project(after.meters, after.flags, after.scene)
        assert node is not None
        assert item.worst == space.worst_from_state(node, space.free_values(after.meters))
        assert item.best_door is not None and item.worst_door is not None
        assert item.best_door.rank >= item.worst_door.rank
        assert item.feedback  # every answer's feedback line comes along
    # the best answer's best is the best the whole story allows from here
    assert max(f.best or 0 for f in found) == best_reachable(story, state)


def test_the_doors_after_an_answer_are_those_its_endings_can_give(tmp_path: Path) -> None:
    story = compiled(tmp_path)
    state = start(story)
    found = {f.choice: f for f in what_if(story, state)}
    assert (found["insult"].best_door, found["insult"].worst_door) == (Outcome.CLOSED,
                                                                       Outcome.CLOSED)
    assert (found["thank"].best_door, found["thank"].worst_door) == (Outcome.OPEN, Outcome.SHUT)
    assert not found["beg"].available and found["beg"].best is None


def compiled(folder: Path) -> CompiledStory:
    """The window tests' story, loaded and compiled."""
    story = load_story(write(folder, "story.yaml", STORY), analyse=False).compiled
    assert story is not None
    return story


# ---------------------------------------------------------------------- the record
def test_a_workshop_record_keeps_each_decisions_votes_through_store_and_export(
        tmp_path: Path) -> None:
    story = compiled(tmp_path)
    state = choose(story, start(story), "thank")
    while state.phase is Phase.READING:
        state = advance(story, state)
    state = choose(story, state, "keep")
    votes = [{"thank": 9, "insult": 2}, {"keep": 6, "bye": 5}]
    record = run_record(story, "", state, started="2026-12-06T09:00:00Z",
                        finished="2026-12-06T09:20:00Z", mode="workshop", class_code="11B",
                        votes=votes)
    assert [s["votes"] for s in record["steps"]] == votes
    plain = run_record(story, "", state, started="2026-12-06T09:00:00Z",
                       finished="2026-12-06T09:20:00Z")
    assert all("votes" not in s for s in plain["steps"])  # a player's record is unchanged
    with open_store(str(tmp_path / "class.db")) as store:
        store.add(read_run(record))
        store.add(read_run(plain))
        runs = store.runs()
    exported = json.loads("".join(export_text(runs, "json")))
    by_mode = {r["mode"]: r for r in exported}
    assert [s["votes"] for s in by_mode["workshop"]["steps"]] == votes
    assert by_mode["workshop"]["player"] == {"name": None, "class": "11B"}
    assert all("votes" not in s for s in by_mode["practice"]["steps"])
    rows = list(csv.DictReader(io.StringIO("".join(export_text(runs, "csv")))))
    workshop = next(r for r in rows if r["mode"] == "workshop")
    assert (workshop["votes 1"], workshop["votes 2"]) == ("thank: 9; insult: 2", "keep: 6; bye: 5")
    xapi = json.loads("".join(export_text(runs, "xapi")))
    assert any(votes[0] in s.get("result", {}).get("extensions", {}).values() for s in xapi)


# ---------------------------------------------------------------------- the window
def test_the_projector_theme_is_readable_from_the_back() -> None:
    pygame.font.init()
    theme = projector_theme()
    theme.fit((1920, 1080))
    assert theme.font("body").get_height() >= 36
    assert min(theme.font(role).get_height() for role in theme.roles) >= 33
    assert PROJECTOR.background == (0, 0, 0) and PROJECTOR.text == (255, 255, 255)


def _accent_pixels(surface: pygame.Surface, rect: pygame.Rect, colour: tuple[int, int, int]
                   ) -> int:
    return sum(1 for x in range(rect.x, rect.right, 2) for y in range(rect.y, rect.bottom, 2)
               if tuple(surface.get_at((x, y)))[:3] == colour)


def _bar_area(row: pygame.Rect) -> pygame.Rect:
    """Where a revealed answer's bar is drawn: the right third of its row, inside its border."""
    return pygame.Rect(row.right - row.w // 3, row.y + row.h // 4, row.w // 3 - 20, row.h // 2)


def _page_text(spy: TextSpy, screen: ClassDebriefScreen) -> list[Drawn]:
    """The lines of a scrolling page, drawn again, placed where the window shows them."""
    spy.drawn.clear()
    screen.layout(screen.size)
    x, y = screen.view.x, screen.view.y - screen.scroll
    return [Drawn(d.text, d.font, d.colour, (d.topleft[0] + x, d.topleft[1] + y))
            for d in spy.drawn]


def _on_screen(spy: TextSpy, app: object, width: int) -> None:
    """Every line drawn this frame lies inside the window's width (nothing cut off)."""
    for drawn in spy.frame(app):  # type: ignore[arg-type]
        assert drawn.topleft[0] >= 0, drawn.text
        assert drawn.topleft[0] + drawn.font.size(drawn.text)[0] <= width, drawn.text


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_a_class_plays_a_whole_story_in_the_window(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    story = write(tmp_path, "story.yaml", STORY.replace(
        "  news:\n", "  news:\n    discuss: Maya has just said no. What do you want her to"
                     " remember about this call?\n"))
    app = make_app(tmp_path, [story], size=size, text_speed=0)
    app.session.class_code = "11B"
    spy = TextSpy(monkeypatch)
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    pilot.press(pygame.K_w)  # the focused story, as a workshop
    call = pilot.top
    assert isinstance(call, WorkshopCallScreen)
    assert app.theme.palette == PROJECTOR
    assert call.shown.phase is Phase.CHOOSING
    _on_screen(spy, app, size[0])
    assert visible(app.surface, spy, "talk it over")  # the key hint bar, readable
    hints = spy.find("talk it over")[0]
    assert hints.font.get_height() >= 33 * size[1] / 1080 and hints.topleft[1] > size[1] * 0.85

    pilot.press(pygame.K_RETURN)  # talk it over
    assert kinds(app) == [TitleScreen, WorkshopCallScreen, DiscussScreen]
    drawn = spy.frame(app)
    prompt = next(d for d in drawn if d.text.startswith("Maya has just said no."))
    assert shows(app.surface, prompt) and prompt.font.get_height() >= app.theme.font(
        "body").get_height()
    assert visible(app.surface, spy, "Thank you for letting me know.")
    _on_screen(spy, app, size[0])

    pilot.press(pygame.K_PAGEDOWN)  # a clicker's 'next': the vote
    vote = pilot.top
    assert isinstance(vote, VoteScreen)
    for key in (pygame.K_1, pygame.K_1, pygame.K_1, pygame.K_2, pygame.K_2, pygame.K_3):
        pilot.press(key)  # answer 3 is locked: nobody can vote for it
    pilot.press(pygame.K_1, pygame.KMOD_LSHIFT)  # Shift+1 takes one back
    pilot.press(pygame.K_MINUS)
    pilot.press(pygame.K_2)  # '-' then 2 takes one back
    pilot.press(pygame.K_1)
    assert vote.tally.counts == [3, 1, 0]
    accent = app.theme.palette.accent
    first_row = vote.rows[0]
    bar_area = _bar_area(first_row)
    assert _accent_pixels(app.surface, bar_area, accent) == 0  # the counts stay hidden
    drawn = spy.frame(app)
    assert not any(d.text.startswith("3  ·") for d in drawn)
    assert visible(app.surface, spy, "4 hands counted")  # only the total shows

    pilot.press(pygame.K_w)  # what if, from the vote
    what = pilot.top
    assert isinstance(what, WhatIfScreen)
    what.lookup.wait(30)
    pilot.until(lambda: what.found is not None)
    assert {f.choice: f.best_door for f in what.found or []}["insult"] is Outcome.CLOSED
    app.step()
    closed = app.theme.palette.outcome(Outcome.CLOSED)  # the "door closed" chips, on screen
    assert _accent_pixels(app.surface, what.view, closed) > 50
    pilot.press(pygame.K_ESCAPE)
    assert pilot.top is vote and vote.tally.counts == [3, 1, 0]  # nothing lost

    pilot.press(pygame.K_r)  # reveal
    first_row = vote.rows[0]
    bar_area = _bar_area(first_row)
    assert _accent_pixels(app.surface, bar_area, accent) > 20  # the leader's bar
    drawn = spy.frame(app)
    assert any(d.text == "3  ·  75%" for d in drawn) and any(d.text == "1  ·  25%" for d in drawn)
    _on_screen(spy, app, size[0])
    pilot.press(pygame.K_RETURN)  # the majority: "Thank you for letting me know."
    assert pilot.top is call and call.state.choices_made == ["thank"]

    while call.shown.phase is not Phase.CHOOSING:
        pilot.press(pygame.K_RETURN)
    pilot.press(pygame.K_RETURN)
    discuss = pilot.top
    assert isinstance(discuss, DiscussScreen)
    drawn = spy.frame(app)
    assert any(d.text.startswith("What would you say here") for d in drawn)  # the default
    pilot.click(discuss.menu.items[2].rect.center)  # "Take the vote" by mouse
    vote = pilot.top
    assert isinstance(vote, VoteScreen)
    pilot.click(vote.rows[0].center)  # a click counts a hand
    pilot.click(vote.rows[1].center)
    pilot.click(vote.rows[1].center)
    pilot.click(vote.rows[1].center, button=3)  # a right-click takes one back
    pilot.press(pygame.K_r)
    pilot.press(pygame.K_RETURN)  # 1 to 1: a tie asks which
    assert pilot.top is vote and vote.tie == [0, 1]
    assert visible(app.surface, spy, "A tie between 1 and 2")
    pilot.press(pygame.K_1)
    assert call.state.choices_made == ["thank", "keep"]

    pilot.press(pygame.K_RETURN)  # see what happened next
    assert isinstance(pilot.top, ConsequenceScreen)
    pilot.press(pygame.K_RETURN)
    debrief = pilot.top
    assert isinstance(debrief, ClassDebriefScreen)
    debrief.run.wait(30)
    pilot.until(lambda: debrief.card is not None)
    assert 2 <= len(debrief.asked) <= 3
    assert any("split 1 to 1" in q for q in debrief.asked)
    assert kinds(app) == [TitleScreen, ClassDebriefScreen]
    page = _page_text(spy, debrief)  # the page is drawn once, then scrolled
    app.step()
    assert shows(app.surface, next(d for d in page if d.text == "FOR THE ROOM"))
    assert any(d.text.startswith("4 hands · 1: 3 ✓ · 2: 1") for d in page)
    assert all(d.topleft[0] + d.font.size(d.text)[0] <= size[0] for d in page)
    _on_screen(spy, app, size[0])

    pilot.until(lambda: not app.session.pending)
    with open_store(str(tmp_path / "data" / "results.db")) as store:
        (run,) = store.runs()
    assert run.mode == "workshop" and run.player.class_code == "11B" and run.player.name is None
    assert [s.votes for s in run.steps] == [{"thank": 3, "insult": 1}, {"keep": 1, "bye": 1}]
    assert app.session.saved is None  # the class's call is not the player's saved call

    pilot.press(pygame.K_RETURN)  # back to title: the player's own theme again
    assert kinds(app) == [TitleScreen] and app.theme.palette != PROJECTOR


def test_play_workshop_projects_one_story_for_a_class(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "story.yaml", STORY)
    seen: list[dict[str, object]] = []
    monkeypatch.setattr("game.gui.app.run_window", lambda **kw: seen.append(kw) or 0)
    err = io.StringIO()
    assert main(["play", str(path), "--workshop", "--class", "11B"], err=err) == 0
    assert seen[-1]["workshop"] is True and seen[-1]["story"] == str(path)
    assert seen[-1]["session"]["class_code"] == "11B"  # type: ignore[index]
    for extra in (["--text"], ["--campaign"], ["--choices", "1"], ["--name", "Ana"]):
        err = io.StringIO()
        assert main(["play", str(path), "--workshop", *extra], err=err) == 2
        assert "--workshop projects one STORY" in err.getvalue()


def test_screenshots_take_every_workshop_screen(tmp_path: Path) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    paths = write_workshop_screenshots(tmp_path / "shots", str(story), (1280, 720))
    assert [p.name for p in paths] == [f"workshop-{n}-1280x720.png" for n in WORKSHOP_SCREENS]
    for path in paths:
        assert pygame.image.load(path).get_size() == (1280, 720)
