"""The three save slots on disk: one versioned document each, picture inside, checked on reading.

A slot that cannot be used (damaged, hand-edited, of another kind, from a newer game)
falls back to its previous copy or reads as empty, with a note; never a traceback.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from game.analysis.load import load_story
from game.engine.engine import choose, start
from game.store.saves import (
    PNG_SIGNATURE,
    SLOTS,
    Saved,
    SlotSave,
    list_slots,
    load_slot,
    save_path,
    slot_path,
    write_save,
    write_slot,
)

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.yaml"
PICTURE = PNG_SIGNATURE + bytes(range(256)) * 4
"""Bytes the store takes for a PNG (it checks the signature; the window decodes the rest)."""


def _saved(moves: tuple[str | None, ...] = ("thank",), when: str = "2026-12-06T14:05:00Z"
           ) -> Saved:
    return Saved("tiny", "Tiny", str(TINY), "0" * 64, moves, {"door": 3}, False,
                 "2026-12-06T14:00:00Z", when)


def _document(folder: Path, number: int) -> dict[str, object]:
    data = json.loads(slot_path(number, folder).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _rewrite(folder: Path, number: int, **changes: object) -> None:
    data = {**_document(folder, number), **changes}
    slot_path(number, folder).write_text(json.dumps(data), encoding="utf-8")


def test_a_slot_round_trips_its_save_scene_and_picture(tmp_path: Path) -> None:
    path = write_slot(2, _saved(), PICTURE, tmp_path, scene="open")
    assert path == tmp_path / "slot-2.json"
    loaded = load_slot(2, tmp_path)
    assert loaded.note == "" and not loaded.recovered
    assert loaded.value == SlotSave(_saved(), "open", PICTURE)
    document = _document(tmp_path, 2)
    assert document["format"] == "callback-slot" and document["version"] == 1
    assert base64.b64decode(str(document["thumbnail"])) == PICTURE  # one file, picture inside


def test_a_slot_without_a_picture_round_trips(tmp_path: Path) -> None:
    write_slot(1, _saved(()), None, tmp_path, scene="news")
    assert load_slot(1, tmp_path).value == SlotSave(_saved(()), "news", None)


def test_a_slot_replays_on_the_story_as_a_save_does(tmp_path: Path) -> None:
    story = load_story(TINY).compiled
    assert story is not None
    state = choose(story, start(story), "thank")
    saved = Saved.of(story.model, TINY, "0" * 64, state, campaign=False, started="a", saved="b")
    write_slot(3, saved, None, tmp_path, scene=state.scene)
    slot = load_slot(3, tmp_path).value
    assert slot is not None and slot.scene == "open"
    assert slot.saved.resume(story) == (["thank"], "")


def test_empty_slots_read_as_none_quietly(tmp_path: Path) -> None:
    assert list_slots(tmp_path) == [None] * SLOTS
    loaded = load_slot(1, tmp_path)
    assert loaded.value is None and loaded.note == ""
    write_slot(3, _saved(), None, tmp_path, scene="open")
    assert list_slots(tmp_path) == [None, None, SlotSave(_saved(), "open")]


def test_slots_are_numbered_one_to_three_and_others_are_refused(tmp_path: Path) -> None:
    assert [slot_path(n, tmp_path).name for n in range(1, SLOTS + 1)] == [
        "slot-1.json", "slot-2.json", "slot-3.json"]
    for wrong in (0, SLOTS + 1, -1):
        with pytest.raises(ValueError, match="slots are numbered 1 to 3"):
            slot_path(wrong, tmp_path)


def test_the_autosave_and_the_slots_are_separate_files(tmp_path: Path) -> None:
    write_save(_saved(("thank",)), tmp_path)
    write_slot(1, _saved(("argue",)), None, tmp_path, scene="closed")
    assert save_path(tmp_path) != slot_path(1, tmp_path)
    slot = load_slot(1, tmp_path).value
    assert slot is not None and slot.saved.moves == ("argue",)


def test_a_damaged_slot_falls_back_to_its_previous_copy_with_a_note(tmp_path: Path) -> None:
    write_slot(1, _saved(when="first"), None, tmp_path, scene="news")
    write_slot(1, _saved(when="second"), PICTURE, tmp_path, scene="open")
    slot_path(1, tmp_path).write_text('{"format": "callback-slot", "vers', encoding="utf-8")
    loaded = load_slot(1, tmp_path)
    assert loaded.recovered and "not valid JSON" in loaded.note and "slot-1.json.bak" in loaded.note
    assert loaded.value == SlotSave(_saved(when="first"), "news")
    assert (tmp_path / "slot-1.json.unreadable").exists()  # kept, never overwritten


def test_a_damaged_slot_with_no_copy_reads_as_empty_with_a_note(tmp_path: Path) -> None:
    slot_path(2, tmp_path).write_bytes(b"\xff\xfe not text")
    loaded = load_slot(2, tmp_path)
    assert loaded.value is None and "cannot be read" in loaded.note
    assert "starting afresh" in loaded.note


def test_a_document_of_another_kind_is_not_taken_for_a_slot(tmp_path: Path) -> None:
    write_save(_saved(), tmp_path)
    slot_path(1, tmp_path).write_text(save_path(tmp_path).read_text(encoding="utf-8"),
                                      encoding="utf-8")
    loaded = load_slot(1, tmp_path)
    assert loaded.value is None and "not a callback-slot document" in loaded.note


def test_a_slot_from_a_newer_game_is_refused_and_kept(tmp_path: Path) -> None:
    write_slot(1, _saved(), None, tmp_path, scene="open")
    _rewrite(tmp_path, 1, version=2)
    loaded = load_slot(1, tmp_path)
    assert loaded.value is None
    assert "written by a newer Callback (version 2, not 1)" in loaded.note
    assert (tmp_path / "slot-1.json.unreadable").exists()


def test_a_slot_older_than_the_oldest_readable_version_is_refused(tmp_path: Path) -> None:
    write_slot(1, _saved(), None, tmp_path, scene="open")
    _rewrite(tmp_path, 1, version=0)
    loaded = load_slot(1, tmp_path)
    assert loaded.value is None and "older Callback (version 0)" in loaded.note


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"scene": ""}, "'scene' is not a scene id"),
        ({"scene": 7}, "'scene' is not a scene id"),
        ({"moves": "thank"}, "'moves' is not a list of choice ids"),
        ({"thumbnail": "not base64!"}, "'thumbnail' is not valid base64"),
        ({"thumbnail": 12}, "'thumbnail' is not a picture's base64 text"),
        ({"thumbnail": base64.b64encode(b"GIF89a...").decode()}, "not a PNG picture"),
        ({"story": ["tiny"]}, "'story' is not a mapping"),
        ({"campaign": "yes"}, "'campaign' is not true or false"),
    ],
)
def test_a_hand_edited_slot_with_a_bad_field_reads_as_empty_with_the_reason(
    tmp_path: Path, changes: dict[str, object], reason: str
) -> None:
    write_slot(1, _saved(), PICTURE, tmp_path, scene="open")
    _rewrite(tmp_path, 1, **changes)
    loaded = load_slot(1, tmp_path)
    assert loaded.value is None and reason in loaded.note


def test_a_slot_missing_its_scene_reads_as_empty(tmp_path: Path) -> None:
    write_slot(1, _saved(), None, tmp_path, scene="open")
    data = _document(tmp_path, 1)
    del data["scene"]
    slot_path(1, tmp_path).write_text(json.dumps(data), encoding="utf-8")
    loaded = load_slot(1, tmp_path)
    assert loaded.value is None and "'scene'" in loaded.note


def test_a_picture_that_is_not_a_png_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    with pytest.raises(ValueError, match="not a PNG picture"):
        write_slot(1, _saved(), b"GIF89a", tmp_path, scene="open")
    with pytest.raises(ValueError, match="not a scene id"):
        write_slot(1, _saved(), None, tmp_path, scene="")
    assert not slot_path(1, tmp_path).exists()
