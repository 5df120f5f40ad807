"""`verify` names the first position where someone altered the log with plain SQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.schema import metadata as backbone_metadata
from eventlog.store import EventStore
from eventlog.verify import verify_log


@pytest.fixture
def store(db_url):
    engine = make_engine(db_url)
    backbone_metadata.create_all(engine)
    store = EventStore(engine)
    for i in range(1, 11):
        store.append(
            f"member-{i % 3}", None, [NewEvent("MemberEnrolled", {"n": i, "name": f"Đảng viên {i}"})]
        )
    yield store
    engine.dispose()


def sql(store: EventStore, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(statement)


def test_an_untouched_log_verifies(store):
    report = verify_log(store.engine)
    assert report.ok and report.checked == 10 and report.first_bad_position is None


def test_an_edited_payload_is_reported_at_its_position(store):
    sql(store, """UPDATE event_log SET payload = '{"n":4,"name":"someone else"}' WHERE position = 4""")
    report = verify_log(store.engine)
    assert not report.ok and report.first_bad_position == 4 and "edited" in report.problem


def test_edited_metadata_is_reported_too(store):
    sql(store, """UPDATE event_log SET metadata = '{"actor":"intruder"}' WHERE position = 7""")
    assert verify_log(store.engine).first_bad_position == 7


def test_a_deleted_event_is_reported_where_it_was(store):
    sql(store, "DELETE FROM event_log WHERE position = 5")
    report = verify_log(store.engine)
    assert report.first_bad_position == 5 and "deleted" in report.problem


def test_an_inserted_event_is_reported_where_it_was_slipped_in(store):
    sql(store, "UPDATE event_log SET position = position + 100 WHERE position >= 6")
    sql(store, "UPDATE event_log SET position = position - 99 WHERE position >= 106")
    sql(
        store,
        """INSERT INTO event_log (position, stream_id, stream_version, event_id, event_type,
        schema_version, payload, metadata, recorded_at, prev_hash, hash)
        SELECT 6, 'member-x', 1, 'forged', 'MemberEnrolled', 1, '{}', '{}', recorded_at,
        hash, hash FROM event_log WHERE position = 5""",
    )
    report = verify_log(store.engine)
    assert not report.ok and report.first_bad_position == 6


def test_two_swapped_events_are_reported_at_the_first_of_them(store):
    sql(store, "UPDATE event_log SET position = -3 WHERE position = 3")
    sql(store, "UPDATE event_log SET position = 3 WHERE position = 8")
    sql(store, "UPDATE event_log SET position = 8 WHERE position = -3")
    report = verify_log(store.engine)
    assert not report.ok and report.first_bad_position == 3


def test_an_edit_with_a_recomputed_hash_still_breaks_the_next_link(store):
    from eventlog.envelope import chain_hash

    with store.engine.begin() as conn:
        row = conn.execute(sa.text("SELECT * FROM event_log WHERE position = 2")).mappings().one()
        forged_payload = '{"n":2,"name":"forged"}'
        digest = chain_hash(
            row["prev_hash"],
            2,
            row["stream_id"],
            row["stream_version"],
            row["event_id"],
            row["event_type"],
            row["schema_version"],
            forged_payload,
            row["metadata"],
            row["recorded_at"],
        )
        conn.execute(
            sa.text("UPDATE event_log SET payload = :p, hash = :h WHERE position = 2"),
            {"p": forged_payload, "h": digest},
        )
    report = verify_log(store.engine)
    assert not report.ok and report.first_bad_position == 3 and "predecessor" in report.problem


def test_events_deleted_from_the_end_after_publishing_are_reported(store):
    sql(store, "INSERT INTO relay_progress (name, position, owner, lease_until) VALUES ('s', 10, NULL, 0)")
    sql(store, "DELETE FROM event_log WHERE position >= 9")
    report = verify_log(store.engine)
    assert not report.ok and report.first_bad_position == 9
