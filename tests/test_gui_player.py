"""Who is playing, in the window: a class code and a name typed on the title, kept, cleared.

And the one line a call opens with when its story could carry earlier choices over.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pygame
import pytest
from gui_helpers import STORY, Pilot, TextSpy, finish, kinds, make_app, visible, write

from game.classroom.records import Player
from game.classroom.store import open_store
from game.gui.app import App, ManualClock
from game.gui.screens.call import CallScreen
from game.gui.screens.player import CLEARED, PlayerScreen
from game.gui.screens.title import TitleScreen
from game.gui.session import Session
from game.store.settings import PLAYER_TEXT_MAX, load_settings, settings_path


def _type(pilot: Pilot, text: str) -> None:
    """Type ``text`` as the keyboard (or an input method) delivers it: a TEXTINPUT event."""
    pilot.post(pygame.TEXTINPUT, text=text)


def _open_entry(pilot: Pilot) -> PlayerScreen:
    pilot.press(pygame.K_p)
    entry = pilot.top
    assert isinstance(entry, PlayerScreen)
    return entry


def _enter_player(pilot: Pilot, class_code: str, name: str) -> None:
    """Open the entry with P, type both fields (Tab between them) and press Enter."""
    entry = _open_entry(pilot)
    _type(pilot, class_code)
    pilot.press(pygame.K_TAB)
    _type(pilot, name)
    assert entry.values == [class_code, name]
    pilot.press(pygame.K_RETURN)


def _play_one_run(pilot: Pilot) -> None:
    """From the title: play the first story, hang up with the insult, and see the debrief."""
    pilot.press(pygame.K_1)
    assert isinstance(pilot.top, CallScreen)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_2)
    finish(pilot)
    pilot.press(pygame.K_RETURN)  # back to the title
    assert kinds(pilot.app) == [TitleScreen]


def _button(entry: PlayerScreen, label: str) -> pygame.Rect:
    """Return the rect of the entry's button labelled ``label``."""
    return next(item.rect for item in entry.buttons if item.label == label)


def _stored_players(app: App) -> list[Player]:
    assert app.session.data_dir is not None
    with open_store(str(app.session.data_dir / "results.db")) as store:
        return [run.player for run in store.runs()]


# ---------------------------------------------------------------------- entering a player
def test_a_class_code_and_name_typed_on_the_title_are_stored_with_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = TextSpy(monkeypatch)
    app = make_app(tmp_path)
    pilot = Pilot(app)
    spy.frame(app)
    assert visible(app.surface, spy, "Playing anonymously")  # nobody by default
    entry = _open_entry(pilot)
    spy.frame(app)
    for text in ("Who is playing?", "Class code", "Your name", "Save", "Clear", "Cancel"):
        assert visible(app.surface, spy, text), text
    _type(pilot, "11B")
    pilot.press(pygame.K_DOWN)
    _type(pilot, "Ana")
    spy.frame(app)
    assert visible(app.surface, spy, "11B") and visible(app.surface, spy, "Ana")
    assert entry.status() == "Playing as Ana · class 11B"  # what Enter will do, said first
    pilot.press(pygame.K_RETURN)
    assert kinds(app) == [TitleScreen]
    assert (app.session.class_code, app.session.name) == ("11B", "Ana")
    spy.frame(app)
    assert visible(app.surface, spy, "Playing as Ana · class 11B")
    _play_one_run(pilot)
    (player,) = _stored_players(app)
    assert (player.class_code, player.name) == ("11B", "Ana")


