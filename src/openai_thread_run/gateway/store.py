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
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Executable,
    Float,
    Integer,
    RowMapping,
    String,
    Table,
    and_,
    bindparam,
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
from sqlalchemy.exc import ArgumentError, DBAPIError

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
    """One open transaction: the SQL the gateway runs, as small operations on its tables.

    Rows are chosen by ``equal`` keywords: a column and its value, or a set of values (the column is one of them);
    ``also`` adds other conditions. The statements of ``equal`` alone are built once per shape (table, columns,
    lock) and reused with new values, so that SQLAlchemy neither builds them nor computes their cache keys again
    (that took a large share of the gateway's own time per run); those with ``also`` are built on each call.
    """

    def __init__(self, connection: Connection) -> None:
        """Wrap ``connection``; its transaction begins with the first statement (see :meth:`Store.transaction`)."""
        self.connection = connection
        self._first = True

    def execute(self, statement: Executable, params: Mapping[str, Any] | None = None) -> CursorResult[Any]:
        """Execute ``statement`` (the transaction's first once more, on a new connection, if its server was gone).

        A pooled connection may have lost its server (a PostgreSQL restarted) since its last use; the first
        statement of the transaction finds out (SQLAlchemy then discards that connection and the pool's older
        ones). Nothing of the transaction was done yet, so it begins again on a new connection. Later statements
        are not retried: what the transaction did before them is gone with the connection.
        """
        if not self._first:
            return self.connection.execute(statement, params)
        self._first = False
        try:
            return self.connection.execute(statement, params)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        self.connection.rollback()  # ends the failed transaction; the next statement reconnects and begins anew
        return self.connection.execute(statement, params)

    def insert(self, table: Table, **values: Any) -> None:
        """Insert one row."""
        self.execute(_built(("insert", table.name), lambda: insert(table)), values)

    def one(self, table: Table, *also: ColumnElement[bool], lock: bool = False, **equal: Any) -> RowMapping | None:
        """Return the row matching (or None); ``lock`` locks it until the transaction ends (PostgreSQL)."""

        def build() -> Executable:
            query = select(table).where(*_equal(table, equal), *also)
            return query.with_for_update() if lock else query

        return self._run(("one", table.name, lock), build, also, equal).mappings().first()

    def rows(self, table: Table, *also: ColumnElement[bool], **equal: Any) -> Sequence[RowMapping]:
        """Return the rows matching, oldest first."""

        def build() -> Executable:
            return select(table).where(*_equal(table, equal), *also).order_by(table.c.seq)

        return self._run(("rows", table.name), build, also, equal).mappings().all()

    def update(self, table: Table, where: Mapping[str, Any], *also: ColumnElement[bool], **values: Any) -> int:
        """Set ``values`` in the rows matching ``where`` (equal columns, as ``equal`` elsewhere); return how many."""

        def build() -> Executable:
            changes = {name: bindparam(_VALUE + name, type_=table.c[name].type) for name in values}
            return update(table).where(*_equal(table, where), *also).values(changes)

        key = ("update", table.name, *sorted(values))
        params = {_VALUE + name: value for name, value in values.items()}
        return self._run(key, build, also, where, params).rowcount

    def delete(self, table: Table, *also: ColumnElement[bool], **equal: Any) -> int:
        """Delete the rows matching; return how many."""
        return self._run(
            ("delete", table.name), lambda: delete(table).where(*_equal(table, equal), *also), also, equal
        ).rowcount

    def _run(
        self,
        key: tuple[object, ...],
        build: Callable[[], Executable],
        also: Sequence[ColumnElement[bool]],
        equal: Mapping[str, Any],
        params: Mapping[str, Any] | None = None,
    ) -> CursorResult[Any]:
        """Execute the statement ``build`` makes, built once per ``key`` and columns of ``equal`` (unless ``also``)."""
        shape = (*key, *((name, isinstance(value, frozenset)) for name, value in sorted(equal.items())))
        statement = build() if also else _built(shape, build)
        values = {_WHERE + name: _bound(value) for name, value in equal.items()}
        return self.execute(statement, values | dict(params or {}))

    def claim_runs(
        self, *, limit: int, token: str, now: float, lease_s: float, run_id: str | None = None
    ) -> Sequence[RowMapping]:
        """Claim up to ``limit`` runs, oldest first: queued ones, and those whose worker's lease has expired.

        Each becomes ``in_progress`` (``started_at`` set the first time) under the lease ``token`` until
        ``now + lease_s``; returns their rows. On PostgreSQL the candidates are locked with ``SKIP LOCKED``:
        runs another transaction is claiming (or finishing) are left to it. ``run_id``: only that run, if queued,
        which this transaction has just written (or locked) itself.
        """
        statement = _built(("claim", run_id is None), _claim_due if run_id is None else _claim_queued)
        params = {
            "claim_now": now,
            "claim_started": int(now),  # the first start is kept
            "claim_token": token,
            "claim_until": now + lease_s,
            "claim_limit": limit,
            "claim_run": run_id,
        }
        return sorted(self.execute(statement, params).mappings().all(), key=lambda row: row["seq"])


