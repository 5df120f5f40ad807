"""One running system per test module (starting four services costs ~15 s on two cores);
each test drives its own stream with its own ids, so the tests do not see each other's
commands, and each starts by checking the system is whole and settled."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from testing_support.broker import Broker
from testing_support.databases import create_pg_database, drop_pg_database
from testing_support.fixtures import AMQP_HOST, PG_ADMIN_URL

from .ledger import settle
from .stream import BASE_CELLS, DISTRICT, GRASSROOTS, PROVINCE
from .supervisor import ROOT, SERVICES, Supervisor


def _tree(amqp_uri: str) -> None:
    nodes = [
        (PROVINCE, "province", None),
        (DISTRICT, "district", PROVINCE),
        (GRASSROOTS, "grassroots", DISTRICT),
        *((c, "cell", GRASSROOTS) for c in BASE_CELLS),
    ]
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
        for org_id, kind, parent in nodes:
            rpc.plans.register_organization(
                {
                    "org_id": org_id,
                    "kind": kind,
                    "name": f"Đơn vị {org_id}",
                    "parent_id": parent,
                    "registered_on": "2024-01-02",
                }
            )


@pytest.fixture(scope="module")
def vhost() -> Iterator[Broker]:
    broker = Broker(AMQP_HOST, f"test-faults-{uuid.uuid4().hex[:10]}")
    broker.create()
    try:
        yield broker
    finally:
        broker.delete()


def _system(broker: Broker, var_dir: Path, urls: dict[str, str] | None) -> Iterator[Supervisor]:
    supervisor = Supervisor(broker.amqp_uri, var_dir, urls)
    try:
        supervisor.start_all()
        _tree(broker.amqp_uri)
        settle(broker.amqp_uri)
        yield supervisor
    finally:
        supervisor.stop_all()
        # pytest keeps only its last three temporary folders and others run tests here
        # too: keep the services' logs where the lead can read them after a failure.
        kept = ROOT / "artifacts" / "faults-logs" / var_dir.name
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(supervisor.logs, kept)


@pytest.fixture(scope="module")
def sqlite_system(vhost: Broker, tmp_path_factory) -> Iterator[Supervisor]:
    yield from _system(vhost, tmp_path_factory.mktemp("faults-sqlite"), None)


@pytest.fixture(scope="module")
def pg_system(vhost: Broker, tmp_path_factory) -> Iterator[Supervisor]:
    names = {s: f"test_faults_{s}_{uuid.uuid4().hex[:8]}" for s in SERVICES}
    urls = {s: create_pg_database(PG_ADMIN_URL, n) for s, n in names.items()}
    try:
        yield from _system(vhost, tmp_path_factory.mktemp("faults-pg"), urls)
    finally:
        for name in names.values():
            drop_pg_database(PG_ADMIN_URL, name)


@pytest.fixture
def run_id(request) -> str:
    """A short prefix for this test's ids (org ids are at most 64 characters)."""
    return f"r{uuid.uuid4().hex[:6]}"
