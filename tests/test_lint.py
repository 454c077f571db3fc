"""ruff is part of the test command, so CI fails on lint (including the pure-core rule)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run([ruff, "check", "game", "tests", "bench"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pygame_import_outside_gui_is_a_lint_error(tmp_path: Path) -> None:
    bad = ROOT / "game" / "story" / "_lint_probe.py"
    bad.write_text("import pygame\n", encoding="utf-8")
    try:
        ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
        proc = subprocess.run([ruff, "check", str(bad)], cwd=ROOT, capture_output=True, text=True)
    finally:
        bad.unlink()
    assert proc.returncode == 1 and "TID251" in proc.stdout


def test_the_game_passes_mypy_strict() -> None:
    """Every package, the window included: mypy also checks that the app is the
    :class:`~game.gui.screens.base.Host` its screens are written against."""
    mypy = shutil.which("mypy") or str(Path(sys.executable).parent / "mypy")
    proc = subprocess.run([mypy, "game"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
