"""``callback validate``: which files a path names, and checking each one.

Folders are searched for ``*.yaml`` and ``*.yml`` (hidden folders and files
skipped); a ``*.rubric.yaml`` file is checked as a rubric, anything else as a story.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from pathlib import Path

from game.analysis.load import load_story
from game.story.diagnostics import Diagnostic, Location
from game.story.loader import LoadResult, load_rubric

STORY_SUFFIXES = (".yaml", ".yml")
RUBRIC_SUFFIXES = (".rubric.yaml", ".rubric.yml")


def is_rubric(path: Path) -> bool:
    """Return whether a file is a rubric (by its name), not a story."""
    return path.name.endswith(RUBRIC_SUFFIXES)


def folder_files(folder: Path) -> list[Path]:
    """Return the story and rubric files anywhere under ``folder``, sorted.

    Hidden folders and files (``.git``, ``.venv``, ``.draft.yaml``) are skipped.
    """
    found: list[Path] = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(Path(root) / name for name in names
                     if name.endswith(STORY_SUFFIXES) and not name.startswith("."))
    return sorted(found)


def check_file(path: Path, workers: int = 1) -> LoadResult:
    """Validate one file: a rubric as a rubric, anything else as a story."""
    return load_rubric(path) if is_rubric(path) else load_story(path, workers=workers)


def no_files(raw: str) -> Diagnostic:
    """The error for a folder that holds no story files."""
    return Diagnostic("CB002", "no story files (*.yaml, *.yml) found", Location(raw))


def check_paths(paths: Sequence[str], workers: int = 1) -> list[LoadResult | Diagnostic]:
    """Validate every file named or found under a folder, in order.

    A folder holding no story files is an error of its own (a Diagnostic), not a file.
    """
    named = [(raw, folder_files(Path(raw)) if Path(raw).is_dir() else [Path(raw)])
             for raw in paths]
    left = sum(len(files) for _, files in named)
    checked: list[LoadResult | Diagnostic] = []
    for raw, files in named:
        if not files:
            checked.append(no_files(raw))
        for path in files:
            result = check_file(path, workers)
            left -= 1
            if result.story is not None and left:
                _release()
            checked.append(result)
    return checked


def _release() -> None:
    """Let a checked story's state graph and score tables go before the next file.

    Only its diagnostics are reported; the checks' graph and tables refer to each
    other, so they are collected now if the batch command has paused the collector.
    """
    if not gc.isenabled():
        gc.collect()


def json_entry(item: LoadResult | Diagnostic, strict: bool) -> dict[str, object]:
    """One file's entry in ``callback validate --format json``."""
    if isinstance(item, Diagnostic):
        return {"path": item.location.path, "valid": False, "diagnostics": [item.to_json()]}
    return {
        "path": item.path,
        "valid": not item.errors and not (strict and item.warnings),
        "diagnostics": [d.to_json() for d in item.diagnostics],
    }
