"""The whole system as operators run it: four services and the gateway as `nameko run`
processes on a throwaway vhost, each with a migrated SQLite store in a temporary folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVICES = ("plans", "sessions", "oversight", "reporting", "gateway")
PACKAGES = (
    "lib/eventlog",
    "services/plans",
    "services/sessions",
    "services/oversight",
    "services/reporting",
    "gateway",
)
TARGETS = {
    "plans": ("services/plans/config.yml", "plans.service:PlansService"),
    "sessions": ("services/sessions/config.yml", "sessions.service:SessionsService"),
    "oversight": ("services/oversight/config.yml", "oversight.service:OversightService"),
    "reporting": ("services/reporting/config.yml", "reporting.service:ReportingService"),
    "gateway": ("gateway/config.yml", "gateway.service:GatewayService"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningSystem:
    url: str
    logs: Path

    def tails(self) -> str:
        out = []
        for log in sorted(self.logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-25:]
            out.append(f"--- {log.name}\n" + "\n".join(lines))
        return "\n".join(out)


@pytest.fixture
def running_system(amqp_uri: str, tmp_path: Path) -> Iterator[RunningSystem]:
    env = {
        **os.environ,
        "AMQP_URI": amqp_uri,
        "PYTHONUNBUFFERED": "1",
        # No remediation item falls overdue while the test compares page and API.
        "REMEDIATION_DUE_DAYS": "3650",
    }
    # The code of this tree, whatever the virtualenv's editable installs point at.
    env["PYTHONPATH"] = os.pathsep.join(str(ROOT / p) for p in PACKAGES)
    for service in SERVICES:
        env[f"{service.upper()}_DATABASE_URL"] = f"sqlite:///{tmp_path / (service + '.db')}"
    port = free_port()
    env["GATEWAY_ADDRESS"] = f"127.0.0.1:{port}"
    migrated = [
        s for s in SERVICES if s != "gateway" or (ROOT / "gateway/gateway/migrations/versions").is_dir()
    ]
    migration = subprocess.run(
        [str(BIN / "python"), "-m", "eventlog.migrate", *migrated],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migration.returncode == 0, f"migrations failed:\n{migration.stdout}\n{migration.stderr}"
    logs = tmp_path / "logs"
    logs.mkdir()
    children = []
    for service in SERVICES:
        config, target = TARGETS[service]
        with open(logs / f"{service}.log", "wb") as log:
            children.append(
                subprocess.Popen(
                    [str(BIN / "nameko"), "run", "--config", config, target],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    system = RunningSystem(f"http://127.0.0.1:{port}", logs)
    try:
        wait_healthy(system, children)
        yield system
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def wait_healthy(system: RunningSystem, children: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 90
    last = None
    while time.monotonic() < deadline:
        if any(c.poll() is not None for c in children):
            raise AssertionError(f"a service exited at start:\n{system.tails()}")
        try:
            last = requests.get(f"{system.url}/health", timeout=5)
            if last.status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the system did not become healthy ({last and last.text}):\n{system.tails()}")
