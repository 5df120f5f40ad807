"""`python -m eventlog.health SERVICE` (the containers' health check) answers 0 or 1."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def health(service: str, amqp_uri: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventlog.health", service, "--timeout", "5"],
        env={**os.environ, "AMQP_URI": amqp_uri},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_running_service_is_healthy_and_a_missing_one_is_not(system, amqp_uri):
    system.start_source()
    with system.rpc() as rpc:
        rpc.source.ping(1)

    healthy = health("source", amqp_uri)
    missing = health("nobody", amqp_uri)

    assert (healthy.returncode, healthy.stdout.strip()) == (0, "source: healthy (log head 1)")
    assert missing.returncode == 1
    assert "nobody: unhealthy" in missing.stderr


def test_an_unreachable_broker_is_unhealthy_not_a_hang():
    result = health("source", "amqp://guest:guest@127.0.0.1:1/")

    assert result.returncode == 1
    assert "source: unhealthy" in result.stderr
