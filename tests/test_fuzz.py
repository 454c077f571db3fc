"""Fuzzing the readers of untrusted input: story files, conditions, saved states, documents.

Every property says the same thing in its own corner: whatever the input, the reader
either succeeds or reports its *documented* failure (a located Diagnostic, ExprError,
StateError, DocumentError); nothing else escapes. Quick under the "ci" Hypothesis
profile, thorough with HYPOTHESIS_PROFILE=long.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.analysis.load import load_story
from game.engine.engine import start
from game.engine.state import PlayState, StateError
from game.store.atomic import DocumentError, parse
from game.store.profile import Profile, load_profile, profile_path
from game.store.results import load_runs, results_dir
from game.story import expr
from game.story.diagnostics import Diagnostic

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny.yaml"
TINY_DATA = yaml.safe_load(TINY.read_text(encoding="utf-8"))

# One scratch folder per module: Hypothesis forbids function-scoped fixtures in @given.
_SCRATCH = Path(tempfile.mkdtemp(prefix="callback-fuzz-"))
_STORY = _SCRATCH / "story.yaml"

# Files written per example: no health check may fail the run for being slow to write.
_settings = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.fixture(scope="module", autouse=True)
def _remove_scratch() -> Iterator[None]:
    yield
    shutil.rmtree(_SCRATCH, ignore_errors=True)


def _line_count(raw: bytes) -> int:
    """Lines as YAML counts them: \\r, \\x85, U+2028 and U+2029 break lines too."""
    text = raw.decode("utf-8", "replace")
    return sum(text.count(brk) for brk in "\n\r\x85\u2028\u2029") + 1


def _assert_located(diagnostics: list[Diagnostic], path: Path, raw: bytes) -> None:
    """Every diagnostic names the file; one about the text has a line and column in it."""
    for diag in diagnostics:
        assert "\n" not in diag.format(), diag.format()
        loc = diag.location
        if loc.path != str(path):  # only a rubric the story names, next to it
            assert Path(loc.path).parent == path.parent and diag.code == "CB002", diag.format()
            continue
        if diag.code == "CB002" and loc.line == 0:
            continue  # the whole file is the problem: binary, UTF-16, too large
        assert 1 <= loc.line <= _line_count(raw) + 1, diag.format()
        assert loc.col >= 1, diag.format()


def _load(raw: bytes) -> list[Diagnostic]:
    _STORY.write_bytes(raw)
    diagnostics = load_story(_STORY).diagnostics
    _assert_located(diagnostics, _STORY, raw)
    return diagnostics


# --- story files --------------------------------------------------------------------

@_settings
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_loader(raw: bytes) -> None:
    _load(raw)


_YAML_BITS = st.sampled_from(
    [*"abc:-[]{}&*!|>'\"#%@`?,\n \t\\0.~", "\x07", "é", "\ufeff", "\u2028", "<<", "&a", "*a",
     "!!python/object:x", "!!bool", "!!int", "!!float", ".nan", ".inf", "2024-02-30", "0x_",
     "---", "...", "%YAML 1.1", "%TAG ! tag:x,1:", "id: t\n", "scenes:\n", "  - ", "? "]
)


@_settings
@given(st.lists(_YAML_BITS, max_size=80).map("".join))
def test_yaml_like_text_never_crashes_the_loader(text: str) -> None:
    _load(text.encode("utf-8", "surrogatepass"))


_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats()
    | st.text(max_size=20) | st.dates().map(str)
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.integers() | st.booleans(), inner, max_size=4),
    max_leaves=40,
)


@_settings
@given(_DOCS)
def test_random_yaml_documents_never_crash_the_loader(doc: Any) -> None:
    _load(yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass"))


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``doc``."""
    items: Any = ()
    if isinstance(doc, dict):
        items = doc.items()
    elif isinstance(doc, list):
        items = enumerate(doc)
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _choices(doc: Any) -> list[dict[str, Any]]:
    scenes = doc.get("scenes") if isinstance(doc, dict) else None
    found = []
    for scene in scenes.values() if isinstance(scenes, dict) else []:
        choices = scene.get("choices") if isinstance(scene, dict) else None
        for choice in choices if isinstance(choices, list) else []:  # (a mutation may retype it)
            if isinstance(choice, dict):
                found.append(choice)
    return found


