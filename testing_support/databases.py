"""Create and drop throwaway PostgreSQL databases."""

from __future__ import annotations

import sqlalchemy as sa

from eventlog.engine import with_default_driver


def _admin(admin_url: str) -> sa.Engine:
    return sa.create_engine(
        with_default_driver(admin_url), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )


def create_pg_database(admin_url: str, name: str) -> str:
    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return str(sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False))


def drop_pg_database(admin_url: str, name: str) -> None:
    engine = _admin(admin_url)
    with engine.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    engine.dispose()
