"""Exports of stored runs (CSV, JSON, xAPI) and reading them back for a merge.

* **CSV** opens cleanly in a spreadsheet: UTF-8 (with a byte-order mark when
  written to a file, which is how Excel knows), one row per run, ISO 8601 times
  in UTC, one column per meter and one per decision (``scene: choice``), a workshop's
  hands per answer in a ``votes N`` column per decision (when any run has them), and any
  text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return prefixed with ``'``, so a player's name can never run as a formula.
* **JSON** is a list of run records (docs/run-record.md), one per line.
* **xAPI** is a list of statements (:mod:`game.classroom.xapi`), one per line.

:func:`read_export` reads either JSON form back (or a single record from
``callback play --json``) and names the line of anything malformed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from game.classroom.records import RecordError, Run, read_run
from game.classroom.xapi import run_statements, runs_from_statements

FORMATS = ("csv", "json", "xapi")
RISKY = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula."""

FIXED = ["run_id", "story_id", "story_title", "story_version", "story_sha256", "mode",
         "class_code", "name", "started", "finished", "score", "door", "ending",
         "best_possible", "decisions"]


def safe_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(RISKY):
        return "'" + value
    return value


def write_csv(runs: list[Run], out: TextIO) -> None:
    """Write one row per run."""
    meters: dict[str, None] = {}
    longest = 0
    for run in runs:
        meters.update(dict.fromkeys(run.meters))
        longest = max(longest, len(run.steps))
    voted = any(step.votes is not None for run in runs for step in run.steps)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIXED + [f"meter: {m}" for m in meters]
                    + [f"decision {i + 1}" for i in range(longest)]
                    + [f"votes {i + 1}" for i in range(longest if voted else 0)])
    for run in runs:
        row: list[object] = [
            run.id, run.story.id, run.story.title, run.story.version, run.story.sha256,
            run.mode, run.player.class_code or "", run.player.name or "", run.started,
            run.finished, run.score, run.outcome, run.ending,
            "" if run.best_possible is None else run.best_possible, len(run.steps)]
        row += [run.meters.get(m, "") for m in meters]
        row += [f"{s.scene}: {s.chosen}" for s in run.steps]
        row += [""] * (longest - len(run.steps))
        if voted:  # a workshop's hands per answer: "thank: 12; argue: 3"
            row += ["; ".join(f"{c}: {n}" for c, n in (s.votes or {}).items())
                    for s in run.steps]
            row += [""] * (longest - len(run.steps))
        writer.writerow([safe_cell(cell) for cell in row])


def json_lines(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON list written one item per line (so an error can name its line)."""
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False,
                                                       separators=(",", ":"))
        first = False
    yield "\n]\n" if not first else "]\n"


def export_text(runs: list[Run], fmt: str) -> Iterator[str]:
    """The export of ``runs`` in ``fmt`` (one of :data:`FORMATS`), in pieces."""
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(runs, buffer)
        yield buffer.getvalue()
    elif fmt == "json":
        yield from json_lines(run.record() for run in runs)
    else:
        yield from json_lines(s for run in runs for s in run_statements(run))


# ---------------------------------------------------------------------- reading back
class ExportError(ValueError):
    """An export that cannot be merged; the message starts with ``FILE:LINE``."""


def read_export(path: Path) -> list[Run]:
    """Read a JSON or xAPI export (or one run record); every run, checked.

    Raises:
        ExportError: the file cannot be read, is not JSON, or holds something that
            is not a run; the message names the file and the line.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(f"{path}: is not UTF-8 text ({error.reason} at byte "
                          f"{error.start})") from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror or error})") from None
    if text.startswith(("run_id,", "'run_id,")):
        raise ExportError(f"{path}: is a CSV export, which is for spreadsheets: export the runs "
                          "again with --format json (or xapi) to merge or report them")
    try:
        items = list(_items(text))
    except json.JSONDecodeError as error:
        raise ExportError(f"{path}:{error.lineno}:{error.colno}: not valid JSON "
                          f"({error.msg})") from None
    except (ValueError, RecursionError) as error:
        raise ExportError(f"{path}: not valid JSON ({error})") from None
    runs: list[Run] = []
    statements: list[tuple[int, Any]] = []
    for line, item in items:
        if isinstance(item, dict) and "verb" in item:
            statements.append((line, item))
            continue
        try:
            runs.append(read_run(item))
        except RecordError as error:
            raise ExportError(f"{path}:{line}: not a run record: {error}") from None
    if statements:
        try:
            runs += runs_from_statements(statements)
        except RecordError as error:
            message = str(error)
            if message.startswith("line "):
                where, _, rest = message[5:].partition(": ")
                raise ExportError(f"{path}:{where}: {rest}") from None
            raise ExportError(f"{path}: {message}") from None
    return runs


def _items(text: str) -> Iterator[tuple[int, Any]]:
    """Each item of a JSON list (or the one object) with the line it starts on."""
    decoder = json.JSONDecoder()
    index = _skip(text, 0)
    if index < len(text) and text[index] != "[":
        item, end = decoder.raw_decode(text, index)
        _end(text, end)
        yield text.count("\n", 0, index) + 1, item
        return
    if index >= len(text):
        raise json.JSONDecodeError("the file is empty", text, index)
    index = _skip(text, index + 1)
    if index < len(text) and text[index] == "]":
        _end(text, index + 1)
        return
    while True:
        item, end = decoder.raw_decode(text, index)
        yield text.count("\n", 0, index) + 1, item
        index = _skip(text, end)
        if index < len(text) and text[index] == ",":
            index = _skip(text, index + 1)
            continue
        if index < len(text) and text[index] == "]":
            _end(text, index + 1)
            return
        raise json.JSONDecodeError("expected ',' or ']'", text, index)


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _end(text: str, index: int) -> None:
    index = _skip(text, index)
    if index < len(text):
        raise json.JSONDecodeError("extra data after the end", text, index)