_KEYS = ["id", "title", "goto", "if", "effects", "choices", "scenes", "start", "meters",
         "flags", "lines", "ending", "next", "route", "chocies", "got", "rubric", "weight"]
_CONDITION_WORDS = ["door", "composure", "argued", "and", "or", "not", ">=", "==", "<", "(",
                    ")", "-", "50", "true", "=", "&&", "x.y", "__import__"]


def _delete(data: st.DataObject, doc: Any) -> None:
    paths = list(_paths(doc))
    if paths:
        path = data.draw(st.sampled_from(paths))
        parent = _at(doc, path[:-1])
        del parent[path[-1]]


def _rename(data: st.DataObject, doc: Any) -> None:
    paths = [p for p in _paths(doc) if isinstance(p[-1], str)]
    if paths:
        path = data.draw(st.sampled_from(paths))
        parent = _at(doc, path[:-1])
        new = data.draw(st.sampled_from(_KEYS) | st.text(max_size=10))
        parent[new] = parent.pop(path[-1])


def _retype(data: st.DataObject, doc: Any) -> None:
    paths = list(_paths(doc))
    if paths:
        path = data.draw(st.sampled_from(paths))
        _at(doc, path[:-1])[path[-1]] = data.draw(_DOCS)


def _regoto(data: st.DataObject, doc: Any) -> None:
    choices = _choices(doc)
    if choices:
        scenes = list(doc["scenes"]) + ["nowhere", "Open", ""]
        choice = data.draw(st.sampled_from(choices))
        choice["goto"] = data.draw(st.sampled_from(scenes) | st.text(max_size=8))


def _duplicate_id(data: st.DataObject, doc: Any) -> None:
    choices = _choices(doc)
    if len(choices) >= 2:
        first, second = data.draw(st.lists(st.sampled_from(choices), min_size=2, max_size=2))
        second["id"] = first.get("id")


def _condition(data: st.DataObject, doc: Any) -> None:
    choices = _choices(doc)
    if choices:
        words = st.lists(st.sampled_from(_CONDITION_WORDS), max_size=12).map(" ".join)
        choice = data.draw(st.sampled_from(choices))
        choice["if"] = data.draw(words | st.text(max_size=40))


_MUTATIONS: list[Callable[[st.DataObject, Any], None]] = [
    _delete, _rename, _retype, _regoto, _duplicate_id, _condition,
]


@_settings
@given(st.data())
def test_mutated_stories_never_crash_and_every_error_is_located(data: st.DataObject) -> None:
    doc = copy.deepcopy(TINY_DATA)
    for mutate in data.draw(st.lists(st.sampled_from(_MUTATIONS), min_size=1, max_size=4)):
        mutate(data, doc)
    raw = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode("utf-8", "surrogatepass")
    for diag in _load(raw):
        if diag.location.path == str(_STORY):
            assert diag.location.line >= 1, diag.format()


# --- conditions ----------------------------------------------------------------------

_KINDS: dict[str, expr.Kind] = {"door": "int", "calm": "int", "argued": "bool", "pest": "bool"}
_METERS = {"door": 0, "calm": 1}
_FLAGS = {"argued": 0, "pest": 1}
_TOKENS = st.sampled_from(
    ["door", "calm", "argued", "pest", "nobody", "and", "or", "not", "true", "false", "(",
     ")", "==", "!=", "<", "<=", ">", ">=", "-", "0", "7", "999999999", "1234567890", "=",
     "!", "&", "|", "'", "٣", "x.y", "a-b", "_"]
)


