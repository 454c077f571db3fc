"""Every diagnostic code has a tiny failing story whose first line says what to expect.

The examples live in the package (``game/story/examples/``), so ``callback validate
--explain CODE`` can show them from an installed wheel; here each one is loaded and
must give its code at its line and column, with its hint.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest

from game.analysis.load import load_story
from game.analysis.reach import DEFAULT_LIMIT
from game.story import checks
from game.story.diagnostics import (
    CATALOGUE,
    EXPECT,
    WITHOUT_EXAMPLE,
    Diagnostic,
    Location,
    Severity,
    example,
    explain,
)
from game.story.loader import LoadResult

EXAMPLES = Path(checks.__file__).resolve().parent / "examples"
FIXTURES = sorted(EXAMPLES.glob("CB*.yaml"))
TESTS = Path(__file__).resolve().parent / "fixtures"
# CB031's example really is past the analysis limit (see the test below), but searching
# 200,000 states takes seconds; the example tests run it against a smaller limit.
LIMITS = {"CB031": 2_000}


def _expectation(path: Path) -> tuple[str, int, int, str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")  # CB002's body is not UTF-8
    assert first.startswith(EXPECT), path.name
    _, _, code, where, *hint = first.split(" ", 4) + [""]
    line, col = (int(part) for part in where.split(":"))
    return code, line, col, " ".join(hint).strip()


def _load(path: Path) -> LoadResult:
    return load_story(path, limit=LIMITS.get(path.stem, DEFAULT_LIMIT))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_reports_its_code_at_the_right_place_with_its_hint(path: Path) -> None:
    code, line, col, hint = _expectation(path)
    assert hint, "every example states the hint it must give"
    result = _load(path)
    found = [(d.code, d.location.line, d.location.col, d.hint) for d in result.diagnostics]
    assert (code, line, col, hint) in found
    assert path.stem == code


def test_every_catalogue_code_has_a_fixture() -> None:
    assert set(CATALOGUE) - WITHOUT_EXAMPLE == {p.stem for p in FIXTURES}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_an_error_fixture_yields_no_story_and_a_warning_fixture_still_loads(
    path: Path,
) -> None:
    result = _load(path)
    code = path.stem
    if CATALOGUE[code].severity is Severity.ERROR:
        assert result.story is None
    else:
        assert result.story is not None, [d.format() for d in result.errors]


def test_the_cb031_example_is_past_the_real_limit() -> None:
    """Each of its three meters goes up by 1 per choice, any number of times, and a
    condition reads all three, so every combination from start to max is a state."""
    story = load_story(EXAMPLES / "CB031.yaml", analyse=False).story
    assert story is not None
    scene = story.scenes["chat"]
    steps = {name for c in scene.choices if c.goto == "chat" for name in c.effects}
    assert steps == set(story.meters)
    assert all(c.effects[n] == 1 for c in scene.choices if c.goto == "chat" for n in c.effects)
    states = math.prod(m.max - m.start + 1 for m in story.meters.values())
    assert states > 5 * DEFAULT_LIMIT


@pytest.mark.parametrize(
    "folder", [EXAMPLES, TESTS / "hostile"], ids=["examples", "hostile"])
def test_every_diagnostic_says_what_to_do(folder: Path) -> None:
    for path in sorted(folder.glob("*.yaml")):
        for diag in _load(path).diagnostics:
            assert diag.hint, diag.format()


def test_explain_prints_the_catalogue_entry_and_its_example() -> None:
    text = explain("cb004")
    assert text is not None
    assert text.startswith("CB004 (error): unknown key")
    assert "typo" in text
    assert "What to do: " in text
    assert "A minimal failing example (CB004.yaml; validate reports CB004 at line 17, " \
        "column 5):" in text
    assert "    id: tiny\n" in text
    assert EXPECT not in text
    assert explain("CB999") is None


def test_the_example_of_an_unreadable_file_shows_its_bad_byte() -> None:
    shown = example("CB002")
    assert shown is not None and "title: Caf\\xe9 call" in shown
    assert not shown.startswith(EXPECT)
    assert example("CB999") is None and example("../CB001") is None


def test_the_docs_catalogue_matches_the_code() -> None:
    """docs/authoring.md Part 5 repeats each entry: explanation, advice, example link."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "authoring.md").read_text(
        encoding="utf-8")
    part5 = docs[docs.index("## Part 5: the diagnostic catalogue"):]
    for code, info in CATALOGUE.items():
        entry = part5[part5.index(f"### {code}: "):].split("\n### ", 1)[0]
        assert info.explanation in entry, code
        assert f"What to do: {info.hint}." in entry, code
        linked = f"](../game/story/examples/{code}.yaml)" in entry
        assert linked is (code not in WITHOUT_EXAMPLE), code


