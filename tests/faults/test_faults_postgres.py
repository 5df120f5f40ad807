"""Faults on the production storage (one PostgreSQL database per service): the database
server restarted under a running stream, and a service SIGKILLed mid-stream."""

from __future__ import annotations

import os
import subprocess
import time

import pytest
import sqlalchemy as sa

from testing_support.databases import _admin
from testing_support.fixtures import PG_ADMIN_URL

from .drive import drive


def wait_for_postgres(timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            engine = _admin(PG_ADMIN_URL)
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            engine.dispose()
            return
        except sa.exc.OperationalError:
            assert time.monotonic() < deadline, "PostgreSQL did not come back"
            time.sleep(0.5)


@pytest.mark.disruptive
def test_postgresql_restarted(pg_system, run_id):
    """Disrupts every PostgreSQL user on the machine for a few seconds."""

    def fault(_stream):
        version = os.listdir("/etc/postgresql")[0]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        wait_for_postgres()
        return "pg_ctlcluster main restart"

    drive(pg_system, run_id, "postgresql_restarted", fault, before=40, after=60)


def test_plans_killed_on_postgresql(pg_system, run_id):
    def fault(_stream):
        pg_system.kill("plans")
        time.sleep(1)
        pg_system.start("plans")
        return "SIGKILL plans, restart (PostgreSQL)"

    drive(pg_system, run_id, "sigkill_plans_postgresql", fault, before=40, after=40)


def test_reporting_killed_on_postgresql(pg_system, run_id):
    def fault(_stream):
        pg_system.kill("reporting")
        time.sleep(1)
        pg_system.start("reporting")
        return "SIGKILL reporting, restart (PostgreSQL)"

    drive(pg_system, run_id, "sigkill_reporting_postgresql", fault, before=40, after=40)
