"""What a player notices at launch: ``callback`` shows its title, and pays only for that.

``python -m game`` runs in a fresh interpreter, headless, with the measuring hook of
:func:`game.gui.app.run_window` (``CALLBACK_FIRST_FRAME``): it writes the wall clock
once the first frame is on screen and closes cleanly. How fast that is, is measured
in ``bench/bench_gui.py``, never here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALLBACK_HOME": str(home),
           "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", **extra}
    for name in ("CALLBACK_FIRST_FRAME", "CALLBACK_FIRST_FRAME_STAY", "CALLBACK_RESULTS"):
        if name not in extra:
            env.pop(name, None)
    return env


def test_the_window_writes_its_first_frames_time_and_quits_cleanly(tmp_path: Path) -> None:
    marker = tmp_path / "first-frame"
    before = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "game"], cwd=ROOT, capture_output=True, text=True,
        env=_env(tmp_path / "home", CALLBACK_FIRST_FRAME=str(marker)), timeout=120, check=False,
    )
    after = time.time()
    assert done.returncode == 0, done.stderr
    assert "no display" not in done.stderr  # the measured window may be headless
    lines = marker.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert before <= float(lines[0]) <= after  # the wall clock, while the game ran


def test_without_the_hook_a_headless_window_is_still_no_display(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "game"], cwd=ROOT, capture_output=True, text=True,
        env=_env(tmp_path / "home"), timeout=120, check=False,
    )
    assert done.returncode == 1
    assert "no display available" in done.stderr


@pytest.mark.parametrize("module", ["game.gui.preview"])
def test_opening_the_window_does_not_import_the_live_preview(module: str, tmp_path: Path) -> None:
    code = (
        "import sys, game.gui.app\n"
        f"print({module!r} in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env=_env(tmp_path), timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