def test_the_player_is_kept_for_the_next_window_and_the_command_line_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path)
    _enter_player(Pilot(app), "11B", "Ana")
    assert load_settings(tmp_path / "data").value.class_code == "11B"
    spy = TextSpy(monkeypatch)
    again = make_app(tmp_path)  # the next student opens the game on the same machine
    assert (again.session.class_code, again.session.name) == ("11B", "Ana")
    spy.frame(again)
    assert visible(again.surface, spy, "Playing as Ana · class 11B")
    entry = _open_entry(Pilot(again))
    assert entry.values == ["11B", "Ana"]  # the fields come back filled in
    spy.frame(again)
    assert visible(again.surface, spy, "11B") and visible(again.surface, spy, "Ana")
    given = Session([tmp_path / "story.yaml"], data_dir=tmp_path / "data", class_code="12C")
    assert (given.class_code, given.name) == ("12C", None)  # `--class 12C`: not Ana any more


def test_old_settings_without_a_player_still_load(tmp_path: Path) -> None:
    path = settings_path(tmp_path)
    path.write_text('{"format": "callback-settings", "version": 1, "text_speed": "fast"}',
                    encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert not loaded.note
    assert loaded.value.text_speed == "fast" and loaded.value.class_code is None
    assert loaded.value.name is None


@pytest.mark.parametrize("how", ["button", "delete key", "tab to the button"])
def test_clear_makes_the_next_run_anonymous(tmp_path: Path, how: str) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    _enter_player(pilot, "11B", "Ana")
    entry = _open_entry(pilot)
    if how == "button":
        pilot.click(_button(entry, "Clear").center)
    elif how == "delete key":
        pilot.press(pygame.K_DELETE)
    else:
        for _ in range(3):  # class code, name, Save, then Clear
            pilot.press(pygame.K_TAB)
        pilot.press(pygame.K_RETURN)
    assert entry.values == ["", ""] and entry.status() == CLEARED
    assert (app.session.class_code, app.session.name) == (None, None)  # saved at once
    pilot.press(pygame.K_ESCAPE)
    assert kinds(app) == [TitleScreen]
    _play_one_run(pilot)
    (player,) = _stored_players(app)
    assert (player.class_code, player.name) == (None, None)
    assert make_app(tmp_path).session.name is None  # and the next window starts anonymous


def test_the_entry_works_with_the_mouse_and_esc_cancels(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    title = pilot.top
    assert isinstance(title, TitleScreen)
    pilot.click(title.player_button.rect.center)
    entry = pilot.top
    assert isinstance(entry, PlayerScreen)
    _type(pilot, "11B")
    pilot.press(pygame.K_ESCAPE)  # cancelled: nothing changes
    assert kinds(app) == [TitleScreen] and app.session.class_code is None
    pilot.click(title.player_button.rect.center)
    entry = pilot.top
    assert isinstance(entry, PlayerScreen) and entry.values == ["", ""]
    pilot.click(entry.boxes[1].center)  # the name field
    _type(pilot, "Ana")
    pilot.move(_button(entry, "Save").center)
    assert entry.focus == 1  # hovering a button does not take the typing away
    pilot.click(_button(entry, "Save").center)
    assert kinds(app) == [TitleScreen]
    assert (app.session.class_code, app.session.name) == (None, "Ana")


def test_typing_drops_control_characters_and_stops_at_the_limit(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_p, mod=0, unicode="p",
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="p"))  # the same key, as text
    app.step()
    entry = pilot.top
    assert isinstance(entry, PlayerScreen)
    assert entry.values == ["", ""]  # the P that opened the entry is not typed into it
    _type(pilot, "\x1b[1mAna\tMaria\u200b\n")
    assert entry.values[0] == "[1mAnaMaria"
    pilot.press(pygame.K_BACKSPACE)
    assert entry.values[0] == "[1mAnaMari"
    _type(pilot, " de Souza")
    pilot.press(pygame.K_BACKSPACE, mod=pygame.KMOD_CTRL)  # Ctrl+Backspace: a word
    assert entry.values[0] == "[1mAnaMari de "
    _type(pilot, "x" * 60)
    assert len(entry.values[0]) == PLAYER_TEXT_MAX
    pilot.press(pygame.K_RETURN)
    assert app.session.class_code is not None and len(app.session.class_code) == PLAYER_TEXT_MAX


def test_a_long_name_is_shortened_on_the_title_not_spilled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = write(tmp_path, "story.yaml", STORY)
    session = Session([story], data_dir=tmp_path / "data", class_code="Year 11 Business B",
                      name="Maria-Fernanda Oliveira da Silva")
    app = App(size=(640, 480), clock=ManualClock(), session=session, text_speed=0,
              transitions=False)
    spy = TextSpy(monkeypatch)
    spy.frame(app)
    title = app.top
    assert isinstance(title, TitleScreen)
    (label,) = spy.find("Maria")
    assert label.text.endswith("…") and visible(app.surface, spy, "Maria")
    drawn = pygame.Rect(label.topleft, label.font.size(label.text))
    assert title.player_button.rect.contains(drawn)
    hero, px = app.theme.font("hero"), app.theme.px
    brand_left = (640 - hero.size("☎")[0] - px(20) - hero.size("Callback")[0]) // 2
    assert title.player_button.rect.right < brand_left  # clear of the game's name



@pytest.mark.parametrize("size", [(800, 600), (1920, 1080), (640, 480)])
def test_at_double_text_the_entry_fits_the_window_and_still_saves(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, size=size)
    app.apply_settings(replace(app.session.settings, text_scale=200))
    pilot = Pilot(app)
    entry = _open_entry(pilot)
    assert app.surface.get_rect().contains(entry.panel)
    parts = [*entry.boxes, *(item.rect for item in entry.buttons)]
    for index, part in enumerate(parts):
        assert entry.panel.contains(part)
        assert not any(part.colliderect(other) for other in parts[index + 1:])
    h3, small = app.theme.font("h3"), app.theme.font("small")
    assert all(h3.size(item.label)[0] < item.rect.w for item in entry.buttons)
    assert entry.status_y + small.get_linesize() <= entry.panel.bottom
    assert entry.intro_y > entry.panel.y  # under the title and its key hint
    _type(pilot, "11B")
    pilot.click(_button(entry, "Save").center)
    assert app.session.class_code == "11B" and kinds(app) == [TitleScreen]


# ---------------------------------------------------------------------- what a call carries
def _campaign(folder: Path) -> tuple[Path, Path]:
    """Part One saves whether the player insulted the recruiter; Part Two starts from it."""

    def story(name: str, story_id: str, title: str, campaign: str) -> Path:
        text = STORY.replace("id: gui-test", f"id: {story_id}\ncampaign: {campaign}")
        return write(folder, name, text.replace("title: The Test Call", f"title: {title}"))

    first = story("a.yaml", "first", "Part One", "{order: 1, exports: [do_not_recruit]}")
    second = story("b.yaml", "second", "Part Two", "{order: 2, imports: [do_not_recruit]}")
    return first, second


def test_a_call_says_in_one_line_what_it_carries_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _campaign(tmp_path)
    app = make_app(tmp_path, [first, second])
    pilot = Pilot(app)
    spy = TextSpy(monkeypatch)
    pilot.press(pygame.K_c)  # the campaign: Part One imports nothing, so says nothing
    call = pilot.top
    assert isinstance(call, CallScreen) and call.story.id == "first" and call.carried == ""
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_2)  # the insult: do_not_recruit, carried into Part Two
    debrief = finish(pilot)
    pilot.press(pygame.K_RETURN)  # "Next story"
    call = pilot.top
    assert isinstance(call, CallScreen) and call.story.id == "second" and debrief is not call
    line = "Continuing your campaign, carried over: do not recruit (from Part One)."
    assert call.carried == line
    pilot.press(pygame.K_SPACE)
    spy.frame(app)
    assert visible(app.surface, spy, "Continuing your campaign")
    (note,) = spy.find("Continuing your campaign")
    (rings,) = spy.find("Your phone rings.")
    assert call.phone_body.collidepoint(note.topleft) and note.topleft[1] < rings.topleft[1]
    assert [e.text for e in call.transcript.entries].count(line) == 1  # once, at the top
    pilot.press(pygame.K_1)
    spy.frame(app)
    assert len(spy.find("Continuing your campaign")) == 1
    app.to_title()
    pilot.press(pygame.K_2)  # Part Two picked from the list: played on its own
    alone = pilot.top
    assert isinstance(alone, CallScreen) and alone.state.imports == {}
    assert alone.carried == "Starting fresh: nothing is carried over from earlier calls."
    pilot.press(pygame.K_SPACE)
    spy.frame(app)
    assert visible(app.surface, spy, "Starting fresh: nothing is carried")


