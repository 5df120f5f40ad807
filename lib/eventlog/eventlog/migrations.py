"""Alembic, per service: each service's migrations live in its package and start with
the backbone tables; `python -m eventlog.migrate SERVICE` runs them."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

from .engine import make_engine
from .schema import BACKBONE_TABLES, rpc_requests
from .seal import Sealer, seal_key


def create_backbone_tables(bind: sa.Connection) -> None:
    """Used by each service's first migration: the log, relay, inbox and dead letters."""
    BACKBONE_TABLES[0].metadata.create_all(bind=bind, tables=list(BACKBONE_TABLES))


def create_rpc_requests_table(bind: sa.Connection) -> None:
    """Used by each service's migration 0003: the answers of applied commands (ADR 060)."""
    rpc_requests.metadata.create_all(bind=bind, tables=[rpc_requests])


def add_event_seals(bind: sa.Connection, service: str) -> None:
    """Used by each service's migration 0004: the `seal` column, and a seal on every event
    already in the log, under the service's key (eventlog.seal), so that from now on every
    event must carry one. (The 0001 of a new store already makes the column.)"""
    columns = {column["name"] for column in sa.inspect(bind).get_columns("event_log")}
    if "seal" not in columns:
        bind.execute(sa.text("ALTER TABLE event_log ADD COLUMN seal VARCHAR(64)"))
    sealer = Sealer(seal_key(service) or b"")
    after = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT position, hash FROM event_log WHERE position > :after AND seal IS NULL"
                " ORDER BY position LIMIT 5000"
            ),
            {"after": after},
        ).all()
        if not rows:
            return
        bind.execute(
            sa.text("UPDATE event_log SET seal = :seal WHERE position = :position"),
            [{"seal": sealer(row.hash), "position": row.position} for row in rows],
        )
        after = rows[-1].position


def run_env() -> None:
    """The body of every service's `migrations/env.py`."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def upgrade(script_location: Path, url: str, revision: str = "head") -> None:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, revision)
