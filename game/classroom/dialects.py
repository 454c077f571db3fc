"""Everything the class store does differently per database, in one place.

The store (:mod:`game.classroom.store`) speaks SQLAlchemy Core and nothing else;
what only SQLite needs lives here: checking that a file is a database before
anything opens it, the pragmas (WAL, a busy timeout, foreign keys), and taking
the write lock at the start of a write so that waiting for another game happens
in the busy handler instead of failing half-way, and erasing for good (deleted
rows zeroed, the write-ahead log emptied). A PostgreSQL URL gets none of
that (its server does the waiting) and shares every other line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Insert, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool

BUSY_SECONDS = 15.0
"""How long one statement waits for another game's write before it is retried."""

SQLITE_MAGIC = b"SQLite format 3\x00"


class TargetError(ValueError):
    """A results location that cannot be opened as it is (not a database, a bad URL)."""


def is_url(target: str) -> bool:
    """True for a database URL (``postgresql://...``), false for a file path."""
    return "://" in target


def check_file(path: Path) -> None:
    """Refuse a file that exists but is not an SQLite database, without writing to it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise TargetError("is a folder, not a results database") from None
    if head and head != SQLITE_MAGIC:
        raise TargetError("is not a Callback results database (not an SQLite file)")


def make_engine(target: str) -> Engine:
    """Return an engine for a file path or a database URL (nothing is connected yet)."""
    if not is_url(target):
        path = Path(target)
        check_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(f"sqlite:///{path}")
    try:
        url = make_url(target)
    except ArgumentError as error:
        raise TargetError(f"is not a database URL: {error}") from None
    if url.get_backend_name() == "sqlite":
        if url.database:
            check_file(Path(url.database))
        return _sqlite_engine(url.render_as_string(hide_password=False))
    try:
        return create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError:
        raise TargetError(f"needs a database driver for {url.drivername!r} that is "
                          "not installed") from None


def _sqlite_engine(url: str) -> Engine:
    # NullPool: every store call gets a fresh connection that closes with it, so no
    # file handle outlives the store (a class machine may copy or erase the file).
    engine = create_engine(url, poolclass=NullPool,
                           connect_args={"timeout": BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # Leave BEGIN to the "begin" hook below (pysqlite's own is too late, see the
        # SQLAlchemy docs on "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")  # an erased run leaves no trace
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.get_execution_options().get("writing", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def use_wal(engine: Engine) -> None:
    """Switch an SQLite file to write-ahead logging: readers never wait for a writer."""
    _sqlite_pragma(engine, "journal_mode = WAL")


def erase_leftovers(engine: Engine) -> None:
    """Make an erase final: copy the log into the file and empty the log, whose old
    pages would otherwise still hold what was erased until the next checkpoint."""
    _sqlite_pragma(engine, "wal_checkpoint(TRUNCATE)")


def _sqlite_pragma(engine: Engine, pragma: str) -> None:
    """Run one PRAGMA on an SQLite engine (nothing on another database), outside any
    transaction, as these pragmas require."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
    finally:
        raw.close()


def insert_new(engine: Engine, table: Table) -> Insert:
    """An INSERT that skips a row whose primary key is already stored."""
    keys = [c.name for c in table.primary_key.columns]
    if engine.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)


def is_locked(error: BaseException) -> bool:
    """True if a database error only means another writer held the lock too long."""
    text = str(getattr(error, "orig", error)).lower()
    return "database is locked" in text or "database is busy" in text
