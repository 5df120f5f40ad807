"""Fixtures shared by every test suite: throwaway vhosts, databases and services."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from testing_support.broker import Broker
from testing_support.databases import create_pg_database, drop_pg_database

AMQP_HOST = os.environ.get("TEST_AMQP_HOST", "127.0.0.1")
PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def broker() -> Iterator[Broker]:
    """A RabbitMQ vhost of our own, deleted with everything in it afterwards."""
    vhost = f"test-{uuid.uuid4().hex[:12]}"
    broker = Broker(AMQP_HOST, vhost)
    broker.create()
    try:
        yield broker
    finally:
        broker.delete()


@pytest.fixture
def amqp_uri(broker: Broker) -> str:
    return broker.amqp_uri


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL database of our own, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    url = create_pg_database(PG_ADMIN_URL, name)
    try:
        yield url
    finally:
        drop_pg_database(PG_ADMIN_URL, name)


@pytest.fixture
def pg_database_factory() -> Iterator:
    """Make as many throwaway PostgreSQL databases as a test needs; drop them all after."""
    made: list[str] = []

    def make(label: str) -> str:
        name = f"test_{label}_{uuid.uuid4().hex[:10]}"
        made.append(name)
        return create_pg_database(PG_ADMIN_URL, name)

    yield make
    for name in made:
        drop_pg_database(PG_ADMIN_URL, name)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Each storage test runs on both backends with the same code."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


def quote_vhost(vhost: str) -> str:
    return quote(vhost, safe="")


__all__ = ["amqp_uri", "broker", "db_url", "pg_database_factory", "pg_url", "sa", "sqlite_url"]
