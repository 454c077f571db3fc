"""Where the bundled ``assets/`` and ``stories/`` folders are.

In a source checkout (or an editable install) they sit beside the ``game``
package; an installed wheel carries them inside it as ``game/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
RUBRIC_SUFFIXES = (".rubric.yaml", ".rubric.yml")


def is_rubric(path: Path) -> bool:
    """Return whether a file is a rubric (by its name), not a story."""
    return path.name.endswith(RUBRIC_SUFFIXES)


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


def built_in_rubric(name: str) -> Path | None:
    """Return the rubric of this file name that comes with Callback, or None.

    Only a plain file name counts (``default.rubric.yaml``): a story copied into a
    folder of its own still finds the rubric it names, without a copy beside it.
    """
    if Path(name).name != name or not name.endswith((".rubric.yaml", ".rubric.yml")):
        return None
    try:
        path = stories_dir() / name
    except FileNotFoundError:
        return None
    return path if path.is_file() else None


def built_in_rubrics() -> list[str]:
    """Return the file names of the rubrics that come with Callback."""
    try:
        return sorted(p.name for p in stories_dir().glob("*.rubric.yaml"))
    except FileNotFoundError:
        return []
