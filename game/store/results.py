"""Run records as loose JSON files, written atomically: a crash never loses a finished run.

Two folders in the player's data folder hold them. ``results/`` is where runs were
kept before the class store (:mod:`game.classroom.store`) existed; its files are
imported into the store once and left in place. ``pending/`` holds a run that
could not be stored (a read-only folder, a full disk, a damaged database) until
the next start stores it.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from game.engine.record import RECORD_FORMAT, RECORD_VERSION
from game.store.atomic import DocumentError, atomic_write, parse
from game.store.profile import data_dir


def results_dir(home: Path | None = None) -> Path:
    """Where run records were kept as files before the class store."""
    return (home or data_dir()) / "results"


def pending_dir(home: Path | None = None) -> Path:
    """Where runs that could not be stored wait for the next start."""
    return (home or data_dir()) / "pending"


def save_run(record: dict[str, Any], folder: Path) -> Path:
    """Write one run record into ``folder`` under a unique name; return its path."""
    stamp = re.sub(r"[^0-9T]", "", str(record.get("finished", "")))
    story = re.sub(r"[^a-z0-9-]", "", str(record.get("story", {}).get("id", "story")))
    path = folder / f"{stamp}-{story}-{secrets.token_hex(3)}.json"
    atomic_write(path, json.dumps(record, indent=2), keep_backup=False)
    return path


def load_runs(folder: Path) -> tuple[list[tuple[Path, dict[str, Any]]], list[str]]:
    """Every readable run record in ``folder`` (oldest first) with its file, and a
    note per unreadable file."""
    runs, problems = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            runs.append((path, parse(path.read_text(encoding="utf-8"), RECORD_FORMAT,
                                     RECORD_VERSION)))
        except (OSError, UnicodeDecodeError, DocumentError) as error:
            problems.append(f"{path}: {error}")
    return runs, problems
