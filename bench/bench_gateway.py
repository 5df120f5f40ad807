"""Gateway load through HTTP, beside the bare @http + one RPC ceiling measured in the same run.

Every service, the gateway and the ceiling run as `nameko run` processes on a throwaway
vhost with SQLite stores; a load script (threads + requests, bounded in time) drives
three phases: reads only, writes only, and a mix of 80% reads and 20% writes sent with an
Idempotency-Key. Targets: reads ≥ 70% of the ceiling's throughput, writes ≥ 50%, the mix
≥ the same blend (66%), no errors; afterwards every write that was answered 201 exists once.
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


def stats(latencies: list[float], elapsed: float, errors: int) -> dict:
    latencies = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": 1000 * statistics.median(latencies),
        "p99": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": errors,
        "count": len(latencies),
    }


def drive(
    request: Callable[[requests.Session, int], requests.Response],
    seconds: float,
    kind: Callable[[int], str] = lambda n: "all",
) -> dict[str, dict]:
    """THREADS clients, each sending requests back to back for `seconds`; figures per kind
    of request and for "all"."""
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    counter = itertools.count()
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def client() -> None:
        session = requests.Session()
        mine: list[tuple[str, float, bool]] = []
        while time.monotonic() < stop_at:
            n = next(counter)
            started = time.perf_counter()
            try:
                ok = request(session, n).status_code < 400
            except requests.RequestException:
                ok = False
            mine.append((kind(n), time.perf_counter() - started, ok))
        with lock:
            for label, latency, ok in mine:
                for key in {label, "all"}:
                    latencies.setdefault(key, []).append(latency)
                    errors[key] = errors.get(key, 0) + (not ok)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return {key: stats(values, elapsed, errors[key]) for key, values in latencies.items()}


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

        created: list[str] = []

        def write(s: requests.Session, n: int, phase: str = "w", key: bool = False) -> requests.Response:
            org_id = f"d{run}-{phase}{n}"
            headers = {**auth, "Idempotency-Key": f"{run}-{phase}{n}"} if key else auth
            answer = s.post(
                base + "/api/organizations",
                headers=headers,
                timeout=30,
                json={
                    "org_id": org_id,
                    "kind": "district",
                    "parent_id": "hn",
                    "name": f"Huyện {n}",
                    "registered_on": "2024-01-01",
                },
            )
            if answer.status_code == 201:
                created.append(org_id)
            return answer

        def mixed_kind(n: int) -> str:
            return "write" if n % 5 == 0 else "read"

        def mixed(s: requests.Session, n: int) -> requests.Response:
            return write(s, n, "m", key=True) if mixed_kind(n) == "write" else read(s, n)

        drive(ceiling, 1.0)  # warm up
        drive(read, 1.0)
        bare = drive(ceiling, seconds)["all"]
        reads = drive(read, seconds)["all"]
        writes = drive(write, seconds)["all"]
        mix = drive(mixed, seconds, mixed_kind)
        listed = requests.get(base + "/api/organizations/hn/children", headers=auth, timeout=60).json()
        found = [c["org_id"] for c in listed["items"]]
        lost = len(set(created) - set(found)) + (len(found) - len(set(found)))
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
    rows.append(row_of("@http + 1 RPC ceiling p50", bare["p50"], "ms", bare["p50"], "baseline", None))
    rows.append(row_of("@http + 1 RPC ceiling p99", bare["p99"], "ms", bare["p99"], "baseline", None))
    for label, result, share in (
        ("reads (GET org / report)", reads, 0.7),
        ("writes (POST organization)", writes, 0.5),
        ("mixed 80/20, keyed writes", mix["all"], 0.8 * 0.7 + 0.2 * 0.5),
    ):
        rows.extend(throughput_rows(label, result, share, bare))
    for kind in ("read", "write"):
        part = mix.get(kind)
        if part:
            rows.append(row_of(f"  mixed: its {kind}s p50", part["p50"], "ms", bare["p50"], "", None))
            rows.append(row_of(f"  mixed: its {kind}s p99", part["p99"], "ms", bare["p99"], "", None))
    rows.append(row_of("writes answered 201 and not found", lost, "orgs", len(created), "0", lost == 0))
    return rows


def throughput_rows(label: str, result: dict, share: float, bare: dict) -> list[dict]:
    met = result["rps"] >= share * bare["rps"] and result["errors"] == 0
    target = f"≥ {share:.0%} of ceiling, 0 errors ({result['errors']} of {result['count']})"
    return [
        row_of(f"{label} throughput", result["rps"], "req/s", bare["rps"], target, met),
        row_of(f"{label} p50", result["p50"], "ms", bare["p50"], "", None),
        row_of(f"{label} p99", result["p99"], "ms", bare["p99"], "", None),
    ]
