"""Finished runs, one file each, written atomically: a crash never loses a finished run."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from game.engine.record import RECORD_FORMAT, RECORD_VERSION
from game.store.atomic import DocumentError, atomic_write, parse
from game.store.profile import data_dir


def results_dir(folder: Path | None = None) -> Path:
    """Where run records are kept."""
    return (folder or data_dir()) / "results"


def save_run(record: dict[str, Any], folder: Path | None = None) -> Path:
    """Store one run record under a unique name; return its path."""
    stamp = re.sub(r"[^0-9T]", "", str(record.get("finished", "")))
    story = re.sub(r"[^a-z0-9-]", "", str(record.get("story", {}).get("id", "story")))
    path = results_dir(folder) / f"{stamp}-{story}-{secrets.token_hex(3)}.json"
    atomic_write(path, json.dumps(record, indent=2), keep_backup=False)
    return path


def load_runs(folder: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Return every readable run record, oldest first, and a note per unreadable file."""
    runs, problems = [], []
    for path in sorted(results_dir(folder).glob("*.json")):
        try:
            runs.append(parse(path.read_text(encoding="utf-8"), RECORD_FORMAT, RECORD_VERSION))
        except (OSError, UnicodeDecodeError, DocumentError) as error:
            problems.append(f"{path.name}: {error}")
    return runs, problems