def test_the_next_student_does_not_carry_the_last_ones_campaign(tmp_path: Path) -> None:
    first, second = _campaign(tmp_path)
    app = make_app(tmp_path, [first, second])
    pilot = Pilot(app)
    _enter_player(pilot, "11B", "Ana")
    pilot.press(pygame.K_c)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_2)
    finish(pilot)
    pilot.press(pygame.K_RETURN)  # Ana's Part Two carries her insult over
    call = pilot.top
    assert isinstance(call, CallScreen) and "do not recruit" in call.carried
    app.to_title()
    entry = _open_entry(pilot)  # the next student, on the same machine: clear, then type
    pilot.press(pygame.K_DELETE)
    pilot.press(pygame.K_TAB)
    _type(pilot, "Ben")
    assert entry.values == ["", "Ben"]
    pilot.press(pygame.K_RETURN)
    assert app.session.profile.finished == []
    app.session.campaign = True
    app.open_story(second)  # Ben's campaign, at Part Two: nothing of Ana's comes with it
    call = pilot.top
    assert isinstance(call, CallScreen) and call.story.id == "second"
    assert call.carried == "Continuing your campaign: nothing earlier changes this call."


def test_a_call_left_half_way_waits_for_its_own_player(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    pilot = Pilot(app)

    def sit_down(name: str) -> TitleScreen:
        entry = _open_entry(pilot)
        pilot.press(pygame.K_DELETE)  # Clear: the last student's entry goes
        _type(pilot, "11B")
        pilot.press(pygame.K_TAB)
        _type(pilot, name)
        assert entry.values == ["11B", name]
        pilot.press(pygame.K_RETURN)
        title = pilot.top
        assert isinstance(title, TitleScreen)
        return title

    sit_down("Ana")
    pilot.press(pygame.K_1)
    assert isinstance(pilot.top, CallScreen)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_1)  # one answer: the call is saved
    app.to_title()
    assert isinstance(pilot.top, TitleScreen) and pilot.top.has_continue
    assert not sit_down("Ben").has_continue, "Ana's call is not offered to Ben"
    assert sit_down("Ana").has_continue, "it waits for her"


def test_a_run_the_window_cannot_store_waits_and_is_stored_next_time(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the class folder should be", encoding="utf-8")
    target = blocked / "class.db"
    data = tmp_path / "data"

    def window() -> tuple[App, Pilot]:
        session = Session([write(tmp_path, "story.yaml", STORY)], data_dir=data,
                          results=str(target))
        app = App(size=(1280, 720), clock=ManualClock(), session=session, text_speed=40,
                  transitions=False)
        app.step()
        return app, Pilot(app)

    app, pilot = window()
    pilot.press(pygame.K_1)
    pilot.press(pygame.K_SPACE)
    pilot.press(pygame.K_2)
    debrief = finish(pilot)
    pilot.until(lambda: not app.session.pending)
    assert "could not be stored" in debrief.run.note and "will be stored" in debrief.run.note
    assert len(list((data / "pending").glob("*.json"))) == 1
    blocked.unlink()  # the shared folder is back
    app, pilot = window()
    _play_one_run(pilot)
    pilot.until(lambda: not app.session.pending)
    with open_store(str(target)) as store:
        assert store.count() == 2, "the waiting run was stored with the next one"
    assert list((data / "pending").glob("*.json")) == []
