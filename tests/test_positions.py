"""Diagnostics find their line and column without reading the whole file again.

The first read notes where each key of the top two levels starts; a problem in one
scene reads only that scene's lines again. Every position must be exactly the one
a full read with positions gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from game.analysis.cache import validated
from game.paths import bundled_stories
from game.story import halves, source
from game.story.source import parse_yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate  # noqa: E402

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.yaml"


def whole_read_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, shown: str) -> object:
        raise AssertionError("read the whole file again for a position")

    monkeypatch.setattr(source, "_positions", refuse)


def every_position(text: str, workers: int = 1) -> None:
    """Each key, value and quoting found by parts equals the whole read's."""
    keys, values, styles = source._positions(text, "s.yaml")
    _, smap = parse_yaml(text, "s.yaml", [], workers=workers)
    for table, key in ((keys, True), (values, False)):
        for where, (line, col) in table.items():
            found = smap.at(where, key=key)
            assert (found.line, found.col) == (line, col), (where, key)
    for where, style in styles.items():
        assert smap.style(where) == style, where
    assert smap._tables is None  # never needed the whole file


@pytest.mark.parametrize("path", bundled_stories(), ids=lambda p: p.stem)
def test_every_position_in_a_bundled_story_is_found_by_its_part(path: Path) -> None:
    every_position(path.read_text(encoding="utf-8"))


def test_positions_in_a_story_read_on_two_cores_and_with_windows_line_endings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(halves, "MIN_BYTES", 10_000)
    text = yaml.safe_dump(generate(300, swing=4), sort_keys=False)
    assert halves.split(text) is not None
    every_position(text, workers=2)
    every_position(text.replace("\n", "\r\n"), workers=2)


def test_flow_style_and_anchors_fall_back_to_the_whole_read() -> None:
    flow = TINY.read_text(encoding="utf-8")  # its cast and tags are flow mappings
    keys, values, _ = source._positions(flow, "s.yaml")
    _, smap = parse_yaml(flow, "s.yaml", [])
    for where, (line, col) in values.items():
        assert (smap.at(where).line, smap.at(where).col) == (line, col)
    anchored = flow.replace("  maya: {name: Maya Okafor, role: Recruiter}",
                            "  maya: &maya {name: Maya Okafor, role: Recruiter}\n"
                            "  boss: *maya")
    _, smap = parse_yaml(anchored, "s.yaml", [])
    assert smap.at(("cast", "boss", "name")).line == 7
    assert smap._tables is not None  # (anchors: the whole read, as before)


def test_a_problem_deep_in_a_large_story_is_located_exactly_without_a_second_read(
    write_story, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = generate(2_000, swing=4)
    text = yaml.safe_dump(data, sort_keys=False)
    scene = "s1500" if "s1500" in data["scenes"] else list(data["scenes"])[1500]
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {scene}:"))
    lines.insert(at + 1, "    colour: blue\n")  # an unknown key, deep in the file
    path = write_story("".join(lines))
    whole_read_forbidden(monkeypatch)
    result = validated(path)
    unknown = [d for d in result.errors if "colour" in d.message]
    assert unknown and (unknown[0].location.line, unknown[0].location.col) == (at + 2, 5)
