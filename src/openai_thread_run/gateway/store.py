"""Where the gateway keeps its objects: one interface, two real databases (SQLite and PostgreSQL).

:func:`open_store` reads a database URL (``sqlite:///otr-gateway.db``, ``postgresql://user@host/db``) and returns
a :class:`Store`: :class:`SqliteStore` (WAL, for one machine) or :class:`PostgresStore` (for several gateway
processes sharing one database). Both run the same SQL (SQLAlchemy Core over the stdlib ``sqlite3`` driver and
psycopg 3); they differ in how a transaction takes its locks:

- SQLite: a transaction that writes starts with ``BEGIN IMMEDIATE`` and so holds the database's one write lock
  from its first statement to its commit; transactions that write never interleave.
- PostgreSQL: a transaction locks the rows it is about to change (``SELECT ... FOR UPDATE``), and a worker claims
  queued runs with ``FOR UPDATE SKIP LOCKED``, so two workers never claim the same run and never wait on each
  other's claims.

Every call of :meth:`Store.transaction` is one transaction, committed when the block ends and rolled back when it
raises. The store is used from worker threads (the HTTP handlers and the run worker call it through a thread
pool); each transaction has a connection of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    Table,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .tables import SCHEMA_VERSION, metadata, runs, schema_version

#: Connections each process may hold: enough for the HTTP thread pool (40 threads) and the run worker.
POOL_SIZE = 20
POOL_OVERFLOW = 30
#: How long a transaction waits for SQLite's write lock before it fails (ms).
SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "otr_write"


class DatabaseError(RuntimeError):
    """The database cannot be used: a URL the gateway does not support, or tables of a newer release."""


class Tx:
    """One open transaction: the SQL the gateway runs, as small operations on its tables."""

    def __init__(self, connection: Connection) -> None:
        """Wrap ``connection``, which has a transaction open (see :meth:`Store.transaction`)."""
        self.connection = connection

    def insert(self, table: Table, **values: Any) -> None:
        """Insert one row."""
        self.connection.execute(insert(table).values(**values))

    def one(self, table: Table, *where: ColumnElement[bool], lock: bool = False) -> RowMapping | None:
        """Return the row matching ``where`` (or None); ``lock`` locks it until the transaction ends (PostgreSQL)."""
        query = select(table).where(*where)
        if lock:
            query = query.with_for_update()
        return self.connection.execute(query).mappings().first()

    def rows(self, table: Table, *where: ColumnElement[bool]) -> Sequence[RowMapping]:
        """Return the rows matching ``where``, oldest first."""
        return self.connection.execute(select(table).where(*where).order_by(table.c.seq)).mappings().all()

    def update(self, table: Table, *where: ColumnElement[bool], **values: Any) -> int:
        """Update the rows matching ``where``; return how many."""
        return self.connection.execute(update(table).where(*where).values(**values)).rowcount

    def delete(self, table: Table, *where: ColumnElement[bool]) -> int:
        """Delete the rows matching ``where``; return how many."""
        return self.connection.execute(delete(table).where(*where)).rowcount

    def claim_runs(
        self, *, limit: int, token: str, now: float, lease_s: float, run_id: str | None = None
    ) -> Sequence[RowMapping]:
        """Claim up to ``limit`` runs, oldest first: queued ones, and those whose worker's lease has expired.

        Each becomes ``in_progress`` (``started_at`` set the first time) under the lease ``token`` until
        ``now + lease_s``; returns their rows. On PostgreSQL the candidates are locked with ``SKIP LOCKED``:
        runs another transaction is claiming (or finishing) are left to it. ``run_id``: only that run, if queued.
        """
        waiting = or_(runs.c.status == "queued", and_(runs.c.status == "in_progress", runs.c.lease_expires_at < now))
        due = (
            select(runs.c.seq)
            .where(waiting if run_id is None else and_(runs.c.id == run_id, runs.c.status == "queued"))
            .order_by(runs.c.seq)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(runs)
            .where(runs.c.seq.in_(due.scalar_subquery()))
            .values(
                status="in_progress",
                started_at=func.coalesce(runs.c.started_at, int(now)),  # the first start is kept
                lease_token=token,
                lease_expires_at=now + lease_s,
                claims=runs.c.claims + 1,
            )
            .returning(*runs.c)
        )
        return sorted(self.connection.execute(claim).mappings().all(), key=lambda row: row["seq"])


class Store:
    """The database of one gateway process (a pool of connections); see the module docstring."""

    #: ``sqlite`` or ``postgresql``.
    kind = ""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` (made by :func:`open_store`)."""
        self.engine = engine

    @property
    def url(self) -> str:
        """The database URL, without its password (for logs)."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self, *, write: bool = False) -> Generator[Tx]:
        """Run the block in one transaction (``write``: one that changes rows; SQLite then takes its write lock)."""
        with self._writing(write), self.engine.connect() as connection:
            if write:
                connection = connection.execution_options(**{_WRITE_OPTION: True})
            with connection.begin():
                yield Tx(connection)

    def _writing(self, write: bool) -> AbstractContextManager[object]:
        """Return what a transaction holds in this process besides the database's locks: nothing by default."""
        return nullcontext()

    def prepare(self) -> int:
        """Create the tables on first start and check their version; return it.

        Several processes may start at once on one database: the check runs under a lock (:meth:`_lock_schema`).
        A database of a newer release (a higher version) is refused with :class:`DatabaseError`.
        """
        with self.transaction(write=True) as tx:
            self._lock_schema(tx.connection)
            metadata.create_all(tx.connection)
            found = tx.connection.execute(select(schema_version.c.version)).scalar()
            if found is None:
                tx.insert(schema_version, version=SCHEMA_VERSION, applied_at=time.time())
                return SCHEMA_VERSION
            if found > SCHEMA_VERSION:
                raise DatabaseError(
                    f"the database {self.url} holds gateway tables of schema version {found}, newer than this"
                    f" gateway's {SCHEMA_VERSION}: run the release that created them, or a newer one"
                )
            return int(found)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def _lock_schema(self, connection: Connection) -> None:
        """Make concurrent :meth:`prepare` calls wait for each other."""
        raise NotImplementedError


