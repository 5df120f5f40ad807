"""Gateway load through HTTP, beside the bare @http + one RPC ceiling measured in the same run.

Every service, the gateway and the ceiling run as `nameko run` processes on a throwaway
vhost with SQLite stores; a load script (threads + requests, bounded in time) drives
three phases: reads only, writes only, and a mix of 80% reads and 20% writes sent with an
Idempotency-Key. Targets: reads ≥ 70% of the ceiling's throughput, writes ≥ 50%, the mix
≥ the same blend (66%), no errors; afterwards every write that was answered 201 exists once.
"""

from __future__ import annotations

import argparse
import contextlib
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
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/bench_gateway.py --quick`
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from testing_support.broker import Broker  # noqa: E402

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


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def broker_pid() -> int | None:
    """The local RabbitMQ's Erlang VM (the oldest beam.smp), to show its CPU per request;
    it is shared with whatever else uses the broker, so only indicative."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(beam.smp)" in text:
            found.append((int(text.rpartition(")")[2].split()[19]), int(stat.parent.name)))
    return min(found)[1] if found else None


class Profiler:
    """Per phase: every process's CPU time, printed on stderr as ms per request (the figure
    to compare between runs on a busy machine: throughput moves with what else runs), and
    with --profile DIR a `py-spy record` of each process (collapsed stacks per process and
    phase, for `py-spy`'s own tools or a flame graph). py-spy sees one OS thread per
    process; with eventlet its samples also count time the hub is runnable but waiting for
    a CPU, so read them as proportions, not as CPU time."""

    def __init__(self, directory: Path | None, pids: dict[str, int]) -> None:
        self.directory, self.pids = directory, pids
        self.lines: list[str] = []

    @contextlib.contextmanager
    def phase(self, name: str, seconds: float, result: dict[str, dict]) -> Iterator[None]:
        recorders = []
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            spy = str(Path(sys.executable).with_name("py-spy"))
            recorders = [
                subprocess.Popen(
                    [
                        spy,
                        "record",
                        "--pid",
                        str(pid),
                        "--rate",
                        "250",
                        "--nonblocking",
                        "--format",
                        "raw",
                        "--duration",
                        str(int(seconds + 1)),
                        "--output",
                        str(self.directory / f"{name}-{proc}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for proc, pid in self.pids.items()
            ]
        pids = {**self.pids, "load script": os.getpid()}
        if broker_pid():
            pids["rabbitmq (shared)"] = broker_pid()
        before = {proc: cpu_seconds(pid) for proc, pid in pids.items()}
        try:
            yield
        finally:
            after = {proc: cpu_seconds(pid) for proc, pid in pids.items()}
            for recorder in recorders:
                recorder.wait(30)
        count = max(result.get("all", {}).get("count", 0), 1)
        parts = []
        for proc in pids:
            user = after[proc][0] - before[proc][0]
            system = after[proc][1] - before[proc][1]
            if user + system > 0.05:
                parts.append(f"{proc} {1000 * (user + system) / count:.1f} ({1000 * system / count:.1f} sys)")
        self.lines.append(f"{name}: CPU ms per request: " + ", ".join(parts))


def main(quick: bool, profile: Path | None = None) -> list[dict]:
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

        names = [s[0] for s in SERVICES] + ["ceiling"]
        profiler = Profiler(profile, {name: child.pid for name, child in zip(names, children, strict=True)})
        drive(ceiling, 1.0)  # warm up
        drive(read, 1.0)
        figures: dict[str, dict[str, dict]] = {}
        for phase, request, kind in (
            ("ceiling", ceiling, None),
            ("reads", read, None),
            ("writes", write, None),
            ("mixed", mixed, mixed_kind),
        ):
            figures[phase] = {}
            with profiler.phase(phase, seconds, figures[phase]):
                figures[phase].update(drive(request, seconds, kind or (lambda n: "all")))
        bare, reads, writes, mix = (figures[p] for p in ("ceiling", "reads", "writes", "mixed"))
        bare, reads, writes = bare["all"], reads["all"], writes["all"]
        print("\n".join(profiler.lines), file=sys.stderr)
        listed = requests.get(base + "/api/organizations/hn/children", headers=auth, timeout=60).json()
        if "items" not in listed:
            raise RuntimeError(f"listing the written organisations failed: {listed}")
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


if __name__ == "__main__":
    from run import print_table

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 s phases instead of 10 s")
    parser.add_argument("--profile", type=Path, help="py-spy every process per phase into this directory")
    args = parser.parse_args()
    print_table(main(args.quick, args.profile))
