"""Gateway load: a read mix and a write mix through HTTP, beside the bare @http + one RPC ceiling.

Every service, the gateway and the ceiling run as `nameko run` processes on a throwaway
vhost with SQLite stores; a load script (threads + requests, bounded in time) drives
each. Targets: reads ≥ 70% of the ceiling's throughput, writes ≥ 50%, no errors.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import requests

from testing_support.broker import Broker

ROOT = Path(__file__).resolve().parent.parent
SERVICES = [
    ("plans", "services/plans/config.yml", "plans.service:PlansService"),
    ("sessions", "services/sessions/config.yml", "sessions.service:SessionsService"),
    ("oversight", "services/oversight/config.yml", "oversight.service:OversightService"),
    ("reporting", "services/reporting/config.yml", "reporting.service:ReportingService"),
    ("gateway", "gateway/config.yml", "gateway.service:GatewayService"),
]
THREADS = 8


def row_of(figure: str, value: float, unit: str, baseline: float, target: str, met: bool | None) -> dict:
    return {
        "benchmark": "gateway",
        "figure": figure,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": value / baseline if baseline else None,
        "target": target,
        "met": {True: "yes", False: "NO", None: ""}[met],
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


def drive(request: Callable[[requests.Session, int], requests.Response], seconds: float) -> dict:
    """THREADS clients, each sending requests back to back for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    counter = itertools.count()
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def client() -> None:
        session = requests.Session()
        mine: list[float] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                ok = request(session, next(counter)).status_code < 400
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - started)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": 1000 * statistics.median(latencies),
        "p99": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": errors[0],
    }


def main(quick: bool) -> list[dict]:
    seconds = 3.0 if quick else 10.0
    vhost = Broker("127.0.0.1", f"bench-gw-{uuid.uuid4().hex[:8]}")
    vhost.create()
    tmp = Path(tempfile.mkdtemp())
    port, ceiling_port = free_port(), free_port()
    env = {
        **os.environ,
        "AMQP_URI": vhost.amqp_uri,
        "EVENTLOG_VAR_DIR": str(tmp),
        "GATEWAY_ADDRESS": f"127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    for name, _, _ in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = f"sqlite:///{tmp / (name + '.db')}"
    nameko = str(Path(sys.executable).with_name("nameko"))
    (tmp / "ceiling.yml").write_text(
        f"AMQP_URI: {vhost.amqp_uri}\nWEB_SERVER_ADDRESS: 127.0.0.1:{ceiling_port}\n"
    )
    children: list[subprocess.Popen[bytes]] = []
    log = open(tmp / "system.log", "wb")
    try:
        subprocess.run(
            [sys.executable, "-m", "eventlog.migrate", *(s[0] for s in SERVICES)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        for _, config, target in SERVICES:
            children.append(
                subprocess.Popen(
                    [nameko, "run", "--config", config, target],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        children.append(
            subprocess.Popen(
                [
                    nameko,
                    "run",
                    "--config",
                    str(tmp / "ceiling.yml"),
                    "gateway_ceiling:PingService",
                    "gateway_ceiling:CeilingHttp",
                ],
                env=env,
                cwd=ROOT / "bench",
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/health")
        wait_for(f"http://127.0.0.1:{ceiling_port}/ping")
        token = requests.post(
            base + "/api/auth/token", json={"username": "admin", "password": "admin"}, timeout=10
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        requests.post(
            base + "/api/organizations",
            headers=auth,
            timeout=10,
            json={"org_id": "hn", "kind": "province", "name": "Tỉnh ủy", "registered_on": "2023-01-05"},
        )
        run = uuid.uuid4().hex[:6]

        def ceiling(s: requests.Session, n: int) -> requests.Response:
            return s.get(f"http://127.0.0.1:{ceiling_port}/ping", timeout=30)

        def read(s: requests.Session, n: int) -> requests.Response:
            if n % 2:
                return s.get(base + "/api/organizations/hn", headers=auth, timeout=30)
            return s.get(base + "/api/reports/hn", params={"period": "year:2025"}, headers=auth, timeout=30)

        def write(s: requests.Session, n: int) -> requests.Response:
            return s.post(
                base + "/api/organizations",
                headers=auth,
                timeout=30,
                json={
                    "org_id": f"d{run}-{n}",
                    "kind": "district",
                    "parent_id": "hn",
                    "name": f"Huyện {n}",
                    "registered_on": "2024-01-01",
                },
            )

        drive(ceiling, 1.0)  # warm up
        drive(read, 1.0)
        bare = drive(ceiling, seconds)
        reads = drive(read, seconds)
        writes = drive(write, seconds)
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()
        log.close()
        vhost.delete()
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [row_of("@http + 1 RPC ceiling", bare["rps"], "req/s", bare["rps"], "baseline", None)]
    for label, result, share in (
        ("reads (GET org / report)", reads, 0.7),
        ("writes (POST organization)", writes, 0.5),
    ):
        met = result["rps"] >= share * bare["rps"] and result["errors"] == 0
        rows.append(
            row_of(
                f"{label} throughput",
                result["rps"],
                "req/s",
                bare["rps"],
                f"≥ {share:.0%} of ceiling, 0 errors ({result['errors']})",
                met,
            )
        )
        rows.append(row_of(f"{label} p50", result["p50"], "ms", bare["p50"], "", None))
        rows.append(row_of(f"{label} p99", result["p99"], "ms", bare["p99"], "", None))
    return rows
