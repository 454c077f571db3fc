"""The check cache: an unchanged story answers at once, and a changed one never does.

Each test has its own ``CALLBACK_HOME`` (conftest), so its own cache folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from game.analysis import cache, load
from game.analysis.cache import Cache, checked_for_play, for_play, opened, validated
from game.analysis.load import load_for_play, load_story
from game.paths import bundled_stories
from game.story.model import Story

ROOT = Path(__file__).resolve().parent.parent
TINY = (ROOT / "tests" / "fixtures" / "tiny.yaml").read_text(encoding="utf-8")
# An extra scene nothing leads to (a warning, CB020) and an assertion that fails (CB030).
ORPHAN = TINY + """\
  orphan:
    lines:
      - maya: Nobody hears this.
    next: open
assertions:
  - reachable: closed
  - never: {after: thank, outcome: [open]}
"""


def codes(result: object) -> list[tuple[str, str]]:
    return [(d.code, str(d.location)) for d in result.diagnostics]  # type: ignore[attr-defined]


def entries() -> list[Path]:
    folder = cache.cache_folder()
    assert folder is not None
    return sorted(folder.glob("*.json"))


def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any fresh check fail loudly: what follows must come from the cache."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("checked again instead of answering from the cache")

    monkeypatch.setattr(load, "load_story", refuse)
    monkeypatch.setattr(load, "play_check", refuse)


def test_an_unchanged_story_is_answered_from_the_cache_with_the_same_diagnostics(
    write_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_story(ORPHAN)
    cold = validated(path)
    assert {"CB020", "CB030"} <= {d.code for d in cold.diagnostics}
    assert len(entries()) == 1
    no_analysis(monkeypatch)
    warm = validated(path)
    assert codes(warm) == codes(cold)
    assert [d.format() for d in warm.diagnostics] == [d.format() for d in cold.diagnostics]
    assert warm.errors and warm.sha256 == cold.sha256


def test_a_changed_story_is_checked_again(write_story) -> None:
    path = write_story(ORPHAN)
    assert any(d.code == "CB020" for d in validated(path).diagnostics)
    path.write_text(ORPHAN.replace("  orphan:\n", "  orphan:\n    # (now reached)\n")
                    .replace("next: open\nassertions", "next: open\nx_unused: 1\nassertions"),
                    encoding="utf-8")
    again = validated(path)
    assert any(d.code == "CB001" or "x_unused" in d.message for d in again.errors), codes(again)
    path.write_text(TINY, encoding="utf-8")
    assert validated(path).diagnostics == []


def test_a_changed_rubric_beside_the_story_is_a_miss(write_story) -> None:
    rubric = write_story("rubric: house\nmeters:\n  door: {label: Door, weight: 2}\n",
                         "house.rubric.yaml")
    text = TINY.replace("meters:\n  composure: {label: Composure}\n  door: {label: Door, "
                        "weight: 2}\n", "rubric: house.rubric.yaml\nmeters:\n  composure: "
                        "{label: Composure}\n")
    path = write_story(text)
    assert validated(path).diagnostics == []
    rubric.write_text("rubric: house\nmeters:\n  door: {label: Door, weight: 2}\n"
                      "  composure: {label: C}\n", encoding="utf-8")
    clash = validated(path)
    assert [d.code for d in clash.errors] == ["CB014"], codes(clash)
    rubric.unlink()  # gone now: neither beside the story nor built in
    assert [d.code for d in validated(path).errors] == ["CB014"]


def test_a_changed_size_cap_is_a_new_question(
    write_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_story(TINY)
    monkeypatch.setenv("CALLBACK_MAX_STORY_BYTES", "100")
    assert [d.code for d in validated(path).errors] == ["CB002"]
    monkeypatch.delenv("CALLBACK_MAX_STORY_BYTES")
    assert validated(path).diagnostics == []


def test_a_new_program_version_does_not_trust_old_entries(
    write_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_story(ORPHAN)
    validated(path)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    cache.program_stamp.cache_clear()
    calls = []
    real = load.load_story
    monkeypatch.setattr(load, "load_story",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    try:
        assert codes(validated(path)) == codes(load_story(path))
    finally:
        cache.program_stamp.cache_clear()
    assert len(calls) == 1  # checked again
    assert len(entries()) == 2


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "other key"])
def test_a_damaged_entry_is_a_miss_and_is_written_again(
    write_story, damage: str
) -> None:
    path = write_story(ORPHAN)
    cold = validated(path)
    [entry] = entries()
    raw = entry.read_bytes()
    damaged = {
        "truncated": raw[: len(raw) * 2 // 3],
        "flipped": raw[:-10] + bytes([raw[-10] ^ 0x20]) + raw[-9:],
        "garbage": os.urandom(len(raw)),
        "empty": b"",
        "other key": raw.replace(b'"question": "validate"', b'"question": "open"', 1),
    }[damage]
    assert damaged != raw
    entry.write_bytes(damaged)
    assert codes(validated(path)) == codes(cold)
    assert entry.read_bytes() == raw  # checked afresh and stored whole again


def test_entries_written_while_others_read_are_never_seen_torn(tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache")
    key = {"question": "validate", "sha256": "x"}
    bodies = [{"diagnostics": [], "inputs": [], "n": n, "pad": "y" * 200_000 * (n % 3)}
              for n in range(6)]
    seen: list[object] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(store.get(key))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    writers = [threading.Thread(target=lambda b=body: [store.put(key, b) for _ in range(15)])
               for body in bodies]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    stop.set()
    for reader in readers:
        reader.join()
    assert seen and all(found is None or found in bodies for found in seen)
    assert store.get(key) in bodies
    assert not list((tmp_path / "cache").glob("*.tmp"))  # no temporary file left behind


def test_several_validates_at_once_share_one_folder_safely(write_story) -> None:
    path = write_story(ORPHAN)
    command = [sys.executable, "-m", "game", "validate", str(path)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=os.environ.copy()) for _ in range(4)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert {run.returncode for run in runs} == {1}
    assert len({out for out, _ in outputs}) == 1
    assert "CB020" in outputs[0][0] and "CB030" in outputs[0][0]
    [entry] = entries()
    again = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert again.stdout == outputs[0][0]
    assert entries() == [entry]


def test_the_cache_can_be_turned_off(write_story, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLBACK_CACHE", "off")
    path = write_story(ORPHAN)
    validated(path)
    for_play(path, lambda story: {})
    home = Path(os.environ["CALLBACK_HOME"])
    assert not (home / "cache").exists()


def test_an_unwritable_cache_folder_only_means_no_cache(write_story, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("CALLBACK_CACHE", str(blocker / "cache"))
    path = write_story(ORPHAN)
    assert codes(validated(path)) == codes(load_story(path))


@pytest.mark.parametrize("path", [p for p in bundled_stories()
                                  if not p.name.endswith(".rubric.yaml")], ids=lambda p: p.stem)
def test_a_story_opened_from_the_cache_is_the_story_read_from_its_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = opened(path)
    assert cold.story is not None
    no_analysis(monkeypatch)
    warm = opened(path)
    assert isinstance(warm.story, Story) and warm.story == cold.story
    assert warm.compiled is not None and warm.story is warm.compiled.model
    assert codes(warm) == codes(cold)


def test_the_play_check_is_kept_per_start_and_agrees_with_a_fresh_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = next(p for p in bundled_stories() if p.stem == "check-in")
    starts = [{}, {"argued": True}]
    fresh = [load_for_play(path, lambda story, s=s: dict(s)) for s in starts]
    cold = [for_play(path, lambda story, s=s: dict(s)) for s in starts]
    assert len(entries()) == 1 + len(starts)  # the story once, one play check per start
    no_analysis(monkeypatch)
    for start, expected, first in zip(starts, fresh, cold, strict=True):
        warm = checked_for_play(opened(path), lambda story, s=start: dict(s))
        assert codes(warm) == codes(expected) == codes(first)
        assert (warm.compiled is None) == (expected.compiled is None)


def test_a_play_check_that_strands_the_player_is_remembered_as_a_refusal(
    write_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranding = TINY.replace("goto: closed", "goto: limbo") + (
        "  limbo:\n    lines:\n      - maya: ...\n    choices:\n"
        "      - id: wait\n        text: Wait.\n        goto: limbo\n")
    path = write_story(stranding)
    cold = for_play(path, lambda story: {})
    assert cold.compiled is None and "CB022" in {d.code for d in cold.errors}
    no_analysis(monkeypatch)
    warm = for_play(path, lambda story: {})
    assert warm.compiled is None and codes(warm) == codes(cold)
