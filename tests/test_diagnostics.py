"""Every diagnostic code has a tiny failing story whose first line says what to expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.story.diagnostics import CATALOGUE, Severity, explain
from game.story.loader import load_story

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "diagnostics").glob("CB*.yaml"))
# Codes whose failing example needs more than one file can hold: tested in test_loader.py.
TESTED_ELSEWHERE = {"CB002", "CB031"}


def _expectation(path: Path) -> tuple[str, int, int, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    _, _, code, where, *hint = first.split(" ", 4) + [""]
    line, col = (int(part) for part in where.split(":"))
    return code, line, col, " ".join(hint).strip()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_reports_its_code_at_the_right_place_with_its_hint(path: Path) -> None:
    code, line, col, hint = _expectation(path)
    result = load_story(path)
    found = [(d.code, d.location.line, d.location.col, d.hint) for d in result.diagnostics]
    assert (code, line, col, hint) in found
    assert path.stem == code


def test_every_catalogue_code_has_a_fixture() -> None:
    covered = {p.stem for p in FIXTURES} | TESTED_ELSEWHERE
    assert set(CATALOGUE) == covered


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_an_error_fixture_yields_no_story_and_a_warning_fixture_still_loads(path: Path) -> None:
    result = load_story(path)
    code = path.stem
    if CATALOGUE[code].severity is Severity.ERROR:
        assert result.story is None
    else:
        assert result.story is not None, [d.format() for d in result.errors]


def test_explain_prints_the_catalogue_entry() -> None:
    text = explain("cb004")
    assert text is not None
    assert text.startswith("CB004 (error): unknown key")
    assert "typo" in text
    assert explain("CB999") is None
