"""Tamper: rows edited, deleted and inserted with plain SQL in each service's own
database (plans, sessions, oversight, and reporting's own empty log), on a running system.

What is proved:
- `verify_log` over RPC on the tampered service names the exact position: an edited
  payload or metadata, a deleted row, a row slipped in (the position it took); a row
  slipped in with a correctly recomputed hash of its own is named at its own position by
  its missing seal (the chain alone names the next genuine event, which no longer links).
- "A replay never silently accepts a tampered log" is defined as: the audit replay
  (`python -m reporting.replay`), run as documented, ends with a non-zero exit status and
  says which service and position. It holds for `replay verify` and for `replay rebuild`
  (which checks every chain first and refuses, exit 2, leaving the projections
  untouched) for every kind of tampering; a rebuild told to skip that check still ends
  with exit 1 and DIFFERS lines when the tampering changed a figure.
- A forged event with a correctly chained hash (slipped in, or appended at the end, which
  the chain alone cannot tell from a real one) carries no seal of the service's key
  (eventlog.seal) and is named at its own position.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa
from nameko.standalone.rpc import ClusterRpcProxy

from eventlog.engine import make_engine
from eventlog.envelope import chain_hash
from eventlog.seal import seal_key
from eventlog.verify import verify_log

from .ledger import settle, whole
from .stream import BASE_CELLS, DISTRICT, cell, session
from .supervisor import ROOT

COLUMNS = (
    "position",
    "stream_id",
    "stream_version",
    "event_id",
    "event_type",
    "schema_version",
    "payload",
    "metadata",
    "recorded_at",
    "prev_hash",
    "hash",
    "seal",
)
PRODUCERS = ("plans", "sessions", "oversight")
TAMPERED_AT = 3


@pytest.fixture(scope="module")
def seeded(sqlite_system):
    """A few events in every producer's log."""
    whole(sqlite_system)
    with ClusterRpcProxy({"AMQP_URI": sqlite_system.amqp_uri}, timeout=30) as rpc:
        for n in range(1, 5):
            rpc.plans.register_organization(cell("tamper", n).payload)
        settle(sqlite_system.amqp_uri)
        for n in range(1, 5):
            rpc.sessions.schedule_session(session("tamper", n).payload)
        for n in range(1, 5):
            rpc.oversight.suggest_review(
                {
                    "suggestion_id": f"tamper-gy{n}",
                    "suggesting_body_org_id": DISTRICT,
                    "suggesting_body_type": "standing_committee",
                    "target_kind": "collective",
                    "target_id": BASE_CELLS[n % 3],
                    "points": ["Chậm triển khai kế hoạch"],
                    "suggested_on": "2025-05-02",
                }
            )
    settle(sqlite_system.amqp_uri)
    return sqlite_system