def _check_condition(text: str) -> None:
    try:
        node = expr.parse(text)
        kind = expr.check(node, _KINDS)
    except expr.ExprError as error:
        assert 0 <= error.offset <= len(text), (text, error.offset)
        return
    for door, calm, argued, pest in [(0, 50, True, False), (-3, 100, False, True)]:
        values: dict[str, int | bool] = {"door": door, "calm": calm, "argued": argued,
                                         "pest": pest}
        result = expr.evaluate(node, values)
        assert isinstance(result, bool) == (kind == "bool")
        compiled = expr.compile_node(node, _METERS, _FLAGS)
        assert compiled((door, calm), (argued, pest)) == result


@_settings
@given(st.text(max_size=120))
def test_conditions_from_random_text(text: str) -> None:
    _check_condition(text)


@_settings
@given(st.lists(_TOKENS, max_size=60), st.sampled_from([" ", "", "  ", "\t"]))
def test_conditions_from_random_tokens(tokens: list[str], glue: str) -> None:
    _check_condition(glue.join(tokens))


@_settings
@given(st.integers(min_value=expr.MAX_LENGTH - 5, max_value=expr.MAX_LENGTH * 3))
def test_conditions_around_the_length_limit(length: int) -> None:
    _check_condition(("not argued or " * length)[:length])


# --- saved states and documents -------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=30,
)


def _valid_state() -> dict[str, Any]:
    story = load_story(TINY).compiled
    assert story is not None
    state: dict[str, Any] = json.loads(start(story).to_json())
    return state


_STATE = _valid_state()
_PROFILE = {"format": "callback-profile", "version": 1, "finished": ["tiny"],
            "values": {"argued": {"value": True, "story": "tiny", "choice": "argue"}}}


def _mutated(base: dict[str, Any]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        doc = copy.deepcopy(base)
        for _ in range(draw(st.integers(1, 3))):
            paths = list(_paths(doc))
            if not paths:
                break
            path = draw(st.sampled_from(paths))
            parent = _at(doc, path[:-1])
            if draw(st.booleans()):
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(_JSON)
        return json.dumps(doc)

    return build()


_TEXTS = st.text(max_size=200) | _JSON.map(json.dumps)


@_settings
@given(_TEXTS | _mutated(_STATE))
def test_saved_states_only_raise_state_error(text: str) -> None:
    try:
        state = PlayState.from_json(text)
    except StateError:
        return
    assert PlayState.from_json(state.to_json()) == state


def test_a_huge_number_in_a_saved_state_is_a_state_error() -> None:
    with pytest.raises(StateError):
        PlayState.from_json('{"version": ' + "1" * 5000 + "}")


@_settings
@given(_TEXTS | _mutated(_PROFILE))
def test_documents_only_raise_document_error(text: str) -> None:
    try:
        data = parse(text, "callback-profile", 1)
    except DocumentError:
        return
    assert data["format"] == "callback-profile"


@pytest.mark.parametrize("text", ['{"format": "callback-run", "version": ' + "7" * 5000 + "}",
                                  "[" * 100_000, "\udcff"])
def test_document_edge_cases_are_document_errors(text: str) -> None:
    with pytest.raises(DocumentError):
        parse(text, "callback-run", 1)


@_settings
@given(_TEXTS | _mutated(_PROFILE))
def test_any_profile_file_loads_or_starts_afresh(text: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=_SCRATCH))
    profile_path(folder).write_text(text, encoding="utf-8", errors="surrogatepass")
    loaded = load_profile(folder)
    assert isinstance(loaded.value, Profile)
    runs = results_dir(folder)
    runs.mkdir()
    (runs / "20240101T000000-x-abc.json").write_text(text, encoding="utf-8",
                                                     errors="surrogatepass")
    found, problems = load_runs(runs)
    assert len(found) + len(problems) == 1
