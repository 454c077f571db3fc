"""Keeping finished runs: what the window and the text player call after each run.

:func:`keep_run` stores a run in the class store; if that fails (a read-only
folder, a full disk, a damaged database) the run is written to the player's
``pending/`` folder instead and the player is told so in one line. The next
:func:`open_results` stores every pending run meant for that database, and, once
for the player's own database, imports the JSON run files earlier versions of
Callback wrote into ``results/`` (by run id, so nothing is added twice; the files
stay where they are). A class database named with ``--results`` never takes them:
they are this machine's runs, not the class's.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.classroom.records import RecordError, read_run
from game.classroom.store import ResultsError, Store, open_store, results_target
from game.store.results import load_runs, pending_dir, results_dir, save_run

IMPORTED_KEY = "imported-json-runs"
PENDING_KEY = "pending_for"
"""The key a pending run file names its database under (records ignore unknown keys)."""


@dataclass
class Opened:
    """An open store, and what opening it did that the player should hear about."""

    store: Store
    notes: list[str] = field(default_factory=list)

    def __enter__(self) -> Opened:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def open_results(target: str, home: Path | None = None) -> Opened:
    """Open the store at ``target``, storing the pending runs meant for it; the player's
    own database (``results.db`` in the data folder) also takes the old JSON run files.

    Raises:
        ResultsError: the database cannot be used (the message names it).
    """
    store = open_store(target)
    notes: list[str] = []
    try:
        notes += _store_pending(store, home)
        if target == results_target(None, home, environment=False):
            notes += _import_old_files(store, home)
    except ResultsError:
        store.close()
        raise
    return Opened(store, notes)


def keep_run(record: dict[str, Any], target: str, home: Path | None = None) -> str:
    """Store one finished run; return '' or the one line the player should see.

    A run that cannot be stored is kept in the pending folder.
    """
    try:
        run = read_run(record)
        with open_results(target, home) as opened:
            opened.store.add(run)
            return "; ".join(opened.notes)
    except RecordError as error:  # a bug, not the player's doing: keep it for a report
        reason = f"the run record is malformed ({error})"
    except ResultsError as error:
        reason = str(error)
    try:
        path = save_run({**record, PENDING_KEY: target}, pending_dir(home))
    except OSError as error:
        return (f"Your run could not be stored ({reason}), nor kept for later "
                f"({error.strerror or error}).")
    return f"Your run could not be stored ({reason}); it is kept in {path} and will be " \
           "stored the next time Callback starts."


def _store_pending(store: Store, home: Path | None) -> list[str]:
    folder = pending_dir(home)
    if not folder.is_dir():
        return []
    found, problems = load_runs(folder)
    stored = 0
    for path, record in found:
        if record.get(PENDING_KEY) != store.target:
            continue
        try:
            store.add(read_run(record))
        except RecordError as error:
            problems.append(f"{path}: {error}")
            continue
        stored += 1
        with contextlib.suppress(OSError):
            path.unlink()
    notes = [f"Stored {stored} run{'s' * (stored != 1)} that could not be stored earlier."] \
        if stored else []
    return notes + [f"A pending run cannot be stored: {p}" for p in problems]


def _import_old_files(store: Store, home: Path | None) -> list[str]:
    folder = results_dir(home)
    key = f"{IMPORTED_KEY}:{folder}"
    if not folder.is_dir() or store.get_meta(key) is not None:
        return []
    found, problems = load_runs(folder)
    runs = []
    for path, record in found:
        try:
            runs.append(read_run(record))
        except RecordError as error:
            problems.append(f"{path}: {error}")
    store.add_all(runs)
    store.set_meta(key, str(len(runs)))
    return [f"An old run file was not imported (it stays where it is): {p}" for p in problems]