class Log:
    """Direct SQL on one service's event_log, put back as it was afterwards."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._conn: sa.Connection | None = None  # the transaction `slip_in` runs in
        with self.engine.connect() as conn:
            self.original = [
                tuple(r)
                for r in conn.exec_driver_sql(f"SELECT {', '.join(COLUMNS)} FROM event_log ORDER BY position")
            ]

    def sql(self, statement: str, *params) -> None:
        if self._conn is not None:
            self._conn.exec_driver_sql(statement, params)
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql(statement, params)

    def insert(self, row: tuple) -> None:
        """A row as stored (with its seal), or a forged one without a seal."""
        row = tuple(row) + (None,) * (len(COLUMNS) - len(row))
        marks = ", ".join("?" * len(COLUMNS))
        self.sql(f"INSERT INTO event_log ({', '.join(COLUMNS)}) VALUES ({marks})", *row)

    def slip_in(self, at: int, rehash: bool, keep_head: bool = True) -> None:
        """Make room at `at` and insert a forged event there, as an intruder would, in one
        transaction: the running relay must never see the head pushed one further (it
        would publish that position, and every later replay would report it deleted)."""
        with self.engine.begin() as self._conn:
            try:
                self._slip_in(at, rehash, keep_head)
            finally:
                self._conn = None

    def _slip_in(self, at: int, rehash: bool, keep_head: bool) -> None:
        self.sql("UPDATE event_log SET position = -position WHERE position >= ?", at)
        self.sql("UPDATE event_log SET position = 1 - position WHERE position < 0")
        before = self.original[at - 2]
        template = self.original[at - 1]
        forged = [
            at,
            template[1] + "-forged",
            1,
            "f" * 32,
            template[4],
            template[5],
            template[6],
            template[7],
            template[8],
            before[10],
            "0" * 64,
        ]
        if rehash:
            forged[10] = chain_hash(
                before[10], at, forged[1], 1, forged[3], forged[4], forged[5], forged[6], forged[7], forged[8]
            )
        self.insert(tuple(forged))
        # Drop what was pushed past the old head, so the head stays where the relay left
        # it and the running relay publishes nothing of this.
        if keep_head:
            self.sql("DELETE FROM event_log WHERE position > ?", self.original[-1][0])

    def restore(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM event_log")
        for row in self.original:
            self.insert(row)
        self.engine.dispose()


def verify(amqp_uri: str, service: str) -> dict:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=30) as rpc:
        return getattr(rpc, service).verify_log()


TAMPERING = {
    "edited payload": lambda log: log.sql(
        "UPDATE event_log SET payload = replace(payload, '20', '19') WHERE position = ?", TAMPERED_AT
    ),
    "edited metadata": lambda log: log.sql(
        """UPDATE event_log SET metadata = replace(metadata, '"actor":"', '"actor":"x') WHERE position = ?""",
        TAMPERED_AT,
    ),
    "deleted row": lambda log: log.sql("DELETE FROM event_log WHERE position = ?", TAMPERED_AT),
    "inserted row": lambda log: log.slip_in(TAMPERED_AT, rehash=False),
}


@pytest.mark.parametrize("service", PRODUCERS)
@pytest.mark.parametrize("kind", list(TAMPERING))
def test_verify_names_the_exact_position(seeded, service, kind):
    log = Log(seeded.database_url(service))
    assert len(log.original) >= 4
    assert verify(seeded.amqp_uri, service)["ok"]
    try:
        TAMPERING[kind](log)
        report = verify(seeded.amqp_uri, service)
    finally:
        log.restore()
    assert report["ok"] is False and report["first_bad_position"] == TAMPERED_AT, report
    assert verify(seeded.amqp_uri, service)["ok"]


@pytest.mark.parametrize("service", PRODUCERS)
def test_a_forged_row_with_a_plausible_hash_is_named_at_its_own_position(seeded, service):
    """The forger recomputed the inserted row's own hash, so it links to its predecessor;
    but it carries no seal of the service's key (eventlog.seal): the service's verify
    names the forged row itself. The chain alone would name the next genuine event."""
    log = Log(seeded.database_url(service))
    try:
        log.slip_in(TAMPERED_AT, rehash=True)
        report = verify(seeded.amqp_uri, service)
        unkeyed = verify_log(log.engine)
    finally:
        log.restore()
    assert report["ok"] is False and report["first_bad_position"] == TAMPERED_AT, report
    assert "without the key" in report["problem"] and report["seals_checked"] is True
    assert unkeyed.first_bad_position == TAMPERED_AT + 1 and "inserted" in unkeyed.problem
    assert verify(seeded.amqp_uri, service)["ok"]


def test_reportings_own_log_is_verified_too(seeded):
    """Reporting publishes nothing; a row slipped into its empty log is still caught."""
    log = Log(seeded.database_url("reporting"))
    assert log.original == []
    try:
        log.insert(
            (
                1,
                "forged",
                1,
                "e" * 32,
                "SessionHeld",
                1,
                "{}",
                "{}",
                "2025-01-01T00:00:00.000000Z",
                "1" * 64,
                "2" * 64,
            )
        )
        report = verify(seeded.amqp_uri, "reporting")
    finally:
        log.restore()
    assert report["ok"] is False and report["first_bad_position"] == 1


def replay(system, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**system.env, "REPORTING_DATABASE_URL": system.database_url("reporting")}
    return subprocess.run(
        [sys.executable, "-m", "reporting.replay", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def rebuild_args(system, tmp_path) -> list[str]:
    sources = [f"--from-database={s}={system.database_url(s)}" for s in PRODUCERS]
    return ["rebuild", "--target-url", f"sqlite:///{tmp_path / 'rebuilt.db'}", *sources]


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_replay_verify_names_the_tampered_service_and_position(seeded, kind):
    log = Log(seeded.database_url("sessions"))
    try:
        TAMPERING[kind](log)
        checked = replay(seeded, "verify")
    finally:
        log.restore()
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"sessions: TAMPERED at position {TAMPERED_AT}" in checked.stdout, checked.stdout
    assert "plans: ok" in checked.stdout and "oversight: ok" in checked.stdout


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_a_rebuild_refuses_a_tampered_log_and_leaves_the_projections_untouched(seeded, tmp_path, kind):
    untouched = replay(seeded, *rebuild_args(seeded, tmp_path))
    assert untouched.returncode == 0, untouched.stdout + untouched.stderr
    seeded.stop("sessions")  # its relay must not publish the log's new last position
    log = Log(seeded.database_url("sessions"))
    target = tmp_path / "rebuilt.db"
    target.unlink()
    try:
        TAMPERING[kind](log)
        rebuilt = replay(seeded, *rebuild_args(seeded, tmp_path))
    finally:
        log.restore()
        seeded.start("sessions")
    assert rebuilt.returncode == 2, rebuilt.stdout + rebuilt.stderr
    assert f"sessions: TAMPERED at position {TAMPERED_AT}" in rebuilt.stdout, rebuilt.stdout
    assert "plans: ok" in rebuilt.stdout and "oversight: ok" in rebuilt.stdout
    assert not target.exists(), "nothing may be written when the replay is refused"


@pytest.mark.parametrize("kind", ["deleted row", "inserted row"])
def test_a_rebuild_told_not_to_verify_still_exits_1_when_figures_differ(seeded, tmp_path, kind):
    """The rebuilt figures no longer match the live ones: exit 1 with DIFFERS lines."""
    seeded.stop("sessions")
    log = Log(seeded.database_url("sessions"))
    try:
        if kind == "inserted row":
            log.slip_in(TAMPERED_AT, rehash=True, keep_head=False)
        else:
            TAMPERING[kind](log)
        rebuilt = replay(seeded, *rebuild_args(seeded, tmp_path), "--skip-verify")
    finally:
        log.restore()
        seeded.start("sessions")
    assert rebuilt.returncode == 1 and "DIFFERS" in rebuilt.stdout, rebuilt.stdout + rebuilt.stderr


def test_a_forged_event_appended_at_the_end_is_reported(seeded, tmp_path):
    """On a copy of oversight's database (so the running relay cannot publish the forgery)."""
    copy = tmp_path / "oversight-copy.db"
    source = sqlite3.connect(sa.engine.make_url(seeded.database_url("oversight")).database)
    with sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    log = Log(f"sqlite:///{copy}")
    last = log.original[-1]
    at = last[0] + 1
    digest = chain_hash(
        last[10], at, "forged-stream", 1, "d" * 32, last[4], last[5], last[6], last[7], last[8]
    )
    log.insert(
        (at, "forged-stream", 1, "d" * 32, last[4], last[5], last[6], last[7], last[8], last[10], digest)
    )
    report = verify_log(log.engine, seal_key=seal_key("oversight", str(seeded.var_dir), create=False))
    unkeyed = verify_log(log.engine)
    log.engine.dispose()
    assert report.ok is False and report.first_bad_position == at, report
    assert "carries no seal" in report.problem
    assert unkeyed.ok  # what the chain alone cannot tell: the seal is what names it
