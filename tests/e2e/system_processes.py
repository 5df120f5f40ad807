"""Run the whole system as operators do: migrations, then `ops/launch.py` (what `make run` runs)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("plans", "sessions", "oversight", "reporting")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningSystem:
    """All services and the gateway as separate processes on one vhost, stores in `var_dir`."""

    def __init__(self, amqp_uri: str, var_dir: Path, database_urls: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "AMQP_URI": amqp_uri,
            "EVENTLOG_VAR_DIR": str(var_dir),
            "GATEWAY_ADDRESS": f"127.0.0.1:{self.port}",
            "GATEWAY_PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
        }
        urls = database_urls or {}
        for name in (*SERVICES, "gateway"):
            self.env[f"{name.upper()}_DATABASE_URL"] = urls.get(name, f"sqlite:///{var_dir / (name + '.db')}")
        self.log_path = var_dir / "system.log"
        self.process: subprocess.Popen[bytes] | None = None

    def migrate(self) -> None:
        packages = list(SERVICES)
        if (ROOT / "gateway/gateway/migrations").is_dir():
            packages.append("gateway")
        subprocess.run(
            [sys.executable, "-m", "eventlog.migrate", *packages],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    def start(self, timeout: float = 90.0) -> None:
        self.migrate()
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "ops/launch.py")],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the system exited early:\n{self.log()}"
            try:
                if requests.get(f"{self.base_url}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the system did not become healthy in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def interrupt(self, timeout: float = 45.0) -> int:
        """Ctrl-C, as a person at the terminal would; returns the launcher's exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
