"""Profiles and results: atomic, versioned, recoverable, and carried between stories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.analysis.load import load_story
from game.engine.compiled import compile_story
from game.engine.engine import choose, start
from game.store.atomic import atomic_write
from game.store.profile import Carried, Profile, load_profile, profile_path, save_profile
from game.store.saves import Saved, clear_save, load_save, save_path, write_save
from game.store.settings import Settings, load_settings, save_settings, settings_path

CAMPAIGN = """
id: {id}
title: {title}
cast: {{you: {{name: You}}}}
meters: {{door: {{label: Door}}}}
flags: {{argued: {{help: Argued.}}}}
campaign: {{order: 1, exports: [argued, door], imports: [argued]}}
start: first
scenes:
  first:
    route:
      - {{if: argued, goto: cold}}
      - {{goto: warm}}
  warm:
    lines: [{{narrator: A warm call.}}]
    choices:
      - {{id: argue, text: No., goto: end, effects: {{argued: true, door: -20}}, feedback: x}}
      - {{id: thank, text: Thanks., goto: end, effects: {{door: 20}}, feedback: x}}
  cold:
    lines: [{{narrator: A cold call.}}]
    choices:
      - {{id: thank, text: Thanks., goto: end, feedback: x}}
  end:
    ending: {{title: End, outcome: shut, epilogue: Later.}}
