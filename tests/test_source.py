"""The YAML reader (``game.story.source``): data and positions, checked against PyYAML.

The reader builds plain data straight from libyaml's events. PyYAML's own
``safe_load`` and ``compose`` are the oracle: on every bundled story and fixture the
data must be equal, and every key and value must be placed where PyYAML's node
tree puts it. Anchors, aliases and refused keys get cases of their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from game.story.diagnostics import Diagnostic
from game.story.source import Path_, SourceMap, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "stories", ROOT / "game" / "story" / "examples", ROOT / "tests" / "fixtures")
STORIES = sorted(
    p for folder in FOLDERS for p in folder.rglob("*.yaml") if "hostile" not in p.parts
)


def _parse(text: str) -> tuple[Any, SourceMap, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    data, smap = parse_yaml(text, "story.yaml", problems)
    return data, smap, problems


def _positions(node: yaml.Node, where: Path_, keys: dict[Path_, tuple[int, int]],
               values: dict[Path_, tuple[int, int]]) -> None:
    """Every key's and value's (line, col) in PyYAML's node tree (no aliases here)."""
    values[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            keys[(*where, key.value)] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _positions(value, (*where, key.value), keys, values)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(item, (*where, i), keys, values)


def _readable(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
        yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError):
        return None  # a fixture of a broken file
    if "&" in text and "*" in text or "<<" in text:
        return None  # aliases and merges have cases of their own below
    return text


@pytest.mark.parametrize("path", STORIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_data_and_positions_match_pyyaml(path: Path) -> None:
    text = _readable(path)
    if text is None:
        pytest.skip("not plain YAML")
    data, smap, problems = _parse(text)
    if any(d.code in ("CB003", "CB006", "CB008") for d in problems):
        pytest.skip("a fixture of a refused value")
    assert data == yaml.safe_load(text)
    keys: dict[Path_, tuple[int, int]] = {}
    values: dict[Path_, tuple[int, int]] = {}
    _positions(yaml.compose(text, Loader=yaml.SafeLoader), (), keys, values)
    assert smap.keys == keys
    assert smap.values == values


_SCALARS = st.one_of(
    st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
_KEYS = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=6)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


@given(data=st.dictionaries(_KEYS, _DATA, min_size=1, max_size=5),
       flow=st.booleans())
def test_any_dumped_data_reads_back_equal(data: dict[str, Any], flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    read, smap, problems = _parse(text)
    assert problems == []
    assert read == data
    assert all(smap.at((key,)).line >= 1 for key in data)


def test_an_alias_is_a_copy_placed_where_it_is_used() -> None:
    text = "base: &b\n  x: 1\n  y: [2, 3]\nuse: *b\n"
    data, smap, problems = _parse(text)
    assert problems == []
    assert data == {"base": {"x": 1, "y": [2, 3]}, "use": {"x": 1, "y": [2, 3]}}
    assert data["use"] is not data["base"] and data["use"]["y"] is not data["base"]["y"]
    assert (smap.at(("use",)).line, smap.at(("use",)).col) == (4, 6)  # the alias itself
    inner = smap.at(("use", "y", 1))
    assert (inner.line, inner.col) == (3, 10)  # what it copies: where that was written
    assert smap.keys[("use", "x")] == (2, 3)


def test_a_scalar_alias_keeps_its_type_and_quoting() -> None:
    data, smap, problems = _parse("a: &n 7\nb: *n\nc: &q '7'\nd: *q\n")
    assert problems == [] and data == {"a": 7, "b": 7, "c": "7", "d": "7"}
    assert smap.styles[("d",)] == "'" and smap.styles[("b",)] == ""


def test_an_anchor_inside_a_refused_merge_can_still_be_used() -> None:
    data, _, problems = _parse("a:\n  <<: &m {x: 1}\n  y: 2\nb: *m\n")
    assert [(d.code, d.location.line) for d in problems] == [("CB004", 2)]
    assert data == {"a": {"y": 2}, "b": {"x": 1}}


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    data, _, problems = _parse("a: &x [1, *x]\n")
    assert data is None
    ((problem),) = problems
    assert (problem.code, problem.location.line, problem.location.col) == ("CB001", 1, 11)
    assert "*x is used inside the value it names" in problem.message


def test_an_anchor_defined_twice_is_refused_at_the_second() -> None:
    _, _, problems = _parse("a: &x 1\nb: &x 2\nc: *x\n")
    ((problem),) = problems
    assert (problem.code, problem.location.line, problem.location.col) == ("CB001", 2, 4)
    assert "&x is already defined on line 1" in problem.message


def test_an_undefined_alias_is_explained() -> None:
    _, _, problems = _parse("a: 1\nb: *nope\n")
    ((problem),) = problems
    assert (problem.code, problem.location.line) == ("CB001", 2)
    assert "'*nope'" in problem.message and "not defined" in problem.message


def test_a_duplicate_key_keeps_the_first_value_and_drops_the_second() -> None:
    data, smap, problems = _parse("a: 1\nb: [x]\nb: {c: !!set {d}}\n")
    # the second 'b' is read but dropped, with no problems of its own
    assert [(d.code, d.location.line, d.location.col) for d in problems] == [("CB006", 3, 1)]
    assert data == {"a": 1, "b": ["x"]} and smap.keys[("b",)] == (2, 1)


def test_a_key_that_is_a_list_is_refused_with_its_value() -> None:
    data, _, problems = _parse("[a, b]: 1\nc: 2\n")
    assert [(d.code, d.message) for d in problems] == [("CB003", "a key must be plain text")]
    assert data == {"c": 2}


def test_a_second_document_is_named() -> None:
    _, _, problems = _parse("a: 1\n---\nb: 2\n")
    ((problem),) = problems
    assert (problem.location.line, problem.message) == (2, "a second YAML document starts here")


def test_problems_before_a_refusal_are_dropped_for_the_refusal() -> None:
    _, _, problems = _parse("a: !!set {x}\nb: " + "[" * 70 + "]" * 70 + "\n")
    assert [(d.code, d.message) for d in problems] == [
        ("CB001", "nesting is deeper than 64 levels")]


_ATOMS = ["a", "b", "1", "-2", "yes", "null", "~", '"q"', "'s'", "1.5", "<<", "!!str 3",
          "[]", "{}"]


@st.composite
def _flow_yaml(draw: st.DrawFn) -> str:
    """A flow-style document with anchors, aliases, merge and repeated keys."""
    anchors: list[str] = []

    def value(depth: int) -> str:
        if depth > 3 or draw(st.integers(0, 9)) < 4:
            if anchors and draw(st.integers(0, 6)) == 0:
                return "*" + draw(st.sampled_from(anchors))
            return draw(st.sampled_from(_ATOMS))
        if draw(st.booleans()):
            text = "[" + ", ".join(value(depth + 1) for _ in range(draw(st.integers(0, 3)))) + "]"
        else:
            keys = [draw(st.sampled_from(["k", "m", "x", "<<"])) for _ in range(draw(
                st.integers(0, 3)))]
            text = "{" + ", ".join(f"{k}: {value(depth + 1)}" for k in keys) + "}"
        if draw(st.integers(0, 4)) == 0:
            anchors.append(f"n{len(anchors)}")
            return f"&{anchors[-1]} {text}"
        return text

    return "root: " + value(0) + "\n"


@given(_flow_yaml())
def test_reading_with_and_without_positions_agree_and_match_pyyaml(text: str) -> None:
    from game.story.reader import Builder, NeedPositions

    found: list[Any] = []
    for tables in (None, ({}, {}, {})):
        problems: list[Diagnostic] = []
        try:
            result: Any = Builder("x.yaml", problems, tables).build(text)
        except NeedPositions:
            return  # a duplicate key: only the reading with positions reports it
        except Exception as error:  # noqa: BLE001 - compared, not hidden
            result = type(error).__name__
        found.append((result, [(d.code, d.message) for d in problems]))
    assert found[0] == found[1]
    (result, problems) = found[0]
    if problems or not isinstance(result, tuple):
        return
    try:
        reference = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    assert result == (True, reference)
