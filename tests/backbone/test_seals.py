"""Seals (eventlog.seal): with the service's key, `verify` also names a row that someone
without the key wrote, however correctly they chained its hash."""

from __future__ import annotations

import os
import stat

import pytest
import sqlalchemy as sa

from eventlog.engine import make_engine
from eventlog.envelope import NewEvent, chain_hash
from eventlog.migrations import add_event_seals
from eventlog.schema import metadata as backbone_metadata
from eventlog.seal import Sealer, key_file, seal_key
from eventlog.store import EventStore
from eventlog.verify import verify_log

KEY = bytes.fromhex("5e" * 32)
COLUMNS = (
    "position, stream_id, stream_version, event_id, event_type, schema_version,"
    " payload, metadata, recorded_at, prev_hash, hash"
)


@pytest.fixture
def store(db_url):
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    store = EventStore(engine, seal_key=KEY)
    for i in range(1, 9):
        store.append(f"member-{i}", 0, [NewEvent("MemberEnrolled", {"n": i, "name": f"Đảng viên {i}"})])
    yield store
    engine.dispose()


def rows(store: EventStore) -> list[sa.Row]:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT {COLUMNS}, seal FROM event_log ORDER BY position")).all()


def append_by_hand(store: EventStore, seal: str | None) -> int:
    """What someone with write access to the database but not the key can do: a new row
    at the end, chained with the public formula, with no seal or a made-up one."""
    last = rows(store)[-1]
    at = last.position + 1
    digest = chain_hash(
        last.hash,
        at,
        "forged",
        1,
        "f" * 32,
        last.event_type,
        1,
        last.payload,
        last.metadata,
        last.recorded_at,
    )
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                f"INSERT INTO event_log ({COLUMNS}, seal) VALUES (:at, 'forged', 1, :e, :t, 1, :p, :m, :r,"
                " :prev, :h, :s)"
            ),
            {
                "at": at,
                "e": "f" * 32,
                "t": last.event_type,
                "p": last.payload,
                "m": last.metadata,
                "r": last.recorded_at,
                "prev": last.hash,
                "h": digest,
                "s": seal,
            },
        )
    return at


def test_every_event_is_sealed_and_the_log_verifies_with_the_key(store):
    sealer = Sealer(KEY)
    assert all(row.seal == sealer(row.hash) for row in rows(store))
    report = verify_log(store.engine, seal_key=KEY)
    assert report.ok and report.checked == 8 and report.sealed
    assert report.to_dict()["seals_checked"] is True


@pytest.mark.parametrize("seal", [None, "0" * 64, "a seal under another key"])
def test_a_forged_event_appended_at_the_end_is_named_at_its_position(store, seal):
    if seal == "a seal under another key":
        seal = Sealer(b"not the service's key, 32 bytes!")(rows(store)[-1].hash)
    at = append_by_hand(store, seal)
    assert verify_log(store.engine).ok  # the chain alone cannot tell
    report = verify_log(store.engine, seal_key=KEY)
    assert not report.ok and report.first_bad_position == at == 9
    assert "without the key" in report.problem


def test_an_edit_with_the_rest_of_the_chain_re_hashed_is_named_where_it_began(store):
    """Edit event 5 and recompute every hash from there on: the chain is whole again, but
    the seals were made over the old hashes."""
    original = rows(store)
    prev = original[3].hash
    with store.engine.begin() as conn:
        for row in original[4:]:
            payload = '{"n":5,"name":"someone else"}' if row.position == 5 else row.payload
            digest = chain_hash(
                prev,
                row.position,
                row.stream_id,
                row.stream_version,
                row.event_id,
                row.event_type,
                row.schema_version,
                payload,
                row.metadata,
                row.recorded_at,
            )
            conn.execute(
                sa.text(
                    "UPDATE event_log SET payload = :p, prev_hash = :prev, hash = :h WHERE position = :at"
                ),
                {"p": payload, "prev": prev, "h": digest, "at": row.position},
            )
            prev = digest
    assert verify_log(store.engine).ok
    report = verify_log(store.engine, seal_key=KEY)
    assert not report.ok and report.first_bad_position == 5


def test_a_store_without_the_key_writes_unsealed_events_that_the_key_refuses(store):
    keyless = EventStore(store.engine)
    keyless.append("member-x", 0, [NewEvent("MemberEnrolled", {"n": 0})])
    report = verify_log(store.engine, seal_key=KEY)
    assert not report.ok and report.first_bad_position == 9 and "carries no seal" in report.problem
    # Back with the key, the store goes on sealing; the unsealed row stays reported.
    store.append("member-y", 0, [NewEvent("MemberEnrolled", {"n": 1})])
    assert verify_log(store.engine, seal_key=KEY).first_bad_position == 9


def test_the_migration_seals_the_events_already_in_the_log(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANS_SEAL_KEY", KEY.hex())
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    EventStore(engine).append("org-1", 0, [NewEvent("OrganizationRegistered", {"org_id": "o"})] * 1)
    EventStore(engine).append("org-2", 0, [NewEvent("OrganizationRegistered", {"org_id": "p"})])
    assert not verify_log(engine, seal_key=KEY).ok
    with engine.begin() as conn:
        add_event_seals(conn, "plans")
        add_event_seals(conn, "plans")  # twice is harmless
    assert verify_log(engine, seal_key=KEY).ok
    engine.dispose()


def test_the_key_comes_from_the_environment_or_a_private_key_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSIONS_SEAL_KEY", raising=False)
    monkeypatch.delenv("EVENTLOG_SEAL_KEY", raising=False)
    assert seal_key("sessions", str(tmp_path), create=False) is None
    made = seal_key("sessions", str(tmp_path))
    assert made is not None and len(made) == 32
    path = key_file("sessions", str(tmp_path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert seal_key("sessions", str(tmp_path)) == made  # the same key on every start
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions.seal-key"]
    monkeypatch.setenv("EVENTLOG_SEAL_KEY", "ab" * 16)
    assert seal_key("sessions", str(tmp_path)) == bytes.fromhex("ab" * 16)
    monkeypatch.setenv("SESSIONS_SEAL_KEY", "cd" * 16)
    assert seal_key("sessions", str(tmp_path)) == bytes.fromhex("cd" * 16)
    with pytest.raises(ValueError):
        Sealer(b"short")
