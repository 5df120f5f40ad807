"""`make run`: start every service and the gateway in the foreground; Ctrl-C stops them all.

Each one is its own `nameko run` process, exactly as operators run them in containers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = [
    ("plans", "services/plans/config.yml", "plans.service:PlansService"),
    ("sessions", "services/sessions/config.yml", "sessions.service:SessionsService"),
    ("oversight", "services/oversight/config.yml", "oversight.service:OversightService"),
    ("reporting", "services/reporting/config.yml", "reporting.service:ReportingService"),
    ("gateway", "gateway/config.yml", "gateway.service:GatewayService"),
]
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_GATEWAY_ADDRESS = "0.0.0.0:8000"


def broker_reachable(amqp_uri: str) -> tuple[bool, str]:
    parsed = urlparse(amqp_uri)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 5672
    try:
        with socket.create_connection((host, port), timeout=2):
            return True, f"{host}:{port}"
    except OSError:
        return False, f"{host}:{port}"


def gateway_url(address: str | None = None) -> str:
    """Where to reach the gateway: its `GATEWAY_ADDRESS` (what gateway/config.yml binds,
    default 0.0.0.0:8000), with a wildcard host shown as the local one."""
    address = address or os.environ.get("GATEWAY_ADDRESS") or DEFAULT_GATEWAY_ADDRESS
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port or '8000'}/"


def main() -> int:
    amqp_uri = os.environ.setdefault("AMQP_URI", DEFAULT_AMQP_URI)
    ok, where = broker_reachable(amqp_uri)
    if not ok:
        print(
            f"RabbitMQ is not reachable at {where}: start it with `rabbitmq-server -detached` "
            "(or `docker compose up -d rabbitmq`), then run `make run` again.",
            file=sys.stderr,
        )
        return 1
    os.chdir(ROOT)
    nameko = str(Path(sys.executable).with_name("nameko"))
    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    for name, config, target in PROCESSES:
        children.append((name, subprocess.Popen([nameko, "run", "--config", config, target])))
        print(f"started {name} (pid {children[-1][1].pid})", flush=True)
    print(f"all services started; the gateway listens on {gateway_url()} (Ctrl-C stops)")

    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    failed = None
    while not stopping:
        for name, child in children:
            if child.poll() is not None:
                failed = name
                stopping = True
                break
        time.sleep(0.2)
    if failed:
        print(
            f"{failed} exited (code {dict(children)[failed].returncode}); stopping the others",
            file=sys.stderr,
        )
    for _, child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for name, child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in time; killing it", file=sys.stderr)
            child.kill()
    print("all services stopped")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
