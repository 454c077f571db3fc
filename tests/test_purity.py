"""The pure core never imports pygame (the lint rule TID251 checks it statically too)."""

from __future__ import annotations

import subprocess
import sys

PURE = [
    "game.story.model", "game.story.loader", "game.story.checks", "game.story.expr",
    "game.story.schema", "game.engine.engine", "game.engine.scoring", "game.engine.record",
    "game.analysis.reach", "game.terminal.player", "game.cli", "game.authoring",
    "game.classroom",
]


def test_pure_packages_import_without_pygame() -> None:
    code = (
        "import sys\n"
        f"for name in {PURE!r}: __import__(name)\n"
        "assert 'pygame' not in sys.modules, sorted(m for m in sys.modules if 'pygame' in m)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
