"""Files the player asks for: a call's history as plain text (see the history screen).

They go in ``histories/`` in the player's folder, one file per export, named by the
story and the time (``rejection-call-20261206-140512.txt``), so an export never
overwrites an earlier one; the file is written atomically like every document.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from game.store.atomic import atomic_write
from game.store.profile import data_dir


def _safe(name: str) -> str:
    """A story id as a file name's stem: letters, digits, dashes and underscores only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "story"


def export_history(text: str, story_id: str, folder: Path | None = None) -> Path:
    """Write ``text`` as a new file under ``folder/histories``; return its path."""
    target = (folder or data_dir()) / "histories"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = target / f"{_safe(story_id)}-{stamp}.txt"
    number = 2
    while path.exists():  # two exports in one second: keep both
        path = target / f"{_safe(story_id)}-{stamp}-{number}.txt"
        number += 1
    atomic_write(path, text, keep_backup=False)
    return path.resolve()
