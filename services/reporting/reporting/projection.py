"""The projection the inbox applies: one event -> facts, committee posts and tree changes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import sqlalchemy as sa

from eventlog.engine import is_postgres
from eventlog.inbox import Envelope, UnreadableEvent

from .facts import FACTS_OF, Fact
from .rollup_store import changing_figures, group_keys_of, record_instant
from .tables import FACT_COLUMNS, member_posts
from .tree import TREE_EVENTS, apply_tree_event

COMMITTEE_POSTS = {"secretary", "deputy", "committee_member"}
CHUNK = 1000
POST_EVENTS = {"MemberEnrolled": "enrolled_on", "MemberTransferred": "effective_on"}


class Reading(NamedTuple):
    """What one event changes in reporting's tables."""

    facts: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    tree_change: dict[str, Any] | None


class ReportingProjection:
    """Reads every source's envelopes tolerantly; writes only reporting's own tables."""

    def read(self, envelope: Envelope) -> Reading | None:
        kind, payload = envelope["type"], envelope["payload"]
        if kind not in FACTS_OF and kind not in POST_EVENTS and kind not in TREE_EVENTS:
            return None
        try:
            found = FACTS_OF[kind](payload) if kind in FACTS_OF else []
            posts = _posts(envelope) if kind in POST_EVENTS else []
            rows = [_fact_row(envelope, fact) for fact in found]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UnreadableEvent(f"{kind} payload is unreadable: {exc!r}") from exc
        return Reading(rows, posts, payload if kind in TREE_EVENTS else None)

    def apply(self, conn: sa.Connection, envelope: Envelope, reading: Reading) -> None:
        recorded_at = str(envelope.get("recorded_at") or "")

        def write() -> None:
            changed_tree = reading.tree_change is not None and apply_tree_event(
                conn, envelope["type"], reading.tree_change, recorded_at
            )
            write_rows(conn, reading.facts, reading.posts)
            if changed_tree or reading.facts:  # what an "as of" report may have to leave out
                record_instant(conn, recorded_at)

        changing_figures(conn, group_keys_of(reading.facts, reading.posts), write)


def write_rows(
    conn: sa.Connection, fact_rows: list[dict[str, Any]], post_rows: Iterable[dict[str, Any]] = ()
) -> None:
    """Insert facts (a fact counted once per subject skips its repeats) and posts."""
    if fact_rows:
        _insert_facts(conn, fact_rows)
    posts = list(post_rows)
    if posts:
        conn.execute(member_posts.insert(), posts)


def _insert_facts(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Straight to the driver: SQLAlchemy's per-row compile and psycopg2's row-at-a-time
    executemany were what kept a replay slow. A repeat of a once-only fact is skipped."""
    values = [tuple(row[c] for c in FACT_COLUMNS) for row in rows]
    columns = ", ".join(FACT_COLUMNS)
    if is_postgres(conn):
        from psycopg2.extras import execute_values

        with conn.connection.driver_connection.cursor() as cursor:
            execute_values(
                cursor,
                f"INSERT INTO report_facts ({columns}) VALUES %s ON CONFLICT DO NOTHING",
                values,
                page_size=CHUNK,
            )
    else:
        marks = ", ".join("?" * len(FACT_COLUMNS))
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO report_facts ({columns}) VALUES ({marks})", values)


def _fact_row(envelope: Envelope, fact: Fact) -> dict[str, Any]:
    if not isinstance(fact.org_id, str) or not isinstance(fact.on_date, str) or len(fact.on_date) != 10:
        raise ValueError(f"fact {fact.metric} needs an org_id and an ISO date")
    return {
        "metric": fact.metric,
        "org_id": fact.org_id,
        "on_date": fact.on_date,
        "value": int(fact.value),
        "subject_kind": fact.subject_kind,
        "subject_id": fact.subject_id,
        "ref": fact.ref,
        "once_key": f"{fact.metric}:{fact.ref}" if fact.once else None,
        "source": envelope["source"],
        "position": envelope["position"],
        "event_id": str(envelope.get("event_id") or ""),
        "event_type": envelope["type"],
        "recorded_at": str(envelope.get("recorded_at") or ""),
    }


def _posts(envelope: Envelope) -> list[dict[str, Any]]:
    p = envelope["payload"]
    committee = bool(COMMITTEE_POSTS.intersection(p.get("posts_in_cell") or []))
    return [
        {
            "member_id": p["member_id"],
            "valid_from": p[POST_EVENTS[envelope["type"]]],
            "committee": committee,
            "position": envelope["position"],
        }
    ]
