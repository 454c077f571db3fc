"""The class store: every finished run in one SQL database (SQLite by default).

Usage::

    with open_store(results_target()) as store:
        store.add(read_run(record))            # one transaction per run
        runs = store.runs(Filter(class_code="11B"))
        erased = store.delete(Filter(class_code="11B"))

The default database is ``results.db`` in the player's data folder; ``--results
PATH`` or ``CALLBACK_RESULTS`` put it elsewhere (a shared folder, a USB stick),
and a database URL works the same way through SQLAlchemy Core. What differs per
database lives in :mod:`game.classroom.dialects`.

Opening never harms a file: one that is not a database, is damaged, or was
written by a newer Callback is refused with a :class:`ResultsError` naming it,
before anything is written. A write waits for another game's write (a busy
timeout, then retries), so a run is never lost to a lock.

Migrations are a short ordered list of the store's own, not Alembic. Alembic
runs migration scripts from a folder through an ``env.py`` and an ini file: for
a database a game creates on a student's machine that means shipping and
finding that folder inside the wheel, and a second tool for two tables. Here
migration *n* is a function that takes the schema from version *n-1* to *n*; all
that are due run in the one transaction that records the new version, so two
games opening an old file at once migrate it once.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from game.classroom.dialects import (
    TargetError,
    erase_leftovers,
    insert_new,
    is_locked,
    is_url,
    make_engine,
    use_wal,
)
from game.classroom.records import Run
from game.engine.record import now_iso
from game.store.profile import data_dir

SCHEMA_VERSION = 1
"""The schema this Callback writes; a database with a higher one is refused."""

RETRY_SECONDS = 120.0
"""How long a write keeps retrying while other games hold the lock."""

metadata = MetaData()

meta = Table(
    "callback_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

runs_table = Table(
    "runs", metadata,
    Column("id", String(36), primary_key=True),
    Column("story_id", String(200), nullable=False, index=True),
    Column("story_title", Text, nullable=False),
    Column("story_version", String(100), nullable=False),
    Column("story_sha256", String(64), nullable=False),
    Column("mode", String(20), nullable=False),
    Column("player_name", Text),
    Column("class_code", String(100), index=True),
    Column("started", String(32), nullable=False),
    Column("finished", String(32), nullable=False, index=True),
    Column("score", Integer, nullable=False),
    Column("best_possible", Integer),
    Column("outcome", String(20), nullable=False),
    Column("ending", String(200), nullable=False),
    Column("meters", JSON, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("imports", JSON, nullable=False),
    Column("stored", String(32), nullable=False),
    Column("record", Text, nullable=False),
)

# ``record`` is each run as exported (docs/run-record.md); the other columns and the
# decisions table hold the same facts for queries: filters, and the class report's
# counts of who took which choice.
decisions_table = Table(
    "decisions", metadata,
    Column("run_id", String(36), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("scene", String(200), nullable=False),
    Column("choice", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("feedback", Text, nullable=False),
    Column("offered", JSON, nullable=False),
    Column("deltas", JSON, nullable=False),
    Column("flags", JSON, nullable=False),
    Column("best_reachable", Integer),
)


def _create_v1(connection: Connection) -> None:
    for table in (runs_table, decisions_table):
        table.create(connection, checkfirst=True)


MIGRATIONS: list[Callable[[Connection], None]] = [_create_v1]
"""``MIGRATIONS[n - 1]`` takes the schema to version ``n``."""
assert len(MIGRATIONS) == SCHEMA_VERSION


class ResultsError(Exception):
    """The results database cannot be used; the message names it and says why."""


@dataclass(frozen=True)
class Filter:
    """Which runs: every field left None matches all.

    ``since`` and ``until`` bound the finishing time, as UTC ISO text:
    ``since <= finished < until``.
    """

    story: str | None = None
    class_code: str | None = None
    since: str | None = None
    until: str | None = None

    def matches(self, run: Run) -> bool:
        """Whether ``run`` is one this filter selects (for runs read from export files)."""
        return ((self.story is None or run.story.id == self.story)
                and (self.class_code is None or run.player.class_code == self.class_code)
                and (self.since is None or run.finished >= self.since)
                and (self.until is None or run.finished < self.until))

    def where(self) -> list[Any]:
        """The SQL conditions for this filter."""
        t = runs_table.c
        conditions: list[Any] = []
        if self.story is not None:
            conditions.append(t.story_id == self.story)
        if self.class_code is not None:
            conditions.append(t.class_code == self.class_code)
        if self.since is not None:
            conditions.append(t.finished >= self.since)
        if self.until is not None:
            conditions.append(t.finished < self.until)
        return conditions


def results_target(option: str | None = None, home: Path | None = None, *,
                   environment: bool = True) -> str:
    """Where results are kept: ``option``, else ``CALLBACK_RESULTS`` (unless
    ``environment`` is false), else ``results.db`` in the data folder (``home``,
    default: the player's)."""
    chosen = (option or (os.environ.get("CALLBACK_RESULTS") if environment else None)
              or str((home or data_dir()) / "results.db"))
    return chosen if is_url(chosen) else str(Path(chosen).expanduser().absolute())


def open_store(target: str) -> Store:
    """Open (creating or migrating) the results database at ``target``.

    Raises:
        ResultsError: the file is not a Callback results database, is damaged, was
            written by a newer Callback, or cannot be created.
    """
    store = Store(target)
    try:
        store.prepare()
    except BaseException:
        store.close()
        raise
    return store


class Store:
    """An open results database. Use :func:`open_store`; close it (or use ``with``)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.label = target if is_url(target) else str(Path(target))
        try:
            self._engine = make_engine(target)
        except TargetError as error:
            raise ResultsError(f"{self.label}: {error}") from None
        except OSError as error:
            raise ResultsError(f"{self.label}: cannot create its folder: "
                               f"{error.strerror or error}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the database."""
        self._engine.dispose()

    # ------------------------------------------------------------------ opening
    def prepare(self) -> None:
        """Check the schema version, then create or migrate (never touching a bad file)."""
        with self._guard("read"):
            with self._engine.connect() as connection:
                version = self._version(connection)
            if version > SCHEMA_VERSION:
                raise ResultsError(
                    f"{self.label}: was written by a newer Callback (results schema {version}; "
                    f"this one reads up to {SCHEMA_VERSION}): update Callback to open it")
            use_wal(self._engine)
            if version < SCHEMA_VERSION:
                self._write(self._migrate)

    def _version(self, connection: Connection) -> int:
        names = set(inspect(connection).get_table_names())
        if meta.name not in names:
            if names:
                raise ResultsError(f"{self.label}: is a database, but not a Callback results "
                                   f"database (it has tables {', '.join(sorted(names))})")
            return 0
        row = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
        value = row.scalar_one_or_none()
        try:
            return int(value) if value is not None else 0
        except ValueError:
            raise ResultsError(f"{self.label}: is damaged (schema version {value!r})") from None

    def _migrate(self, connection: Connection) -> None:
        meta.create(connection, checkfirst=True)
        version = self._version(connection)  # another game may have migrated meanwhile
        if version > SCHEMA_VERSION:
            raise ResultsError(f"{self.label}: was written by a newer Callback")
        for step in MIGRATIONS[version:]:
            step(connection)
        connection.execute(delete(meta).where(meta.c.key == "schema_version"))
        connection.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))

    # ------------------------------------------------------------------ writing
    def add(self, run: Run) -> bool:
        """Store one run in its own transaction; False if its id was stored already."""
        return self.add_all([run]) == 1

    def add_all(self, runs: Iterable[Run]) -> int:
        """Store runs in one transaction (all or none); return how many were new."""
        batch = list(runs)
        added = 0

        def write(connection: Connection) -> None:
            nonlocal added
            added = 0
            stored = now_iso()
            for run in batch:
                result = connection.execute(insert_new(self._engine, runs_table),
                                            [_run_row(run, stored)])
                if result.rowcount != 1:
                    continue
                added += 1
                rows = _decision_rows(run)
                if rows:
                    connection.execute(decisions_table.insert(), rows)

        self._write(write)
        return added

    def delete(self, which: Filter) -> int:
        """Erase the runs ``which`` selects, with their decisions; return how many."""
        erased = 0

        def write(connection: Connection) -> None:
            nonlocal erased
            ids = select(runs_table.c.id).where(*which.where())
            connection.execute(delete(decisions_table).where(decisions_table.c.run_id.in_(ids)))
            erased = connection.execute(delete(runs_table).where(*which.where())).rowcount

        self._write(write)
        with self._guard("erased"):
            erase_leftovers(self._engine)
        return erased

    def get_meta(self, key: str) -> str | None:
        """A value the store keeps about itself (None if unset)."""
        with self._guard("read"), self._engine.connect() as connection:
            row = connection.execute(select(meta.c.value).where(meta.c.key == key))
            value: str | None = row.scalar_one_or_none()
            return value

    def set_meta(self, key: str, value: str) -> None:
        """Keep a value about the store itself."""
        def write(connection: Connection) -> None:
            connection.execute(delete(meta).where(meta.c.key == key))
            connection.execute(meta.insert().values(key=key, value=value))

        self._write(write)

    def _write(self, work: Callable[[Connection], None]) -> None:
        """Run ``work`` in one write transaction, retrying while another game holds the lock."""
        deadline = time.monotonic() + RETRY_SECONDS
        pause = 0.05
        while True:
            try:
                with self._guard("written"), self._engine.connect() as plain:
                    connection = plain.execution_options(writing=True)
                    with connection.begin():
                        work(connection)
                return
            except _Locked:
                if time.monotonic() > deadline:
                    raise ResultsError(f"{self.label}: stayed locked by another program for "
                                       f"{RETRY_SECONDS:.0f} s") from None
                time.sleep(pause)
                pause = min(pause * 2, 1.0)

    # ------------------------------------------------------------------ reading
    def count(self, which: Filter = Filter()) -> int:
        """How many runs ``which`` selects."""
        with self._guard("read"), self._engine.connect() as connection:
            query = select(func.count()).select_from(runs_table).where(*which.where())
            return int(connection.execute(query).scalar_one())

    def runs(self, which: Filter = Filter()) -> list[Run]:
        """The runs ``which`` selects, by finishing time, each with its decisions."""
        with self._guard("read"), self._engine.connect() as connection:
            texts = connection.execute(
                select(runs_table.c.record).where(*which.where())
                .order_by(runs_table.c.finished, runs_table.c.id)).scalars().all()
        try:
            return [Run.model_validate_json(text) for text in texts]
        except ValidationError as error:
            raise ResultsError(f"{self.label}: is damaged (a stored run does not read back: "
                               f"{error.errors()[0]['msg']})") from None

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn database errors into a :class:`ResultsError` naming the file (or _Locked)."""
        try:
            yield
        except ResultsError:
            raise
        except DBAPIError as error:
            if is_locked(error):
                raise _Locked from None
            reason = str(error.orig).strip() or type(error.orig).__name__
            if "not a database" in reason or "malformed" in reason:
                reason = f"is damaged and cannot be {doing} ({reason})"
            raise ResultsError(f"{self.label}: {reason}") from None
        except SQLAlchemyError as error:
            raise ResultsError(f"{self.label}: {error}") from None


class _Locked(Exception):
    """Another program holds the write lock past the busy timeout: try again."""


def _run_row(run: Run, stored: str) -> dict[str, Any]:
    return {
        "id": run.id, "story_id": run.story.id, "story_title": run.story.title,
        "story_version": run.story.version, "story_sha256": run.story.sha256,
        "mode": run.mode, "player_name": run.player.name, "class_code": run.player.class_code,
        "started": run.started, "finished": run.finished, "score": run.score,
        "best_possible": run.best_possible, "outcome": run.outcome, "ending": run.ending,
        "meters": run.meters, "flags": run.flags, "imports": run.imports, "stored": stored,
        "record": run.model_dump_json(by_alias=True),
    }


def _decision_rows(run: Run) -> list[dict[str, Any]]:
    return [
        {"run_id": run.id, "position": index, "scene": step.scene, "choice": step.chosen,
         "text": step.text, "feedback": step.feedback,
         "offered": [o.model_dump() for o in step.offered], "deltas": step.deltas,
         "flags": step.flags, "best_reachable": step.best_reachable}
        for index, step in enumerate(run.steps)
    ]


