"""The gateway's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL, and the schema version.

Every object is a row with its API id, the tenant it belongs to (a hash of the client key that created it,
:mod:`.keys`) and ``body``, the object as the API shows it. What changes while a run executes is kept in columns
of its own (``status``, ``started_at``, the lease) so that claiming a run is one ``UPDATE``; what the worker
needs and the API does not show is ``state``. Rows are ordered by ``seq``, their creation order.

``messages.answer_of_run`` is unique: a run's answer is written at most once, whatever happens to the worker that
executes it. :data:`SCHEMA_VERSION` is stored in ``otr_gateway_schema`` when the tables are created, so that a
later release can tell which tables it finds and migrate them.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Float, Index, Integer, MetaData, String, Table

#: The version of these tables; a release that changes them raises it and migrates older databases.
SCHEMA_VERSION = 1

metadata = MetaData()

_SEQ = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER PRIMARY KEY is SQLite's auto-increment rowid
_ID = String(64)
_JSON = JSON(none_as_null=True)


def _object_columns() -> list[Column[object]]:
    return [
        Column("seq", _SEQ, primary_key=True, autoincrement=True),
        Column("id", _ID, nullable=False, unique=True),
        Column("tenant", String(64), nullable=False),
        Column("body", _JSON, nullable=False),
    ]


schema_version = Table(
    "otr_gateway_schema",
    metadata,
    Column("version", Integer, nullable=False),
    Column("applied_at", Float, nullable=False),
)

assistants = Table(
    "otr_assistants",
    metadata,
    *_object_columns(),
    # The sampling settings the assistant was given explicitly (a run sends only those upstream).
    Column("settings", _JSON, nullable=False),
    Index("otr_assistants_by_tenant", "tenant", "seq"),
)

threads = Table("otr_threads", metadata, *_object_columns())

messages = Table(
    "otr_messages",
    metadata,
    *_object_columns(),
    Column("thread_id", _ID, nullable=False),
    Column("run_id", _ID, nullable=True),
    Column("answer_of_run", _ID, nullable=True, unique=True),
    Index("otr_messages_by_thread", "thread_id", "seq"),
)

runs = Table(
    "otr_runs",
    metadata,
    *_object_columns(),
    Column("thread_id", _ID, nullable=False),
    Column("status", String(32), nullable=False),
    Column("started_at", BigInteger, nullable=True),
    #: When the run expires (unix seconds, fractional); ``body.expires_at`` is what the API shows.
    Column("deadline", Float, nullable=False),
    Column("lease_token", String(64), nullable=True),
    Column("lease_expires_at", Float, nullable=True),
    #: How many times a worker claimed the run (more than once after a worker died or gave it back).
    Column("claims", Integer, nullable=False, default=0),
    Column("state", _JSON, nullable=False),
    Index("otr_runs_by_thread", "thread_id", "seq"),
    Index("otr_runs_by_status", "status", "seq"),
)

run_steps = Table(
    "otr_run_steps",
    metadata,
    *_object_columns(),
    Column("thread_id", _ID, nullable=False),
    Column("run_id", _ID, nullable=False),
    Index("otr_run_steps_by_run", "run_id", "seq"),
)
