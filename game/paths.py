"""Where the bundled ``assets/`` and ``stories/`` folders are.

In a source checkout (or an editable install) they sit beside the ``game``
package; an installed wheel carries them inside it as ``game/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def assets_dir() -> Path:
    """Return the folder holding fonts and other bundled assets."""
    return _data_dir("assets")


def stories_dir() -> Path:
    """Return the folder holding the bundled stories."""
    return _data_dir("stories")


def bundled_stories() -> list[Path]:
    """Return the bundled story files, sorted by file name."""
    return sorted(stories_dir().glob("*.yaml"))
