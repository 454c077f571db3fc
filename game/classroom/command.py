"""``callback results``: list, export, merge and erase the stored runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from game.classroom.arguments import ResultsOptions
from game.classroom.exports import ExportError, export_text, read_export
from game.classroom.keep import open_results
from game.classroom.records import Run
from game.classroom.store import Filter, ResultsError, Store, results_target
from game.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from game.store.atomic import atomic_write


class UsageError(ValueError):
    """A bad option value; the message says what would be right."""


def results_command(options: ResultsOptions, *, out: TextIO, err: TextIO, inp: TextIO) -> int:
    """Run one ``callback results`` action; return the exit code."""
    if options.action is None:
        err.write("callback results: say what to do: list, export, merge or delete "
                  "(see callback results --help)\n")
        return EXIT_USAGE
    try:
        which = _filter(options)
    except UsageError as error:
        err.write(f"callback results: {error}\n")
        return EXIT_USAGE
    target = results_target(options.results)
    try:
        with open_results(target) as opened:
            for note in opened.notes:
                err.write(f"callback: {note}\n")
            store = opened.store
            if options.action == "list":
                return _list(store, which, options.as_json, out)
            if options.action == "export":
                return _export(store, which, options, out, err)
            if options.action == "merge":
                return _merge(store, options.files, out, err)
            return _delete(store, which, options, out, err, inp)
    except ResultsError as error:
        err.write(f"callback: {error}\n")
        return EXIT_INVALID


def _filter(options: ResultsOptions) -> Filter:
    if options.action == "delete":
        if bool(options.class_code) == bool(options.before):
            raise UsageError("give --class CODE or --before DATE (one of them)")
        return Filter(class_code=options.class_code,
                      until=moment(options.before, "--before") if options.before else None)
    since = moment(options.since, "--since") if options.since else None
    until = moment(options.until, "--until", end=True) if options.until else None
    return Filter(story=options.story, class_code=options.class_code, since=since, until=until)


def moment(text: str, option: str, *, end: bool = False) -> str:
    """A date (YYYY-MM-DD) or time (ISO 8601) as UTC text; ``end``: just after that day."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date (give YYYY-MM-DD, or a time "
                         "such as 2026-12-06T14:30)") from None
    day_only = len(text.strip()) <= 10
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if end:
        when += timedelta(days=1) if day_only else timedelta(seconds=1)
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------- list
def _list(store: Store, which: Filter, as_json: bool, out: TextIO) -> int:
    runs = store.runs(which)
    if as_json:
        out.write(json.dumps([r.record() for r in runs], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not runs:
        everything = store.count()
        out.write(f"No runs stored in {store.label}.\n" if not everything else
                  f"No runs match (of {everything} stored in {store.label}).\n")
        return EXIT_OK
    rows: list[tuple[str, ...]] = [
        ("Finished (UTC)", "Story", "Class", "Player", "Score", "Door", "Ending")]
    rows += [_row(r) for r in runs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [c.rjust(w) if i == 4 else c.ljust(w) for i, (c, w) in
                 enumerate(zip(row, widths, strict=True))]
        out.write("  ".join(cells).rstrip() + "\n")
    out.write(f"{len(runs)} run{'s' * (len(runs) != 1)} in {store.label}\n")
    return EXIT_OK


def _row(run: Run) -> tuple[str, ...]:
    return (run.finished.replace("T", " ").rstrip("Z")[:16], run.story.id,
            run.player.class_code or "-", run.player.name or "(anonymous)", str(run.score),
            run.outcome, run.ending)


# ---------------------------------------------------------------------- export
def _export(store: Store, which: Filter, options: ResultsOptions, out: TextIO,
            err: TextIO) -> int:
    runs = store.runs(which)
    pieces = export_text(runs, options.fmt)
    if options.output is None:
        for piece in pieces:
            out.write(piece)
        return EXIT_OK
    path = Path(options.output)
    text = "".join(pieces)
    if options.fmt == "csv":
        text = "\ufeff" + text  # the byte-order mark that tells a spreadsheet it is UTF-8
    try:
        atomic_write(path, text, keep_backup=False)
    except OSError as error:
        err.write(f"callback: cannot write {path}: {error.strerror or error}\n")
        return EXIT_INVALID
    err.write(f"Exported {len(runs)} run{'s' * (len(runs) != 1)} to {path}\n")
    return EXIT_OK


# ---------------------------------------------------------------------- merge
def _merge(store: Store, files: tuple[str, ...], out: TextIO, err: TextIO) -> int:
    failed = False
    added_all = skipped_all = 0
    for name in files:
        try:
            runs = read_export(Path(name))
        except ExportError as error:
            err.write(f"{error}\nNothing from {name} was merged.\n")
            failed = True
            continue
        added = store.add_all(runs)
        skipped = len(runs) - added
        added_all += added
        skipped_all += skipped
        out.write(f"{name}: {added} added, {skipped} already stored\n")
    if len(files) > 1:
        out.write(f"In all: {added_all} added, {skipped_all} already stored, "
                  f"into {store.label}\n")
    return EXIT_INVALID if failed else EXIT_OK


# ---------------------------------------------------------------------- delete
def _delete(store: Store, which: Filter, options: ResultsOptions, out: TextIO,
            err: TextIO, inp: TextIO) -> int:
    count = store.count(which)
    what = (f"of class {options.class_code}" if options.class_code
            else f"finished before {options.before}")
    runs = f"{count} run{'s' * (count != 1)}"
    if count == 0:
        out.write(f"No runs {what} in {store.label}: nothing to erase.\n")
        return EXIT_OK
    if not options.yes:
        err.write(f"This will erase {runs} {what} from {store.label}. "
                  "They cannot be brought back. Erase them? [y/N] ")
        err.flush()
        answer = inp.readline().strip().lower()
        if answer not in ("y", "yes"):
            out.write("Nothing erased.\n")
            return EXIT_OK
    erased = store.delete(which)
    out.write(f"Erased {erased} run{'s' * (erased != 1)} {what} from {store.label}.\n")
    return EXIT_OK
