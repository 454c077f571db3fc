"""The pure core never imports pygame (the lint rule TID251 checks it statically too)."""

from __future__ import annotations

import subprocess
import sys

PURE_PACKAGES = ["game.story", "game.engine", "game.analysis", "game.authoring",
                 "game.store", "game.classroom", "game.terminal"]


def test_pure_packages_import_without_pygame() -> None:
    """Every module of every pure package, and the command line, in a fresh interpreter."""
    code = (
        "import importlib, pkgutil, sys\n"
        f"for package in {PURE_PACKAGES!r}:\n"
        "    module = importlib.import_module(package)\n"
        "    for info in pkgutil.walk_packages(module.__path__, package + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "import game.cli\n"
        "assert 'pygame' not in sys.modules, sorted(m for m in sys.modules if 'pygame' in m)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
