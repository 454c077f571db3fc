"""``callback validate``: which files a path names, and checking each one.

Folders are searched for ``*.yaml`` and ``*.yml`` (hidden folders and files
skipped); a ``*.rubric.yaml`` file is checked as a rubric, anything else as a story.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from game.analysis.cache import validated
from game.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from game.paths import is_rubric
from game.story.diagnostics import CATALOGUE, Diagnostic, Location, explain
from game.story.result import LoadResult

STORY_SUFFIXES = (".yaml", ".yml")


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
    """Validate one file: a rubric as a rubric, anything else as a story.

    A story's answer comes from the check cache (:mod:`game.analysis.cache`) when
    neither it nor its rubric has changed since it was last checked.
    """
    if is_rubric(path):
        from game.story.loader import load_rubric

        return load_rubric(path)
    return validated(path, workers=workers)


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
    note = schema_note(Path(item.path))
    return {
        "path": item.path,
        "valid": not item.errors and not (strict and item.warnings),
        "diagnostics": [d.to_json() for d in item.diagnostics],
        "notes": [note] if note else [],
    }


_MODELINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")


def schema_note(path: Path) -> str | None:
    """Say how to get the schema a file's first line points editors at, if it is missing.

    ``# yaml-language-server: $schema=story.schema.json`` gives key completion and typo
    marks in editors, but only where that file is: a story copied into a folder of its
    own leaves it behind. None when there is nothing to say.
    """
    try:
        if not path.is_file():  # (opening a FIFO would wait for a writer for ever)
            return None
        with path.open(encoding="utf-8", errors="replace") as file:
            first = file.readline(400)
    except OSError:
        return None
    match = _MODELINE.match(first)
    if match is None or "://" in match.group(1):
        return None
    wanted = path.parent / match.group(1)
    if wanted.exists():
        return None
    kind = " --rubric" if is_rubric(path) else ""
    return (f"{path}:1:1: note: editors complete keys from {match.group(1)}, which is not "
            f"beside it: callback schema{kind} -o {wanted}")


def validate_command(paths: Sequence[str], *, strict: bool, fmt: str, explain_code: str | None,
                     workers: int, out: TextIO, err: TextIO) -> int:
    """``callback validate``: report every file's diagnostics; return the exit code."""
    if explain_code:
        text = explain(explain_code)
        if text is None:
            err.write(f"callback: unknown code {explain_code!r}; codes: {', '.join(CATALOGUE)}\n")
            return EXIT_USAGE
        out.write(text)
        return EXIT_OK
    if not paths:
        err.write("callback validate: give one or more story files or folders\n")
        return EXIT_USAGE
    checked = check_paths(paths, workers)
    results = [item for item in checked if isinstance(item, LoadResult)]
    failed = len(results) < len(checked) or any(
        r.errors or (strict and r.warnings) for r in results)
    if fmt == "json":
        out.write(json.dumps([json_entry(i, strict) for i in checked], indent=2) + "\n")
        return EXIT_INVALID if failed else EXIT_OK
    for item in checked:
        if isinstance(item, Diagnostic):
            err.write(f"{item.location}: {item.message}\n")
            continue
        for diagnostic in item.diagnostics:
            out.write(diagnostic.format() + "\n")
        note = schema_note(Path(item.path))
        if note:
            out.write(note + "\n")
    if results:
        errors = sum(len(r.errors) for r in results)
        warnings = sum(len(r.warnings) for r in results)
        verdict = "invalid" if failed else "ok"
        err.write(f"{len(results)} file(s): {errors} error(s), {warnings} warning(s): {verdict}\n")
    return EXIT_INVALID if failed else EXIT_OK