# --- YAML syntax errors, in a teacher's words -------------------------------------------

TOP = "id: tiny\ntitle: Tiny\n"
YAML_MISTAKES: dict[str, tuple[str, int, int, str, str]] = {
    # name: (text, line, col, message fragment, hint)
    "tab-indent": (
        TOP + "cast:\n\tyou: {name: Alex}\n", 4, 1,
        "a tab is used to indent this line", "use spaces, not tabs, to indent"),
    "colon-in-text": (
        TOP + "summary: I think: you're wrong\n", 3, 17,
        "a ':' followed by a space inside unquoted text",
        "put the text in quotes: \"I think: you're wrong\""),
    "colon-in-a-line": (
        TOP + "scenes:\n  a:\n    lines:\n      - maya: Sorry: we chose someone else.\n",
        6, 20, "a ':' followed by a space inside unquoted text",
        "put the text in quotes: \"Sorry: we chose someone else.\""),
    "colon-in-flow": (
        TOP + "cast: {you: {name: Alex, role: Job: seeker}}\n", 3, 35,
        "a ':' inside unquoted text in '{...}'",
        "put the text in quotes, and separate items with ','"),
    # PyYAML notices a missing colon on the next line; the diagnostic points at the key.
    "missing-colon": (
        TOP + "start news\nscenes: {}\n", 3, 1, "missing ':' after 'start'",
        "write 'start: news'"),
    "missing-colon-before-a-sibling": (
        TOP + "scenes:\n  a:\n    next b\n    title: A\n", 5, 5, "missing ':' after 'next'",
        "write 'next: b'"),
    "missing-space-after-colon": (
        TOP + "start:news\nscenes: {}\n", 3, 1, "the ':' after 'start' needs a space after it",
        "write 'start: news'"),
    "indented-too-little": (
        TOP + "cast:\n  you: {name: Alex}\n maya: {name: Maya}\n", 5, 2,
        "'maya' is not lined up with the lines above it",
        "start it in the same column as 'you:' on line 4"),
    "indented-too-far": (
        TOP + "cast:\n  you: {name: Alex}\n    maya: {name: Maya}\n", 5, 5,
        "'maya' is indented more than the line above",
        "start it in the same column as 'you:' on line 4"),
    "unclosed-double-quote": (
        TOP + "summary: \"A hard call\nstart: news\n", 3, 10,
        "the quote \" here is never closed", "end the text with \""),
    "apostrophe-in-single-quotes": (
        TOP + "summary: 'It's a hard call'\n", 3, 13,
        "this quote ends the text, but more text follows it",
        "write an apostrophe inside '...' as two ('It''s'), or use double quotes"),
    "unclosed-bracket": (
        TOP + "tags: [argue, thank\nstart: news\n", 3, 7, "the '[' here is never closed",
        "end the list with ']'"),
    "unclosed-brace-at-the-end": (
        TOP + "cast: {you: {name: Alex}\n", 3, 7, "the '{' here is never closed",
        "end the mapping with '}'"),
    "text-starting-with-a-bracket": (
        TOP + "summary: [Draft] A hard call\n", 3, 10,
        "text that starts with '[' is read as a list", "put the text in quotes"),
    "text-starting-with-at": (
        TOP + "summary: @home\n", 3, 10, "text cannot start with '@'", "put the text in quotes"),
}


