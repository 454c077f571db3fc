"""The campaign on the title screen: listed first, started by keyboard or mouse, as --campaign."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pygame
import pytest
from gui_helpers import STORY, Pilot, TextSpy, finish, kinds, labelled, make_app, visible, write

from game.gui.app import App, ManualClock, run_window
from game.gui.screens.call import CallScreen
from game.gui.screens.campaign import CAMPAIGN_LABEL, CAMPAIGN_LINE
from game.gui.screens.pause import PauseScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session
from game.store.profile import load_profile

SUMMARY = "A short call for the window tests."


def _stories(folder: Path) -> tuple[Path, Path, Path]:
    """Two campaign parts and a story on its own, written out of order."""

    def story(name: str, story_id: str, title: str, campaign: str) -> Path:
        text = STORY.replace("id: gui-test", f"id: {story_id}{campaign}")
        return write(folder, name, text.replace("title: The Test Call", f"title: {title}"))

    alone = story("c.yaml", "alone", "On Its Own", "")
    second = story("b.yaml", "second", "Part Two", "\ncampaign: {order: 2}")
    first = story("a.yaml", "first", "Part One", "\ncampaign: {order: 1}")
    return first, second, alone


def _title(app: App) -> TitleScreen:
    title = app.stack[0]
    assert isinstance(title, TitleScreen)
    return title


def _end_call(pilot: Pilot) -> CallScreen:
    """Show the first lines and hang up with the insult (a one-choice run)."""
    call = pilot.top
    assert isinstance(call, CallScreen)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_2)
    return call


def test_the_campaign_comes_first_and_every_story_stays_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, alone = _stories(tmp_path)
    spy = TextSpy(monkeypatch)
    app = make_app(tmp_path, [alone, second, first])
    title = _title(app)
    assert title.paths == [None, first, second, alone]
    labels = [item.label for item in title.menu.items]
    assert labels == [CAMPAIGN_LABEL, "Part One", "Part Two", "On Its Own"]
    assert [item.number for item in title.menu.items] == [None, 1, 2, 3]  # 1-9 stay the stories
    assert [item.note for item in title.menu.items[1:]] == [SUMMARY] * 3
    assert title.minutes[1:] == [2, 2, 2]
    assert title.menu.focus == 0  # a new player starts at the campaign
    spy.frame(app)
    for text in (CAMPAIGN_LABEL, CAMPAIGN_LINE, "2 parts", "Start the campaign", "Part One"):
        assert visible(app.surface, spy, text), text
    assert visible(app.surface, spy, "(up next)") and visible(app.surface, spy, "On Its Own")
    assert visible(app.surface, spy, "C for the campaign")
    row = title.menu.items[0].rect
    assert Pilot(app).pixel((row.centerx, row.top + 1)) == app.theme.palette.hover_edge
    Pilot(app).press(pygame.K_DOWN)  # the first story: its summary and minutes
    spy.frame(app)
    assert visible(app.surface, spy, "A short call for the window") and visible(
        app.surface, spy, "about 2 min"
    )


def test_enter_starts_the_campaign_and_it_plays_the_parts_in_order(tmp_path: Path) -> None:
    first, second, alone = _stories(tmp_path)
    app = make_app(tmp_path, [alone, second, first])
    pilot = Pilot(app)
    assert not app.session.campaign  # `callback` with no arguments
    pilot.press(pygame.K_RETURN)
    call = _end_call(pilot)
    assert call.story.id == "first" and app.session.campaign
    debrief = finish(pilot)
    assert [item.label for item in debrief.menu.items][-1].startswith("Next story")
    assert app.session.profile.finished == ["first"]
    assert load_profile(tmp_path / "data").value.finished == ["first"]  # saved for next time
    pilot.press(pygame.K_RETURN)  # "Next story" has the focus
    nxt = pilot.top
    assert isinstance(nxt, CallScreen) and nxt.story.id == "second"
    pilot.press(pygame.K_ESCAPE)
    pause = pilot.top
    assert isinstance(pause, PauseScreen)
    pilot.click(labelled(pause.menu, "Back to title").rect.center)
    title = _title(app)
    assert kinds(app) == [TitleScreen] and title.progress().where == "part 2 of 2"
    pilot.press(pygame.K_c)  # C: the campaign, from the part the player is up to
    again = pilot.top
    assert isinstance(again, CallScreen) and again.story.id == "second"


def test_the_campaign_starts_with_the_mouse(tmp_path: Path) -> None:
    first, second, alone = _stories(tmp_path)
    app = make_app(tmp_path, [alone, second, first])
    pilot = Pilot(app)
    title = _title(app)
    pilot.click(title.menu.items[0].rect.center)  # the campaign row
    call = pilot.top
    assert isinstance(call, CallScreen) and call.story.id == "first" and app.session.campaign
    app.to_title()
    app.session.campaign = False
    pilot.move(title.menu.items[3].rect.center)  # hover a story, then the campaign again
    assert title.menu.focus == 3
    play = title.play_rect()
    pilot.move(title.menu.items[0].rect.center)
    button = title.play_rect()
    assert button.w > play.w  # "Start the campaign  →" needs more room than "Play  →"
    pilot.click((button.right - 4, button.centery))  # the detail panel's button
    call = pilot.top
    assert isinstance(call, CallScreen) and call.story.id == "first" and app.session.campaign


@pytest.mark.parametrize("finished", [[], ["first"]])
def test_the_title_starts_the_campaign_exactly_as_run_window_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finished: list[str]
) -> None:
    first, second, alone = _stories(tmp_path)
    seen: list[tuple[list[type], str, bool]] = []

    def record(app: App) -> None:
        top = app.top
        assert isinstance(top, CallScreen)
        seen.append((kinds(app), top.story.id, app.session.campaign))

    def fake_run(self: App) -> int:
        record(self)
        return 0

    monkeypatch.setattr(App, "run", fake_run)
    session = Session([alone, second, first], data_dir=tmp_path / "one", campaign=True)
    session.profile.finished = list(finished)
    options = {"session": session, "clock": ManualClock()}
    assert run_window(campaign=True, err=io.StringIO(), headless_ok=True, app_options=options) == 0
    app = make_app(tmp_path, [alone, second, first])
    app.session.profile.finished = list(finished)
    Pilot(app).press(pygame.K_c)
    record(app)
    expected = "second" if finished else "first"
    assert seen[0] == seen[1] == ([TitleScreen, CallScreen], expected, True)


def test_a_story_picked_from_the_list_is_played_on_its_own(tmp_path: Path) -> None:
    first, second, alone = _stories(tmp_path)
    session = Session([alone, second, first], data_dir=tmp_path / "data", campaign=True)
    # as after `--campaign`, back at the title
    app = App(clock=ManualClock(), session=session, transitions=False)
    pilot = Pilot(app)
    pilot.press(pygame.K_1)  # Part One, picked by itself
    _end_call(pilot)
    assert not app.session.campaign
    debrief = finish(pilot)
    assert [item.label for item in debrief.menu.items] == ["Play again", "Back to title"]


# ---------------------------------------------------------------------- at every size
def _double_text(app: App) -> None:
    app.apply_settings(replace(app.session.settings, text_scale=200))


@pytest.mark.parametrize("size", [(800, 600), (1920, 1080), (640, 480)])
def test_at_double_text_the_title_keeps_its_buttons_apart_and_their_labels_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    first, second, alone = _stories(tmp_path)
    app = make_app(tmp_path, [alone, second, first], size=size)
    _double_text(app)
    spy = TextSpy(monkeypatch)
    title = _title(app)
    corner = [title.player_button, title.mode_button, title.settings_button]
    for index, button in enumerate(corner):
        assert app.surface.get_rect().contains(button.rect)
        assert not button.rect.colliderect(title.brand), button.label
        assert not any(button.rect.colliderect(other.rect) for other in corner[index + 1:])
    h3 = app.theme.font("h3")
    assert all(item.rect.h >= h3.get_linesize() for item in title.menu.items)
    for focus in (0, 1):  # the campaign, then a story with Play and Workshop
        title.menu.focus = focus
        spy.frame(app)
        buttons = title.buttons(focus)
        assert len(buttons) == 1 + focus
        for rect, lines in buttons:
            assert title.detail.contains(rect)
            for line in lines:
                (drawn,) = spy.find(lambda text, line=line: text == line)
                assert rect.contains(drawn.rect), line  # the label stays on its button
    assert not buttons[0][0].colliderect(buttons[1][0])


def test_a_list_longer_than_the_window_scrolls_by_wheel_and_keys(tmp_path: Path) -> None:
    stories = [
        write(tmp_path, f"s{n}.yaml", STORY.replace("id: gui-test", f"id: s{n}").replace(
            "title: The Test Call", f"title: Story {n}"))
        for n in range(1, 11)
    ]
    app = make_app(tmp_path, stories, size=(800, 600))
    _double_text(app)
    pilot = Pilot(app)
    title = _title(app)
    last = title.menu.items[-1].rect
    assert last.bottom > title.list_bottom  # it cannot show every story at once

    def shown(rect: pygame.Rect) -> bool:
        moved = rect.move(0, -title.offset)
        return title.list_top <= moved.top and moved.bottom <= title.list_bottom

    for _ in range(20):  # the wheel, towards you: down to the last story and no further
        pilot.wheel(-3)
    assert title.offset > 0 and shown(last)
    for _ in range(20):
        pilot.wheel(3)
    assert title.offset == 0
    pilot.click((last.centerx, max(last.y, title.list_bottom) + 2))  # where it is not shown
    assert kinds(app) == [TitleScreen]
    for _ in range(len(stories) - 1):  # the keys keep the focused story in sight
        pilot.press(pygame.K_DOWN)
        assert title.menu.focus is not None
        assert shown(title.menu.items[title.menu.focus].rect)
    assert title.menu.focus == len(stories) - 1