class SqliteStore(Store):
    """A SQLite database file in WAL mode: readers never wait, writers take turns (``BEGIN IMMEDIATE``)."""

    kind = "sqlite"

    def __init__(self, url: URL) -> None:
        """Open (and create) the database file ``url`` names."""
        database = url.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise DatabaseError(
                f"the gateway needs a SQLite database file (sqlite:///path/to/file.db), not {url.render_as_string()}"
            )
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        self._write_lock = threading.Lock()
        super().__init__(engine)

    def _writing(self, write: bool) -> AbstractContextManager[object]:
        """Make this process's writing transactions take turns on a lock of their own.

        SQLite lets one transaction write at a time; one that waits for the write lock sleeps in growing steps
        (the busy handler), so under load some wait far longer than the writes take. Queued on a lock in the
        process instead, each starts as soon as the one before it has committed. (Other processes on the same file,
        which the gateway does not expect, still take turns through SQLite's own lock.)
        """
        return self._write_lock if write else nullcontext()

    def _lock_schema(self, connection: Connection) -> None:
        """Take nothing: a write transaction already holds SQLite's one write lock."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Set each new connection up: transactions begun by :func:`_sqlite_begin`, WAL, and a busy timeout."""
    dbapi_connection.isolation_level = None  # the driver begins no transaction of its own
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk when it returns
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Begin a transaction: ``BEGIN IMMEDIATE`` (the write lock at once) for one that writes."""
    connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(_WRITE_OPTION) else "BEGIN")


class PostgresStore(Store):
    """A PostgreSQL database that several gateway processes may share (psycopg 3)."""

    kind = "postgresql"

    def __init__(self, url: URL) -> None:
        """Connect to ``url`` (its driver is set to psycopg)."""
        engine = create_engine(
            url.set(drivername="postgresql+psycopg"),
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_pre_ping=True,
        )
        super().__init__(engine)

    def _lock_schema(self, connection: Connection) -> None:
        """Take a transaction-scoped advisory lock that only :meth:`Store.prepare` uses."""
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('openai-thread-run-gateway schema'))"))


def open_store(database_url: str) -> Store:
    """Return the store of ``database_url``: ``sqlite:///FILE`` or ``postgresql://...`` (``postgres://`` too)."""
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise DatabaseError(f"not a database URL: {error}") from None
    backend = url.get_backend_name()
    if backend == "sqlite" and url.drivername in ("sqlite", "sqlite+pysqlite"):
        return SqliteStore(url)
    if backend in ("postgresql", "postgres") and url.drivername in (
        "postgresql",
        "postgres",
        "postgresql+psycopg",
    ):
        return PostgresStore(url.set(drivername="postgresql"))
    raise DatabaseError(
        f"unsupported database URL scheme {url.drivername!r}: use sqlite:///FILE or postgresql://USER@HOST/DATABASE"
    )
