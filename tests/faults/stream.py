"""A steady stream of commands over RPC, and what became of each.

Two kinds alternate: registering a cell (plans: OrganizationRegistered, consumed by
sessions, oversight and reporting) and scheduling a themed session in one of the base
cells (sessions: SessionScheduled, consumed by reporting). Each command carries a fresh
id, so its events can be found in every store by that id.

A command is *accepted* when the RPC returned, *refused* when the service answered with
a refusal (CommandRefused) or *failed* with an infrastructure error (either way its
transaction is expected to have rolled back, so it must leave no event),
*applied_unanswered* when the service answered that the command was applied but its result
could not be given (ADR 060: an earlier delivery applied it and its answer was lost, or
the read-back after the commit failed; it must have left exactly one event), and
*unknown* when no answer came (timeout, broken connection): it may or may not have been
applied, but at most once.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import eventlet
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy

from eventlog.refusals import parse_refusal

PROVINCE, DISTRICT, GRASSROOTS = "fp", "fp-d1", "fp-d1-g1"
BASE_CELLS = ("fp-d1-g1-c1", "fp-d1-g1-c2", "fp-d1-g1-c3")
YEAR = {"kind": "year", "year": 2025}


@dataclass(frozen=True)
class Command:
    key: str  # the id the command creates: an org id or a session id
    service: str
    method: str
    payload: dict
    stream_id: str  # where its event lands in the producer's log
    metric: str  # the report figure it adds one to


def cell(run: str, n: int) -> Command:
    org_id = f"{run}-c{n}"
    return Command(
        org_id,
        "plans",
        "register_organization",
        {
            "org_id": org_id,
            "kind": "cell",
            "name": f"Chi bộ {run} {n}",
            "parent_id": GRASSROOTS,
            "registered_on": "2025-03-01",
        },
        f"organization-{org_id}",
        "units.registered.cell",
    )


def session(run: str, n: int) -> Command:
    session_id = f"{run}-s{n}"
    return Command(
        session_id,
        "sessions",
        "schedule_session",
        {
            "session_id": session_id,
            "org_id": BASE_CELLS[n % len(BASE_CELLS)],
            "theme": "Tự soi, tự sửa",
            "scheduled_on": "2025-04-01",
        },
        f"session-{session_id}",
        "sessions.scheduled",
    )


def mixed(run: str):
    for n in itertools.count(1):
        yield cell(run, n) if n % 2 else session(run, n)


@dataclass
class Outcome:
    command: Command
    status: str  # accepted | refused | failed | applied_unanswered | unknown
    error: str = ""


@dataclass
class CommandStream:
    """Sends commands one after another until stopped; never retries a command."""

    amqp_uri: str
    run: str
    timeout: float = 5.0
    outcomes: list[Outcome] = field(default_factory=list)
    _stopped: bool = False
    _thread: object = None

    def count(self, status: str | None = None) -> int:
        return sum(1 for o in self.outcomes if status is None or o.status == status)

    def send_all(self, commands) -> None:
        proxy = None
        rpc = None
        try:
            for command in commands:
                if self._stopped:
                    return
                if rpc is None:
                    try:
                        proxy = ClusterRpcProxy({"AMQP_URI": self.amqp_uri}, timeout=self.timeout)
                        rpc = proxy.start()
                    except Exception:  # the broker is away: nothing was sent; try again shortly
                        proxy = rpc = None
                        time.sleep(0.5)
                        continue
                try:
                    getattr(getattr(rpc, command.service), command.method)(command.payload)
                    self.outcomes.append(Outcome(command, "accepted"))
                except RemoteError as exc:  # the service answered: it ran and rolled back
                    status = "refused" if exc.exc_type == "CommandRefused" else "failed"
                    refusal = parse_refusal(exc.exc_type, exc.value or "")
                    if refusal is not None and refusal["code"] == "already_applied":
                        status = "applied_unanswered"  # ADR 060: applied, its result not given
                    self.outcomes.append(Outcome(command, status, f"{exc.exc_type}: {exc.value}"[:300]))
                except Exception as exc:  # no answer: the command may or may not have run
                    self.outcomes.append(Outcome(command, "unknown", f"{type(exc).__name__}: {exc}"[:300]))
                    _discard(proxy)
                    proxy = rpc = None
                    time.sleep(0.2)
        finally:
            _discard(proxy)

    def start(self, commands) -> CommandStream:
        self._thread = eventlet.spawn(self.send_all, commands)
        return self

    def wait_for(self, accepted: int, timeout: float = 60.0) -> None:
        """Until `accepted` more commands than now were accepted."""
        target = self.count("accepted") + accepted
        deadline = time.monotonic() + timeout
        while self.count("accepted") < target:
            assert time.monotonic() < deadline, f"stream stalled: {self.summary()}"
            assert not self._thread.dead, f"stream ended early: {self.summary()}"  # type: ignore[attr-defined]
            time.sleep(0.1)

    def stop(self) -> None:
        self._stopped = True
        self._thread.wait()  # type: ignore[attr-defined]

    def summary(self) -> dict[str, int]:
        return {
            s: self.count(s) for s in ("accepted", "refused", "failed", "applied_unanswered", "unknown")
        } | {"sent": self.count()}


def _discard(proxy: ClusterRpcProxy | None) -> None:
    if proxy is None:
        return
    try:
        with eventlet.Timeout(5):
            proxy.stop()
    except BaseException:  # a proxy on a dead connection cannot always stop cleanly
        pass
