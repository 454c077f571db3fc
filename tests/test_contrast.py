"""Every palette meets WCAG 2.x AA contrast for the pairs the screens draw (theme.CONTRAST_PAIRS).

The declaration is checked against the drawing code too: a palette colour drawn as text
anywhere in game/gui must appear as a foreground in CONTRAST_PAIRS.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import fields
from pathlib import Path

import pytest

from game.gui.theme import (
    CONTRAST_PAIRS,
    HIGH_CONTRAST,
    MIN_RATIO,
    PROJECTOR,
    Palette,
    contrast_ratio,
    relative_luminance,
)
from game.gui.widgets import AVATAR_COLOURS

PALETTES = {"default": Palette(), "HIGH_CONTRAST": HIGH_CONTRAST, "PROJECTOR": PROJECTOR}
FIELDS = frozenset(f.name for f in fields(Palette))
GUI = Path(__file__).resolve().parents[1] / "game" / "gui"

# Where each drawing call takes its text colour: (positional index, keyword).
TEXT_COLOUR_ARG = {
    "draw_text": (3, "colour"),
    "draw_lines": (3, "colour"),
    "draw_chip": (3, "ink"),
    "render": (2, "color"),  # pygame.font.Font.render(text, antialias, color)
}
SURELY_TEXT = {"text", "muted", "faint", "accent", "on_accent", "locked_text", "badge_text"}


# ---------------------------------------------------------------------- the formula
def test_contrast_ratio_matches_known_wcag_values() -> None:
    assert contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)  # either order
    assert contrast_ratio((88, 166, 255), (88, 166, 255)) == pytest.approx(1.0)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((255, 0, 0), (255, 255, 255)) == pytest.approx(4.0, abs=0.01)


def test_relative_luminance_linearises_srgb() -> None:
    assert relative_luminance((0, 0, 0)) == 0.0
    assert relative_luminance((255, 255, 255)) == pytest.approx(1.0)
    assert relative_luminance((10, 10, 10)) == pytest.approx(10 / 255 / 12.92)  # linear toe
    assert relative_luminance((128, 128, 128)) == pytest.approx(0.2159, abs=1e-4)
    assert relative_luminance((0, 255, 0)) == pytest.approx(0.7152)


def test_the_bars_are_wcag_aa() -> None:
    assert dict(MIN_RATIO) == {"text": 4.5, "large": 3.0, "ui": 3.0}


# ---------------------------------------------------------------------- the palettes
def test_every_declared_pair_names_palette_fields_once() -> None:
    unknown = [p for p in CONTRAST_PAIRS if p.fg not in FIELDS or p.bg not in FIELDS]
    assert not unknown, f"pairs naming no Palette field: {unknown}"
    assert all(p.kind in MIN_RATIO for p in CONTRAST_PAIRS)
    twice = [k for k, n in Counter((p.fg, p.bg) for p in CONTRAST_PAIRS).items() if n > 1]
    assert not twice, f"pairs declared more than once: {twice}"


@pytest.mark.parametrize("name", list(PALETTES))
def test_every_pair_meets_wcag_aa(name: str) -> None:
    palette = PALETTES[name]
    failures = []
    for pair in CONTRAST_PAIRS:
        fg, bg = getattr(palette, pair.fg), getattr(palette, pair.bg)
        ratio = contrast_ratio(fg, bg)
        if ratio < MIN_RATIO[pair.kind]:
            failures.append(
                f"{name}: {pair.fg} {fg} on {pair.bg} {bg} ({pair.kind}, {pair.where}) is "
                f"{ratio:.2f}:1, needs {MIN_RATIO[pair.kind]}:1"
            )
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------- the declaration
def _palette_fields(node: ast.AST) -> set[str]:
    """Palette fields read in ``node``: ``pal.x``, ``palette.x`` or ``theme.palette.x``."""
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in FIELDS:
            owner = sub.value
            if (isinstance(owner, ast.Name) and owner.id in ("pal", "palette")) or (
                isinstance(owner, ast.Attribute) and owner.attr == "palette"
            ):
                found.add(sub.attr)
    return found


def _assigned(function: ast.AST) -> dict[str, set[str]]:
    """For each local name, the palette fields the expressions assigned to it read."""
    names: dict[str, set[str]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            targets = [n for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            for target in targets:
                names.setdefault(target.id, set()).update(_palette_fields(node.value))
                names[target.id].update(
                    f"@{n.id}" for n in ast.walk(node.value) if isinstance(n, ast.Name)
                )
    return names


def _resolve(expr: ast.AST, names: dict[str, set[str]]) -> set[str]:
    """Palette fields an expression's value can come from, following local names."""
    found, seen = _palette_fields(expr), set()
    todo = [n.id for n in ast.walk(expr) if isinstance(n, ast.Name)]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for item in names.get(name, ()):
            if item.startswith("@"):
                todo.append(item[1:])
            else:
                found.add(item)
    return found


def _text_colours(function: ast.AST) -> list[tuple[str, int]]:
    """(field, line) for every palette colour drawn as text in ``function``."""
    names = _assigned(function)
    found = []
    for node in ast.walk(function):
        expr: ast.expr | None = None
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in TEXT_COLOUR_ARG:
                index, keyword = TEXT_COLOUR_ARG[called]
                if len(node.args) > index:
                    expr = node.args[index]
                expr = next((k.value for k in node.keywords if k.arg == keyword), expr)
        elif isinstance(node, ast.Tuple) and len(node.elts) == 3:  # a (font, text, ink) part
            first = node.elts[0]
            if isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "font":
                expr = node.elts[2]
        if expr is not None:
            found += [(field, expr.lineno) for field in _resolve(expr, names)]
    return found


def drawn_as_text() -> dict[str, list[str]]:
    """Each palette field drawn as text in game/gui, with where (file:line)."""
    where: dict[str, list[str]] = {}
    for path in sorted(GUI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for field, line in _text_colours(node):
                    spot = f"{path.relative_to(GUI.parents[1])}:{line}"
                    if spot not in where.setdefault(field, []):
                        where[field].append(spot)
    return where


def test_every_colour_drawn_as_text_is_declared_as_a_foreground() -> None:
    where = drawn_as_text()
    assert set(where) >= SURELY_TEXT, f"the scan missed {SURELY_TEXT - set(where)}"
    declared = {pair.fg for pair in CONTRAST_PAIRS}
    missing = {field: spots[:3] for field, spots in where.items() if field not in declared}
    assert not missing, (
        f"palette colours drawn as text but with no line in theme.CONTRAST_PAIRS: {missing}"
    )


def test_every_text_foreground_is_declared_as_text() -> None:
    where = drawn_as_text()
    as_text = {pair.fg for pair in CONTRAST_PAIRS if pair.kind != "ui"}
    only_ui = sorted(set(where) - as_text)
    assert not only_ui, f"drawn as text but declared only as 'ui' (3:1): {only_ui}"


def test_white_initials_are_readable_on_every_portrait_colour() -> None:
    weak = {colour: round(contrast_ratio((255, 255, 255), colour), 2)
            for colour in AVATAR_COLOURS
            if contrast_ratio((255, 255, 255), colour) < MIN_RATIO["text"]}
    assert not weak, f"white initials below 4.5:1 on {weak}"
