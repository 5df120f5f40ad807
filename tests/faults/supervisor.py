"""Each service as its own `nameko run` process, so a test can kill and restart one.

`ops/launch.py` stops everything when one child dies (what an operator wants), so the
fault tests start the services themselves, with the environment `RunningSystem` builds.
The gateway is not started: these tests talk to the services over RPC.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

from tests.e2e.system_processes import ROOT, RunningSystem

BIN = Path(sys.executable).parent
SERVICES = ("plans", "sessions", "oversight", "reporting")
SOURCE_ROOTS = (ROOT / "lib" / "eventlog", *(ROOT / "services" / s for s in SERVICES), ROOT)
TARGETS = {
    "plans": "plans.service:PlansService",
    "sessions": "sessions.service:SessionsService",
    "oversight": "oversight.service:OversightService",
    "reporting": "reporting.service:ReportingService",
}


class Supervisor:
    """Starts, kills (SIGKILL) and restarts the four services one by one."""

    def __init__(self, amqp_uri: str, var_dir: Path, database_urls: dict[str, str] | None = None) -> None:
        self.amqp_uri = amqp_uri
        self.var_dir = var_dir
        self.env = dict(RunningSystem(amqp_uri, var_dir, database_urls).env)
        # The code under test is this working tree's, whatever the venv's editable
        # installs point at (they were found pointing at another checkout).
        self.env["PYTHONPATH"] = os.pathsep.join(str(p) for p in SOURCE_ROOTS)
        self.logs = var_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def database_url(self, service: str) -> str:
        return self.env[f"{service.upper()}_DATABASE_URL"]

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "eventlog.migrate", *SERVICES],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    def start_all(self) -> None:
        self.migrate()
        for service in SERVICES:
            self.start(service, wait=False)
        self.wait_ready(SERVICES)

    def start(self, service: str, wait: bool = True) -> None:
        assert service not in self.processes or self.processes[service].poll() is not None
        log = open(self.logs / f"{service}.log", "ab")
        self.processes[service] = subprocess.Popen(
            [str(BIN / "nameko"), "run", "--config", f"services/{service}/config.yml", TARGETS[service]],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        if wait:
            self.wait_ready([service])

    def wait_ready(self, services: tuple[str, ...] | list[str], timeout: float = 60.0) -> None:
        """Until each service answers an RPC (its queue consumer is up)."""
        deadline = time.monotonic() + timeout
        pending = list(services)
        while pending:
            for service in pending:
                process = self.processes[service]
                assert process.poll() is None, f"{service} exited:\n{self.tail(service)}"
            try:
                with ClusterRpcProxy({"AMQP_URI": self.amqp_uri}, timeout=3) as rpc:
                    while pending:
                        getattr(rpc, pending[0]).log_head()
                        pending.pop(0)
            except Exception:
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"{pending} not ready in {timeout}s:\n" + "\n".join(self.tail(s) for s in pending)
                    ) from None
                time.sleep(0.3)

    def kill(self, service: str) -> None:
        """SIGKILL: no clean shutdown, no acks, no relay progress recorded."""
        process = self.processes[service]
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self, service: str) -> None:
        process = self.processes[service]
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def alive(self) -> dict[str, bool]:
        return {s: p.poll() is None for s, p in self.processes.items()}

    def stop_all(self) -> None:
        for service in list(self.processes):
            if self.processes[service].poll() is None:
                self.processes[service].terminate()
        for process in self.processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def tail(self, service: str, lines: int = 30) -> str:
        path = self.logs / f"{service}.log"
        text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
        return f"--- {service}\n" + "\n".join(text)
