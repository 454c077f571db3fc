"""Crash reports: an unexpected error becomes a file for the developers, not a traceback.

Used by the command line and the window's top-level handlers. Reports go to the
platform's log folder (``CALLBACK_HOME/logs`` when that is set).
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from game import __version__


def log_dir() -> Path:
    """Where crash reports are written."""
    override = os.environ.get("CALLBACK_HOME")
    if override:
        return Path(override) / "logs"
    from platformdirs import user_log_dir

    return Path(user_log_dir("callback", appauthor=False))


def write_report(error: BaseException, context: str = "") -> Path | None:
    """Write a crash report for ``error``; return its path (None if even that failed)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    lines = [
        f"Callback {__version__} crash report, {stamp}",
        f"Python {sys.version.split()[0]} on {platform.platform()}",
        f"Context: {context or 'n/a'}",
        "",
        *traceback.format_exception(type(error), error, error.__traceback__),
    ]
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
    except OSError:
        return None
    return path
