"""Reading a large story in two halves (``game.story.halves``) gives exactly what
reading it whole gives: the same data, or the whole read's own diagnostics."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
import yaml

from game.story import halves
from game.story.diagnostics import Diagnostic
from game.story.source import parse_yaml

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads in two on Linux only")


@pytest.fixture(autouse=True)
def _alone() -> None:
    """Reading in two forks, so only with no other thread: let any a previous test
    started (a window's warm-up, say) finish first."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(timeout=60)
    assert halves.can_fork()


def _story(scenes: int, extra: dict[int, str] | None = None) -> str:
    """A story-shaped YAML text of about 130 bytes a scene, with quoting, a block
    scalar, comments and numbers; ``extra`` puts raw text after scene ``i``."""
    parts = ["id: big\ntitle: 'Big: a test'\nstart: s0\n# the scenes\nscenes:\n"]
    for i in range(scenes):
        parts.append(
            f"  s{i}:\n"
            f"    lines:\n    - maya: \"Line {i}: 'quoted'\"\n"
            f"    note: |\n      a block scalar\n      s{i + 1}: looks like a key\n"
            "    # a comment inside a scene\n"
            f"    choices:\n    - {{id: c0, goto: s{(i + 1) % scenes}, effects: {{door: -4}}}}\n"
        )
        if extra and i in extra:
            parts.append(extra[i])
    parts.append("meters: {door: {label: Door}}\n")
    return "".join(parts)


def _read(text: str, workers: int) -> tuple[Any, list[tuple[str, int, int, str]]]:
    problems: list[Diagnostic] = []
    data, _ = parse_yaml(text, "big.yaml", problems, workers=workers)
    return data, [(d.code, d.location.line, d.location.col, d.message) for d in problems]


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether each two-way read succeeded (False: it fell back)."""
    outcomes: list[bool] = []
    real = halves.read_in_two

    def spy(text: str, read: halves.Reader) -> tuple[bool, Any]:
        found = real(text, read)
        outcomes.append(found[0])
        return found

    monkeypatch.setattr(halves, "read_in_two", spy)
    return outcomes


def test_a_large_story_read_in_two_equals_the_whole_read(spied: list[bool]) -> None:
    text = _story(12_000)
    assert len(text) > halves.MIN_BYTES
    whole = _read(text, workers=1)
    assert _read(text, workers=2) == whole
    assert spied == [True]
    data = whole[0]
    assert list(data) == ["id", "title", "start", "scenes", "meters"]  # key order kept
    assert list(data["scenes"])[:3] == ["s0", "s1", "s2"] and len(data["scenes"]) == 12_000
    assert data["scenes"]["s11999"]["note"] == "a block scalar\ns12000: looks like a key\n"


def test_windows_line_endings_are_read_in_two_as_well(spied: list[bool]) -> None:
    text = _story(12_000).replace("\n", "\r\n")
    assert _read(text, workers=2) == _read(text, workers=1)
    assert spied == [True]


def test_the_cut_falls_between_two_scenes_near_the_middle() -> None:
    text = _story(12_000)
    cut = halves.split(text)
    assert cut is not None
    first, second = cut
    assert second.startswith("scenes:\n  s") and len(first) >= len(text) // 2
    assert first + second.removeprefix("scenes:\n") == text
    assert yaml.safe_load(first)["scenes"] and yaml.safe_load(second)["meters"]


@pytest.mark.parametrize("text", [
    "id: x\nscenes: {a: {}, b: {}}\n" + "#" * 1_100_000,  # a flow mapping: no block to cut
    "id: x\n" + "a: 1\n" * 300_000,  # no scenes at all
])
def test_no_cut_where_there_is_no_block_of_scenes(text: str) -> None:
    assert halves.split(text) is None


def test_a_line_less_indented_than_the_scenes_stops_the_cut() -> None:
    text = _story(9_000, extra={10: "meters_early: 1\n  s-orphan:\n    lines: []\n"})
    assert halves.split(text) is None


def test_a_scene_in_both_halves_is_reported_by_the_whole_read(spied: list[bool]) -> None:
    text = _story(12_000, extra={11_000: "  s3:\n    lines: []\n"})
    found = _read(text, workers=2)
    assert spied == [False]
    assert found == _read(text, workers=1)
    assert [(code, line) for code, line, _, _ in found[1]] == [("CB006", text[
        : text.index("  s3:\n    lines: []\n", text.index("s11000:"))].count("\n") + 1)]


def test_a_quote_left_open_across_the_cut_falls_back(spied: list[bool]) -> None:
    # a double-quoted text that runs on over a line shaped like a scene, placed so
    # that this line is where the cut would fall
    quote = '  s-quote: "runs' + " on" * 100 + '\n  s-fake: still the quote"\n'
    plain = halves.split(_story(12_000))
    assert plain is not None
    middle = int(plain[1].split(":", 2)[1].strip().removeprefix("s"))  # the scene cut before
    for after in range(middle - 3, middle + 2):
        text = _story(12_000, extra={after: quote})
        cut = halves.split(text)
        if cut is not None and cut[1].startswith("scenes:\n  s-fake:"):
            break
    else:
        pytest.fail("no placement puts the cut inside the quote")
    assert _read(text, workers=2) == _read(text, workers=1)
    assert spied == [False]


def test_anchors_are_left_to_the_whole_read(spied: list[bool]) -> None:
    text = _story(12_000, extra={2: "  s-anchor: &shared {lines: []}\n",
                                 11_000: "  s-alias: *shared\n"})
    whole = _read(text, workers=1)
    assert whole[1] == [] and whole[0]["scenes"]["s-alias"] == {"lines": []}
    assert _read(text, workers=2) == whole
    assert spied == [False]


def test_small_files_and_one_worker_never_fork(spied: list[bool]) -> None:
    _read(_story(100), workers=2)
    _read(_story(12_000), workers=1)
    assert spied == []


def test_never_forks_while_another_thread_runs(spied: list[bool]) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not halves.can_fork()
        text = _story(12_000)
        assert _read(text, workers=2) == _read(text, workers=1)
        assert spied == []
    finally:
        stop.set()
        other.join()
