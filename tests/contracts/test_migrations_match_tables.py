"""Each service's Alembic migrations build exactly the tables its code declares.

The services write through `tables.py` (and the backbone's `eventlog.schema`); operators
get their stores from the migrations. A column, index or table added to one and not the
other is a store that works in tests built from metadata and fails in production (or the
reverse): alembic's own comparison of the migrated database with the declared metadata
must find nothing, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import importlib

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from eventlog.migrate import migrations_of
from eventlog.migrations import upgrade
from eventlog.schema import metadata as backbone

SERVICES = ["plans", "sessions", "oversight", "reporting", "gateway"]
KEEPS_A_LOG = {"plans", "sessions", "oversight", "reporting"}  # the gateway has no event log


def declared(service: str) -> sa.MetaData:
    """The service's tables and, if it keeps a log, the backbone's, as one metadata."""
    combined = sa.MetaData()
    own = importlib.import_module(f"{service}.tables").metadata
    for source in (backbone, own) if service in KEEPS_A_LOG else (own,):
        for table in source.tables.values():
            if table.name not in combined.tables:
                table.to_metadata(combined)
    return combined


def differences(url: str, service: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            found = compare_metadata(context, declared(service))
    finally:
        engine.dispose()
    # alembic's own bookkeeping table is the migrations', not the service's
    return [d for d in found if not (d[0] == "remove_table" and d[1].name == "alembic_version")]


@pytest.mark.parametrize("service", SERVICES)
def test_the_migrated_store_is_the_declared_one(service, db_url):
    upgrade(migrations_of(service), db_url)
    assert differences(db_url, service) == []


def test_the_comparison_sees_a_missing_index(sqlite_url):
    """The check can fail: an index declared and never migrated is named."""
    upgrade(migrations_of("plans"), sqlite_url, "0004")
    named = [d for d in differences(sqlite_url, "plans") if d[0] == "add_index"]
    assert [d[1].name for d in named] == ["ix_remediation_items_subject"]
