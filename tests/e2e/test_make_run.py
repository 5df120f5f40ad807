"""`make run` starts every service and the gateway; an event flows between their stores;
Ctrl-C stops them all; an unreachable broker is one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from .system_processes import ROOT, RunningSystem


@pytest.fixture
def running(amqp_uri, tmp_path):
    system = RunningSystem(amqp_uri, tmp_path)
    system.start()
    yield system
    system.kill()


def test_the_whole_system_starts_carries_an_event_across_and_stops_on_ctrl_c(running, amqp_uri):
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
        rpc.plans.register_organization(
            {"org_id": "ha-nam", "kind": "province", "name": "Tỉnh ủy Hà Nam", "registered_on": "2023-01-05"}
        )
        head = rpc.plans.log_head()
        deadline = time.monotonic() + 30
        consumed = {}
        while time.monotonic() < deadline:
            consumed = {
                s: getattr(rpc, s).backbone_status()["consumed"].get("plans", 0)
                for s in ("sessions", "oversight", "reporting")
            }
            if all(position >= head for position in consumed.values()):
                break
            time.sleep(0.3)
        assert consumed == {"sessions": head, "oversight": head, "reporting": head}
        assert rpc.plans.backbone_status()["published"] == head

    started = time.monotonic()
    assert running.interrupt() == 0, running.log()
    assert time.monotonic() - started < 45
    assert "all services stopped" in running.log()


def test_an_unreachable_broker_is_reported_in_one_line(tmp_path):
    env = {**os.environ, "AMQP_URI": "amqp://guest:guest@127.0.0.1:1/"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "ops/launch.py")], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "RabbitMQ is not reachable at 127.0.0.1:1" in lines[0]
    assert "rabbitmq-server -detached" in lines[0] and "Traceback" not in result.stderr
