"""The shape every fault test shares: stream, fault mid-stream, settle, account."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterable

import kombu

from .ledger import account, assert_exactly_once, figures, record, settle, whole
from .stream import Command, CommandStream, mixed
from .supervisor import Supervisor


def drive(
    system: Supervisor,
    run: str,
    test: str,
    fault: Callable[[CommandStream], object],
    before: int = 40,
    after: int = 40,
    commands: Iterable[Command] | None = None,
    dead_letters_expected: dict[str, int] | None = None,
) -> dict:
    """`before` commands accepted, then the fault, then `after` more accepted once the
    system is back; then every command is accounted for."""
    whole(system)
    start_status = settle(system.amqp_uri)
    baseline = figures(system.amqp_uri)
    started = time.monotonic()
    stream = CommandStream(system.amqp_uri, run).start(commands if commands is not None else mixed(run))
    try:
        stream.wait_for(before)
        note = fault(stream)
        died = keep_alive(system, stream, after)
    finally:
        stream.stop()
    late = [service for service, alive in system.alive().items() if not alive]
    for service in late:
        system.start(service)
    died = sorted({*died, *late})
    status = settle(system.amqp_uri)
    totals = account(system.amqp_uri, run, stream.outcomes, baseline, status)
    grew = {s: status[s]["dead_letters"] - start_status[s]["dead_letters"] for s in status}
    expected = {s: (dead_letters_expected or {}).get(s, 0) for s in status}
    if grew != expected:
        totals["problems"].append(f"dead letters grew by {grew}, expected {expected}")
    totals["dead_letters_added"] = grew
    totals["services_died"] = died
    totals["fault"] = note if isinstance(note, str) else test
    totals["seconds"] = round(time.monotonic() - started, 1)
    totals["backend"] = "postgresql" if "postgresql" in system.database_url("plans") else "sqlite"
    record(test, totals)
    assert_exactly_once(totals)
    # A service that exits under a fault is a bug (a lost broker connection used to kill
    # the container from an ack or an RPC reply), and so is a command applied yet
    # answered with an error (a redelivered request executed again: ADR 060).
    assert not died, f"{died} exited during the fault; data checked exactly once after restarting them"
    assert totals["answered_wrongly"] == 0, [p for p in totals["problems"] if p.startswith("BUG:")]
    return totals


def keep_alive(system: Supervisor, stream: CommandStream, accepted: int, timeout: float = 120.0) -> list[str]:
    """Until `accepted` more commands were accepted, restart any service that died, as a
    container's restart policy would; return those that died (a bug: see the report)."""
    target = stream.count("accepted") + accepted
    deadline = time.monotonic() + timeout
    died: list[str] = []
    while stream.count("accepted") < target:
        for service, alive in system.alive().items():
            if not alive:
                died.append(service)
                system.start(service, wait=False)
        assert time.monotonic() < deadline, f"stream stalled: {stream.summary()}, died: {died}"
        time.sleep(0.5)
    return sorted(set(died))


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=120)


def publish_raw(
    amqp_uri: str, exchange: str, routing_key: str, body: bytes | str, content_type: str = "application/json"
) -> None:
    """Put a message on a service's events exchange, as a broken or hostile publisher would."""
    with kombu.Connection(amqp_uri) as conn:
        producer = conn.Producer()
        producer.publish(
            body if isinstance(body, bytes) else body.encode(),
            exchange=kombu.Exchange(exchange, type="topic", durable=True),
            routing_key=routing_key,
            content_type=content_type,
            content_encoding="utf-8",
            delivery_mode=2,
        )


def envelope_json(envelope: dict) -> str:
    return json.dumps(envelope, ensure_ascii=False)