@pytest.mark.parametrize("name", sorted(YAML_MISTAKES))
def test_yaml_mistakes_are_explained_where_they_are(name: str, write_story) -> None:
    text, line, col, fragment, hint = YAML_MISTAKES[name]
    (diag,) = load_story(write_story(text)).diagnostics
    assert (diag.code, diag.location.line, diag.location.col, diag.hint) == (
        "CB001", line, col, hint), diag.format()
    assert fragment in diag.message
    assert "YAML syntax error" not in diag.message  # PyYAML's words are translated


def test_the_pure_python_parser_gets_the_same_words(write_story, monkeypatch) -> None:
    """PyYAML without libyaml words its errors differently; the translation must not care."""
    import yaml

    from game.story import reader

    monkeypatch.setattr(reader, "_Loader", yaml.SafeLoader)
    for name, (text, line, col, fragment, hint) in sorted(YAML_MISTAKES.items()):
        (diag,) = load_story(write_story(text)).diagnostics
        assert (diag.location.line, diag.location.col, diag.hint) == (line, col, hint), name
        assert fragment in diag.message, name


def test_an_unrecognised_yaml_error_keeps_pyyaml_words_and_gets_a_hint(write_story) -> None:
    (diag,) = load_story(write_story(TOP + "cast: {a: 1,\nb: - 2}\n")).diagnostics
    assert diag.code == "CB001" and diag.message.startswith("YAML syntax error: ")
    assert diag.hint == CATALOGUE["CB001"].hint


# --- Severities belong to their codes --------------------------------------------------

STORIES = Path(__file__).resolve().parent.parent / "stories"
EVERY_FILE = [*FIXTURES, *sorted((TESTS / "hostile").glob("*.yaml")),
              *sorted(TESTS.glob("*.yaml")), *sorted(STORIES.glob("*.yaml"))]


def test_every_diagnostic_emitted_has_its_codes_severity_and_advice() -> None:
    seen = set()
    for path in EVERY_FILE:
        for diag in _load(path).diagnostics:
            info = CATALOGUE[diag.code]
            assert diag.severity is info.severity, diag.format()
            assert diag.hint, diag.format()
            seen.add(diag.code)
    assert seen >= set(CATALOGUE) - WITHOUT_EXAMPLE  # every code was met at least once


def test_a_diagnostic_takes_its_severity_from_its_code_and_nothing_else() -> None:
    where = Location("story.yaml", 3, 1)
    assert Diagnostic("CB026", "choice 'x' has no feedback", where).severity is Severity.WARNING
    assert Diagnostic("CB010", "goes nowhere", where).severity is Severity.ERROR
    with pytest.raises(TypeError):
        Diagnostic("CB026", "m", where, "", Severity.ERROR)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="not a code in the catalogue"):
        Diagnostic("CB999", "m", where)


def _cli(*argv: str) -> int:
    from game.cli import main

    return main(list(argv), out=io.StringIO(), err=io.StringIO(), inp=io.StringIO())


def test_a_story_with_only_warnings_loads_validates_and_plays(tiny_path, write_story) -> None:
    text = tiny_path.read_text(encoding="utf-8")
    text = text.replace("        feedback: Thanking them keeps the door open.\n", "")  # CB026
    text = text.replace(", epilogue: Nobody calls.", "")  # CB027
    text = text.replace("You're making a mistake.", "Thanks for letting me know.")  # CB028
    text += "  orphan:\n    ending: {title: Orphan, outcome: shut, epilogue: Never seen.}\n"
    path = write_story(text)
    result = load_story(path)
    assert {d.code for d in result.diagnostics} == {"CB023", "CB026", "CB027", "CB028"}
    assert result.story is not None and not result.errors
    assert _cli("validate", str(path)) == 0
    assert _cli("validate", "--strict", str(path)) == 1
    assert _cli("play", str(path), "--choices", "1") == 0