def _claim_due() -> Executable:
    """Build the claim of :meth:`Tx.claim_runs`: the oldest runs queued or whose lease expired, skipping locked ones."""
    expired = and_(runs.c.status == "in_progress", runs.c.lease_expires_at < bindparam("claim_now", type_=Float))
    due = (
        select(runs.c.seq)
        .where(or_(runs.c.status == "queued", expired))
        .order_by(runs.c.seq)
        .limit(bindparam("claim_limit", type_=Integer))
        .with_for_update(skip_locked=True)
    )
    return _claiming(runs.c.seq.in_(due.scalar_subquery()))


def _claim_queued() -> Executable:
    """Build the claim of :meth:`Tx.claim_runs` for one run, by id, if it is queued."""
    return _claiming(and_(runs.c.id == bindparam("claim_run", type_=String), runs.c.status == "queued"))


def _claiming(where: ColumnElement[bool]) -> Executable:
    return (
        update(runs)
        .where(where)
        .values(
            status="in_progress",
            started_at=func.coalesce(runs.c.started_at, bindparam("claim_started", type_=BigInteger)),
            lease_token=bindparam("claim_token", type_=String),
            lease_expires_at=bindparam("claim_until", type_=Float),
            claims=runs.c.claims + 1,
        )
        .returning(*runs.c)
    )


#: Bound parameter names: the values rows are chosen by, and the values an update sets.
_WHERE, _VALUE = "where_", "value_"
#: The statements :class:`Tx` has built, by shape (a few dozen: the shapes are those the gateway's code uses).
_STATEMENTS: dict[tuple[object, ...], Executable] = {}


def _built(shape: tuple[object, ...], build: Callable[[], Executable]) -> Executable:
    statement = _STATEMENTS.get(shape)
    if statement is None:
        statement = _STATEMENTS[shape] = build()
    return statement


def _bound(value: object) -> object:
    """Return the value of a ``where_`` parameter: a frozenset's values as a list (an expanding ``IN``)."""
    return sorted(cast("frozenset[str]", value)) if isinstance(value, frozenset) else value


def _equal(table: Table, equal: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """Return the conditions ``column = :where_column`` (``IN`` for a frozenset of values), in a stable order."""
    return [
        table.c[name].in_(bindparam(_WHERE + name, expanding=True))
        if isinstance(value, frozenset)
        else table.c[name] == bindparam(_WHERE + name)
        for name, value in sorted(equal.items())
    ]


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
        """Run the block in one transaction (``write``: one that changes rows; SQLite then takes its write lock).

        The transaction begins with the block's first statement (SQLAlchemy's autobegin), which :meth:`Tx.execute`
        runs again on a new connection if the pooled one has lost its database: no ping before each transaction.
        """
        with self._writing(write), self.engine.connect() as connection:
            if write:
                connection = connection.execution_options(**{_WRITE_OPTION: True})
            try:
                yield Tx(connection)
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    def _writing(self, write: bool) -> AbstractContextManager[object]:
        """Return what a transaction holds in this process besides the database's locks: nothing by default."""
        return nullcontext()

    def prepare(self) -> int:
        """Create the tables on first start and check their version; return it.

        Several processes may start at once on one database: the check runs under a lock (:meth:`_lock_schema`).
        A database of a newer release (a higher version) is refused with :class:`DatabaseError`.
        """
        with self.transaction(write=True) as tx:
            self._lock_schema(tx)
            metadata.create_all(tx.connection)
            found = tx.execute(select(schema_version.c.version)).scalar()
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

    def _lock_schema(self, tx: Tx) -> None:
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

    def _lock_schema(self, tx: Tx) -> None:
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
        )  # no ping before each transaction: a connection the server dropped is replaced by Tx.execute
        super().__init__(engine)

    def _lock_schema(self, tx: Tx) -> None:
        """Take a transaction-scoped advisory lock that only :meth:`Store.prepare` uses."""
        tx.execute(text("SELECT pg_advisory_xact_lock(hashtext('openai-thread-run-gateway schema'))"))


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
