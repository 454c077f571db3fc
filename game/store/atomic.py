"""Crash-safe JSON documents: atomic replace, a format version, a previous good copy.

Every document is written to a temporary file in the same folder, flushed and
fsynced, then renamed over the old one (an atomic step on POSIX and Windows), so a
crash at any moment leaves either the old or the new document, never half of one.
The previous version is kept as ``NAME.bak``; a damaged or unreadable document
falls back to it, then to defaults, with a message saying what happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class DocumentError(ValueError):
    """A document that cannot be used: not JSON, wrong kind, newer version, invalid."""


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, text: str, *, keep_backup: bool = True) -> None:
    """Write ``text`` to ``path`` atomically, keeping the previous version as .bak."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.exists():
            backup = path.with_name(path.name + ".bak")
            with contextlib.suppress(OSError):
                os.replace(path, backup)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


STALE_SECONDS = 600


def _sweep_stale(path: Path) -> None:
    """Remove temporary files that a killed write left behind (older than ten minutes)."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def dump(kind: str, version: int, body: dict[str, Any]) -> str:
    """Return a versioned document as JSON text."""
    return json.dumps({"format": kind, "version": version, **body}, indent=2, sort_keys=True)


def parse(text: str, kind: str, version: int) -> dict[str, Any]:
    """Parse a versioned document; raise :class:`DocumentError` if it is unusable."""
    try:
        data = json.loads(text)
    # ValueError, not just JSONDecodeError: a number of over 4,300 digits raises a plain
    # ValueError (Python's int limit), which escaped load_runs() and crashed the caller.
    except (ValueError, RecursionError) as error:
        raise DocumentError(f"not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != kind:
        raise DocumentError(f"not a {kind} document")
    found = data.get("version")
    if not isinstance(found, int) or isinstance(found, bool):
        raise DocumentError("has no version number")
    if found > version:
        raise DocumentError(f"was written by a newer Callback (version {found}, not {version})")
    return data


@dataclass(frozen=True)
class Loaded:
    """A document as loaded, with a note when it had to be recovered."""

    value: Any
    note: str = ""
    recovered: bool = False


def load(path: Path, kind: str, version: int, build: Callable[[dict[str, Any]], T],
         default: Callable[[], T]) -> Loaded:
    """Load ``path`` (or its .bak, or defaults), never raising for a bad file.

    ``build`` turns the parsed document into a value and may raise ValueError.
    """
    problems: list[str] = []
    for candidate in (path, path.with_name(path.name + ".bak")):
        try:
            text = candidate.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{candidate}: cannot be read ({error})")
            continue
        try:
            value = build(parse(text, kind, version))
        except (DocumentError, ValueError, TypeError, KeyError) as error:
            problems.append(f"{candidate}: {error}")
            continue
        if problems:
            _set_aside(path)
            return Loaded(value, "; ".join(problems) + f"; using {candidate.name}", True)
        return Loaded(value)
    if problems:
        _set_aside(path)
        return Loaded(default(), "; ".join(problems) + "; starting afresh", True)
    return Loaded(default())


def _set_aside(path: Path) -> None:
    """Keep an unusable document as NAME.unreadable so no later save destroys it."""
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".unreadable"))