"""


def _story(write_story, story_id: str = "one"):
    result = load_story(write_story(CAMPAIGN.format(id=story_id, title=story_id.title()),
                                    f"{story_id}.yaml"))
    assert result.story is not None, [d.format() for d in result.diagnostics]
    return result.story


def test_profile_round_trip_and_carry_over(write_story, tmp_path: Path) -> None:
    story = _story(write_story)
    play = compile_story(story)
    state = choose(play, start(play), "argue")
    profile = Profile()
    profile.record(story, state)
    save_profile(profile, tmp_path)
    loaded = load_profile(tmp_path)
    assert loaded.note == ""
    again = loaded.value
    assert again.values["argued"].value is True and again.values["argued"].choice == "argue"
    assert again.values["door"].value == 30 and again.finished == ["one"]
    later = start(play, again.imports_for(story))
    assert later.scene == "cold"
    (cause,) = again.carried_into(story, later)
    assert (cause.name, cause.text, cause.story_title) == ("argued", "No.", "One")


def test_a_value_passed_on_unchanged_keeps_the_choice_that_set_it(write_story) -> None:
    first, second = _story(write_story), _story(write_story, "two")
    one, two = compile_story(first), compile_story(second)
    profile = Profile()
    profile.record(first, choose(one, start(one), "argue"))
    passed_on = choose(two, start(two, profile.imports_for(second)), "thank")
    profile.record(second, passed_on)  # 'two' exports argued without touching it
    cause = profile.values["argued"]
    assert (cause.story, cause.choice, cause.text) == ("one", "argue", "No.")


def test_hand_edited_values_of_the_wrong_kind_are_not_imported(write_story) -> None:
    story = _story(write_story)
    profile = Profile({"argued": Carried("argued", 5, "x", "", None, "")})
    assert profile.imports_for(story) == {}
    assert start(compile_story(story), profile.imports_for(story)).scene == "warm"
    meter_story = story.model_copy(update={"campaign": story.campaign.model_copy(
        update={"imports": ["door"]})})
    profile.values["door"] = Carried("door", 5000, "x", "", None, "")
    assert profile.imports_for(meter_story) == {"door": 100}  # kept within the meter
    profile.values["door"] = Carried("door", True, "x", "", None, "")
    assert profile.imports_for(meter_story) == {}


def test_damaged_profile_falls_back_to_the_previous_copy(write_story, tmp_path: Path) -> None:
    story = _story(write_story)
    first = Profile()
    play = compile_story(story)
    first.record(story, choose(play, start(play), "thank"))
    save_profile(first, tmp_path)
    save_profile(first, tmp_path)  # now a .bak exists too
    profile_path(tmp_path).write_text("{ half a file", encoding="utf-8")
    loaded = load_profile(tmp_path)
    assert loaded.recovered and "using profile.json.bak" in loaded.note
    assert loaded.value.values["door"].value == 70
    assert (tmp_path / "profile.json.unreadable").exists(), "the damaged file is kept aside"


def test_future_version_is_refused_and_kept(tmp_path: Path) -> None:
    path = profile_path(tmp_path)
    atomic_write(path, json.dumps({"format": "callback-profile", "version": 99, "values": {}}))
    loaded = load_profile(tmp_path)
    assert loaded.recovered and "newer Callback" in loaded.note
    assert loaded.value.values == {}
    assert (tmp_path / "profile.json.unreadable").exists()


def test_missing_profile_is_a_quiet_fresh_start(tmp_path: Path) -> None:
    loaded = load_profile(tmp_path)
    assert (loaded.note, loaded.recovered, loaded.value.values) == ("", False, {})


def test_leftovers_of_killed_writes_are_swept(tmp_path: Path) -> None:
    import os
    import time

    target = tmp_path / "profile.json"
    old = tmp_path / ".profile.json.abc123.tmp"
    fresh = tmp_path / ".profile.json.def456.tmp"
    old.write_text("half")
    fresh.write_text("in progress")
    stale = time.time() - 3600
    os.utime(old, (stale, stale))
    atomic_write(target, "{}")
    assert not old.exists() and fresh.exists() and target.read_text() == "{}"


def test_settings_round_trip_and_a_bad_value_falls_back(tmp_path: Path) -> None:
    assert load_settings(tmp_path).value == Settings()  # a new player: the defaults
    chosen = Settings(text_speed="fast", high_contrast=True)
    save_settings(chosen, tmp_path)
    assert load_settings(tmp_path).value == chosen
    save_settings(Settings(text_scale=125), tmp_path)  # the previous copy becomes .bak
    path = settings_path(tmp_path)
    path.write_text(path.read_text().replace('"normal"', '"warp"'), encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert loaded.value == chosen and "text_speed 'warp'" in loaded.note
    assert Settings().next_speed().text_speed == "fast"
    assert Settings(text_speed="instant").next_speed().text_speed == "slow"


def test_volume_sound_and_motion_are_kept(tmp_path: Path) -> None:
    chosen = Settings(volume=30, muted=True, reduced_motion=True)
    save_settings(chosen, tmp_path)
    assert load_settings(tmp_path).value == chosen


def test_settings_written_before_sound_load_with_sound_on_at_80(tmp_path: Path) -> None:
    document = json.loads(Settings(text_speed="slow", text_scale=125).to_text())
    for key in ("volume", "muted", "reduced_motion"):
        del document[key]
    settings_path(tmp_path).write_text(json.dumps(document), encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert not loaded.recovered
    assert loaded.value == Settings(text_speed="slow", text_scale=125)
    settings = loaded.value
    assert settings.volume == 80 and not settings.muted and not settings.reduced_motion


@pytest.mark.parametrize(("key", "value", "says"), [
    ("volume", 150, "volume 150 is not a whole number from 0 to 100"),
    ("volume", -10, "volume -10 is not a whole number from 0 to 100"),
    ("volume", True, "volume True is not a whole number"),
    ("volume", "80", "volume '80' is not a whole number"),
    ("volume", 55.5, "volume 55.5 is not a whole number"),
    ("muted", "yes", "muted is not true or false"),
    ("reduced_motion", 1, "reduced_motion is not true or false"),
])
def test_a_wrong_volume_or_switch_falls_back_with_a_note(tmp_path: Path, key: str,
                                                         value: object, says: str) -> None:
    chosen = Settings(volume=40)
    save_settings(chosen, tmp_path)
    save_settings(Settings(), tmp_path)  # the chosen settings become the .bak
    document = json.loads(settings_path(tmp_path).read_text(encoding="utf-8"))
    document[key] = value
    settings_path(tmp_path).write_text(json.dumps(document), encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert loaded.value == chosen and says in loaded.note


def test_the_volume_goes_round_in_steps_of_ten() -> None:
    volume, heard = Settings(volume=0), []
    for _ in range(12):
        volume = volume.next_volume()
        heard.append(volume.volume)
    assert heard == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 0, 10]
    assert Settings(volume=55).louder().volume == 60  # a hand-edited volume joins the steps
    assert Settings(volume=55).quieter().volume == 50
    assert Settings(volume=100).louder().volume == 100  # Right at the top stays at the top
    assert Settings(volume=0).quieter().volume == 0


def test_a_save_resumes_as_far_as_its_moves_still_apply(write_story, tmp_path: Path) -> None:
    story = _story(write_story)
    play = compile_story(story)
    state = choose(play, start(play), "thank")
    saved = Saved.of(story, tmp_path / "s.yaml", "ab" * 32, state, campaign=True,
                     started="2026-11-25T10:00:00Z", saved="2026-11-25T10:01:00Z")
    write_save(saved, tmp_path)
    again = load_save(tmp_path).value
    assert again == saved and again.choices == 1
    assert again.resume(play) == (["thank"], "")
    edited = story.model_copy(update={"scenes": {
        name: scene.model_copy(update={"choices": [
            c.model_copy(update={"id": "thanks"}) if c.id == "thank" else c
            for c in scene.choices]})
        for name, scene in story.scenes.items()}})
    moves, note = again.resume(compile_story(edited))
    assert moves == [] and "after 0 of your 1 choices" in note
    clear_save(tmp_path)
    assert load_save(tmp_path).value is None  # and no .bak brings it back


def test_a_damaged_save_is_set_aside_not_offered(tmp_path: Path) -> None:
    save_path(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    save_path(tmp_path).write_text('{"format": "callback-save", "version": 1, "moves": 3}')
    loaded = load_save(tmp_path)
    assert loaded.value is None and loaded.recovered and "starting afresh" in loaded.note
    assert save_path(tmp_path).with_name("save.json.unreadable").exists()


HANDOVER = """
id: chapter
title: Chapter
cast: {you: {name: You}}
flags: {in_campaign: {help: Set by the game.}}
campaign: {order: 1, imports: [in_campaign]}
start: first
scenes:
  first:
    route:
      - {if: in_campaign, goto: handover}
      - {goto: alone}
  alone:
    ending: {title: Months later, outcome: shut, time_skip: Six months later..., epilogue: x}
  handover:
    ending: {title: To be continued, outcome: shut, time_skip: Later that week..., epilogue: x}
"""


def test_a_story_in_the_campaign_starts_with_in_campaign_set(write_story,
                                                             player_home: Path) -> None:
    from game.classroom.players import carried_line

    result = load_story(write_story(HANDOVER, "chapter.yaml"))
    story = result.story
    assert story is not None, [d.format() for d in result.diagnostics]
    profile = Profile()
    imports = profile.imports_for(story)
    assert imports == {"in_campaign": True}
    assert start(compile_story(story), imports).scene == "handover"
    assert start(compile_story(story)).scene == "alone"  # played on its own
    # The game's own flag is not a choice the player carried over.
    assert carried_line(story, profile, imports, carrying=True) == ""
    assert carried_line(story, profile, {}, carrying=False) == ""
    profile.record(story, start(compile_story(story), imports))
    assert "in_campaign" not in profile.values
