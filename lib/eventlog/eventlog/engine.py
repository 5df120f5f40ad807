"""Database engines for SQLite (embedded default) and PostgreSQL, same code on both."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

READONLY = "eventlog_readonly"


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """Build an engine whose write transactions serialise the way the log needs.

    SQLite: WAL, and every write transaction starts with BEGIN IMMEDIATE so two writers
    never deadlock on a lock upgrade. Read-only work (`readonly(conn)`) begins deferred.
    PostgreSQL: a plain pool; the appender serialises through an advisory lock.
    """
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    url = with_default_driver(url)
    # No pre-ping: it costs a round trip per checkout. A connection broken by a database
    # restart fails one operation, is discarded, and the caller's retry gets a fresh one.
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return sa.create_engine(url, **kwargs)


def with_default_driver(url: str) -> str:
    """`postgresql://` means psycopg2 here (SQLAlchemy 2.1 would pick psycopg 3)."""
    parsed = sa.engine.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed.render_as_string(hide_password=False)


def _sqlite_engine(url: str, **kwargs: Any) -> sa.Engine:
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = kwargs.pop("connect_args", {})
    connect_args.setdefault("timeout", 30)
    connect_args["isolation_level"] = None  # we issue BEGIN ourselves
    connect_args["check_same_thread"] = False
    engine = sa.create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(READONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_postgres(bind: sa.Engine | sa.Connection) -> bool:
    return bind.dialect.name == "postgresql"


def readonly(conn: sa.Connection) -> sa.Connection:
    """Mark a connection's transactions as read-only (SQLite then takes no write lock)."""
    return conn.execution_options(**{READONLY: True})


def database_url(service: str, default_dir: str | None = None) -> str:
    """The service's database URL: `<SERVICE>_DATABASE_URL`, else SQLite under `var/`."""
    explicit = os.environ.get(f"{service.upper()}_DATABASE_URL")
    if explicit:
        return explicit
    directory = Path(default_dir or os.environ.get("EVENTLOG_VAR_DIR", "var")).resolve()
    return f"sqlite:///{directory / (service + '.db')}"
