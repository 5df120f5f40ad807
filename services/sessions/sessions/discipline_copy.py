"""The local record of discipline, built from the oversight service's events.

A DisciplineImposed that contradicts a rating already recorded for that year (the
member's, the organisation's own, or its parent's through the share of disciplined
units), and an AppealDecided that quashes a decision which held a rating to "not
completed", flag the rating for review in the same transaction that records them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.inbox import Envelope, UnreadableEvent
from sessions.domain import DisciplineRecord, DisciplineRegister, SubjectKind
from sessions.organisation_copy import StoredOrganisations
from sessions.rating_snapshots import save_rating_events
from sessions.streams import load_rating_round, new_events, scope_and_year
from sessions.tables import disciplines, ratings


class DisciplineProjection:
    """Applies DisciplineImposed and AppealDecided; flags the ratings they put in doubt."""

    def __init__(self, log: WorkerEventLog) -> None:
        self.log = log

    def read(self, envelope: Envelope) -> Any | None:
        payload = envelope["payload"]
        try:
            if envelope["type"] == "DisciplineImposed":
                return DisciplineRecord.from_discipline_imposed(payload)
            if envelope["type"] == "AppealDecided":
                return {
                    "decision_id": str(payload["decision_id"]),
                    "outcome": payload.get("outcome"),
                    "new_form": payload.get("new_form"),
                }
        except (KeyError, TypeError, ValueError) as exc:
            raise UnreadableEvent(f"{envelope['type']} payload unreadable: {exc!r}") from exc
        return None

    def apply(self, conn: sa.Connection, envelope: Envelope, event: Any) -> None:
        flagged_on = date.fromisoformat(envelope["recorded_at"][:10])
        if isinstance(event, DisciplineRecord):
            conn.execute(disciplines.delete().where(disciplines.c.decision_id == event.discipline_id))
            conn.execute(
                disciplines.insert().values(
                    decision_id=event.discipline_id,
                    member_id=event.member_id,
                    org_id=event.org_id,
                    decided_on=event.decided_on.isoformat(),
                    year=event.decided_on.year,
                    form=event.form,
                    self_detected_and_remedied=event.self_detected_and_remedied,
                    quashed=event.quashed,
                    enforced=event.enforced,
                )
            )
            self._flag_ratings(conn, event, flagged_on)
            return
        decision = disciplines.c.decision_id == event["decision_id"]
        if event["outcome"] == "quashed":
            conn.execute(disciplines.update().where(decision).values(quashed=True))
            row = conn.execute(sa.select(disciplines).where(decision)).first()
            if row is not None:
                self._flag_ratings(conn, _record(row), flagged_on)
        elif event["outcome"] == "changed" and event["new_form"]:
            conn.execute(disciplines.update().where(decision).values(form=event["new_form"]))

    def _flag_ratings(self, conn: sa.Connection, record: DisciplineRecord, flagged_on: date) -> None:
        organisations = StoredOrganisations(conn)
        register = discipline_register(conn, record.decided_on.year)
        for round_id in _rounds_it_bears_on(conn, record, organisations):
            rating_round = load_rating_round(conn, *scope_and_year(round_id))
            base = rating_round.version
            flags = rating_round.flag_for_review(record, flagged_on, register, organisations)
            if flags:
                self.log.append(round_id, base, new_events(flags), conn)
                save_rating_events(conn, round_id, flags)


def _rounds_it_bears_on(
    conn: sa.Connection, record: DisciplineRecord, organisations: StoredOrganisations
) -> list[str]:
    """The rating rounds holding a rating of the discipline's year that it may bear on:
    the member's, or the organisation's own and its parent's (whose units it counts in)."""
    if record.member_id is not None:
        subject = (ratings.c.subject_kind == SubjectKind.MEMBER.value) & (
            ratings.c.subject_id == record.member_id
        )
    else:
        found = organisations.find(record.org_id)
        org_ids = [record.org_id, *([found.parent_id] if found and found.parent_id else [])]
        subject = (ratings.c.subject_kind == SubjectKind.ORGANISATION.value) & ratings.c.subject_id.in_(
            org_ids
        )
    rows = conn.execute(
        sa.select(ratings.c.round_id).where(subject, ratings.c.year == record.decided_on.year).distinct()
    )
    return sorted(row.round_id for row in rows)


def discipline_register(conn: sa.Connection, year: int) -> DisciplineRegister:
    """Every discipline decided in `year`, as the rating rules read them."""
    rows = conn.execute(sa.select(disciplines).where(disciplines.c.year == year))
    return DisciplineRegister([_record(r) for r in rows])


def _record(row: sa.Row[Any]) -> DisciplineRecord:
    return DisciplineRecord(
        discipline_id=row.decision_id,
        member_id=row.member_id,
        org_id=row.org_id,
        decided_on=date.fromisoformat(row.decided_on),
        form=row.form,
        self_detected_and_remedied=row.self_detected_and_remedied,
        quashed=row.quashed,
        enforced=row.enforced,
    )
