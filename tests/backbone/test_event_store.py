"""The event store's contract, run on SQLite and on PostgreSQL with the same code."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventlog.engine import make_engine
from eventlog.envelope import Metadata, NewEvent, chain_hash
from eventlog.errors import ConcurrencyConflict
from eventlog.schema import metadata as backbone_metadata
from eventlog.store import EventStore
from eventlog.verify import verify_log


@pytest.fixture
def store(db_url):
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    yield EventStore(engine)
    engine.dispose()


def registered(name: str) -> NewEvent:
    return NewEvent("OrganizationRegistered", {"org_id": name, "name": name, "kind": "cell"})


def test_appending_at_the_expected_version_assigns_versions_and_positions(store):
    first = store.append("org-1", 0, [registered("a"), registered("b")])
    second = store.append("org-2", 0, [registered("c")])

    assert [(e.stream_version, e.position) for e in first] == [(1, 1), (2, 2)]
    assert [(e.stream_version, e.position) for e in second] == [(1, 3)]
    assert store.stream_version("org-1") == 2
    assert store.head() == 3


def test_a_stale_expected_version_raises_a_conflict_and_writes_nothing(store):
    store.append("org-1", 0, [registered("a")])

    with pytest.raises(ConcurrencyConflict) as raised:
        store.append("org-1", 0, [registered("late"), registered("later")])

    assert raised.value.expected == 0 and raised.value.actual == 1
    assert [e.payload["name"] for e in store.read_stream("org-1")] == ["a"]
    assert store.head() == 1


def test_an_expected_version_ahead_of_the_stream_is_also_a_conflict(store):
    with pytest.raises(ConcurrencyConflict):
        store.append("org-1", 3, [registered("a")])
    assert store.head() == 0


def test_every_event_carries_its_metadata(store):
    meta = Metadata(actor="user:nguyen.van.a", correlation_id="corr-1", causation_id="cmd-7")
    store.append("org-1", 0, [registered("a")], meta)

    [event] = store.read_stream("org-1")

    assert event.metadata["actor"] == "user:nguyen.van.a"
    assert event.metadata["correlation_id"] == "corr-1"
    assert event.metadata["causation_id"] == "cmd-7"
    assert event.metadata["occurred_at"].endswith("Z")
    assert event.recorded_at.endswith("Z")
    assert event.type == "OrganizationRegistered" and event.schema_version == 1
    assert len(event.event_id) == 32


def test_payloads_keep_vietnamese_text_exactly(store):
    store.append("org-1", 0, [NewEvent("OrganizationRegistered", {"name": "Chi bộ Thôn Đông"})])
    assert store.read_stream("org-1")[0].payload["name"] == "Chi bộ Thôn Đông"


def test_reading_a_stream_after_a_version(store):
    store.append("org-1", 0, [registered("a"), registered("b"), registered("c")])
    assert [e.payload["name"] for e in store.read_stream("org-1", after_version=1)] == ["b", "c"]


def test_read_all_pages_through_the_whole_log_in_order(store):
    for i in range(25):
        store.append(f"org-{i % 4}", None, [registered(str(i))])

    page = store.read_all(after_position=10, limit=5)
    everything = list(store.iter_all(batch=7))

    assert [e.position for e in page] == [11, 12, 13, 14, 15]
    assert [e.position for e in everything] == list(range(1, 26))
    assert [e.payload["name"] for e in everything] == [str(i) for i in range(25)]


def test_events_chain_their_hashes(store):
    store.append("org-1", 0, [registered("a"), registered("b")])
    a, b = store.read_all()
    assert b.prev_hash == a.hash and a.hash != b.hash


def test_appending_inside_a_callers_transaction_rolls_back_with_it(store):
    with pytest.raises(RuntimeError):
        with store.engine.begin() as conn:
            store.append("org-1", 0, [registered("a")], conn=conn)
            raise RuntimeError("the state change failed")
    assert store.head() == 0
    assert store.append("org-1", 0, [registered("a")])[0].position == 1


def test_an_event_id_is_stored_once(store):
    event = registered("a")
    store.append("org-1", 0, [event])
    with pytest.raises(ConcurrencyConflict):
        store.append("org-2", 0, [event])
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM event_log")).scalar() == 1


# The single-event fast path chains to the head this store last wrote, guarded by that
# head's hash: the tests below move the head under it in every way a second writer, a
# rollback or a conflict can, and check that the chain stays whole.


def test_two_stores_appending_in_turn_keep_one_unbroken_chain(store):
    other = EventStore(make_engine(str(store.engine.url.render_as_string(hide_password=False))))
    try:
        for i in range(20):
            writer = store if i % 3 else other  # runs of two, then a switch
            writer.append(f"org-{i}", 0, [registered(f"{i}.{k}") for k in range(1 + i % 4)])
        report = verify_log(store.engine)
        assert report.ok, report
        events = store.read_all(limit=100)
        assert [e.position for e in events] == list(range(1, 51))
        stamps = [e.recorded_at for e in events]
        assert stamps == sorted(stamps)  # recorded_at never goes back along the log
    finally:
        other.engine.dispose()


def test_a_rolled_back_append_leaves_no_wrong_link_for_the_next(store):
    other = EventStore(make_engine(str(store.engine.url.render_as_string(hide_password=False))))
    try:
        store.append("org-1", 0, [registered("a")])
        with pytest.raises(RuntimeError):
            with store.engine.begin() as conn:
                store.append("org-2", 0, [registered("rolled back")], conn=conn)
                raise RuntimeError("the state change failed")
        # Position 2 is taken by another writer with a different hash than the one this
        # store computed for its rolled-back event.
        other.append("org-3", 0, [registered("c")])
        store.append("org-2", 0, [registered("b")])
        assert verify_log(store.engine).ok
        assert [e.payload["name"] for e in store.read_all()] == ["a", "c", "b"]
    finally:
        other.engine.dispose()


def test_conflicts_are_caught_when_the_store_knows_the_head(store):
    store.append("org-1", 0, [registered("a")])
    with pytest.raises(ConcurrencyConflict):
        store.append("org-1", 0, [registered("stale")])
    with pytest.raises(ConcurrencyConflict):
        store.append("org-1", 5, [registered("ahead")])
    with pytest.raises(ConcurrencyConflict):
        store.append("org-9", 1, [registered("ahead of a new stream")])
    assert store.head() == 1
    assert store.append("org-1", 1, [registered("b")])[0].position == 2
    assert verify_log(store.engine).ok


def test_events_appended_after_rows_written_by_hand_chain_to_them(store):
    """A row another program wrote (here, plain SQL copying the head's link) is the head
    the next append must chain to, not the one the store remembers."""
    store.append("org-1", 0, [registered("a")])
    [a] = store.read_all()
    forged = registered("by hand")

    digest = chain_hash(
        a.hash, 2, "org-x", 1, forged.event_id, forged.type, 1, "{}", a.metadata_json, a.recorded_at
    )
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO event_log (position, stream_id, stream_version, event_id, event_type,"
                " schema_version, payload, metadata, recorded_at, prev_hash, hash) VALUES"
                " (2, 'org-x', 1, :e, :t, 1, '{}', :m, :r, :p, :h)"
            ),
            {
                "e": forged.event_id,
                "t": forged.type,
                "m": a.metadata_json,
                "r": a.recorded_at,
                "p": a.hash,
                "h": digest,
            },
        )
    [b] = store.append("org-1", 1, [registered("b")])
    assert (b.position, b.prev_hash) == (3, digest)
    assert verify_log(store.engine).ok
