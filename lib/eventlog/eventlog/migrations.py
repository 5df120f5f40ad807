"""Alembic, per service: each service's migrations live in its package and start with
the backbone tables; `python -m eventlog.migrate SERVICE` runs them."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

from .engine import make_engine
from .schema import BACKBONE_TABLES, rpc_requests


def create_backbone_tables(bind: sa.Connection) -> None:
    """Used by each service's first migration: the log, relay, inbox and dead letters."""
    BACKBONE_TABLES[0].metadata.create_all(bind=bind, tables=list(BACKBONE_TABLES))


def create_rpc_requests_table(bind: sa.Connection) -> None:
    """Used by each service's migration 0003: the answers of applied commands (ADR 060)."""
    rpc_requests.metadata.create_all(bind=bind, tables=[rpc_requests])


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
