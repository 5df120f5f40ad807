"""The local record of discipline, built from the oversight service's events.

A DisciplineImposed that contradicts a rating already recorded for that year flags the
rating for review, in the same transaction that records the discipline.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from eventlog.dependencies import WorkerEventLog
from eventlog.inbox import Envelope, UnreadableEvent
from sessions.domain import DisciplineRecord, DisciplineRegister, SubjectKind
from sessions.rating_snapshots import save_rating_events
from sessions.streams import load_rating_round, new_events, scope_and_year
from sessions.tables import disciplines, ratings


class DisciplineProjection:
    """Applies DisciplineImposed and AppealDecided; flags contradicted ratings."""

    def __init__(self, log: WorkerEventLog) -> None:
        self.log = log

    def read(self, envelope: Envelope) -> Any | None:
        payload = envelope["payload"]
        try:
            if envelope["type"] == "DisciplineImposed":
                return DisciplineRecord.from_discipline_imposed(payload)
            if envelope["type"] == "AppealDecided":
                return {"decision_id": str(payload["decision_id"]),
                        "outcome": payload.get("outcome"), "new_form": payload.get("new_form")}
        except (KeyError, TypeError, ValueError) as exc:
            raise UnreadableEvent(f"{envelope['type']} payload unreadable: {exc!r}") from exc
        return None

    def apply(self, conn: sa.Connection, envelope: Envelope, event: Any) -> None:
        if isinstance(event, DisciplineRecord):
            conn.execute(disciplines.delete().where(disciplines.c.decision_id == event.discipline_id))
            conn.execute(disciplines.insert().values(
                decision_id=event.discipline_id, member_id=event.member_id, org_id=event.org_id,
                decided_on=event.decided_on.isoformat(), year=event.decided_on.year,
                form=event.form, self_detected_and_remedied=event.self_detected_and_remedied,
                quashed=event.quashed, enforced=event.enforced))
            self._flag_ratings(conn, event, date.fromisoformat(envelope["recorded_at"][:10]))
        elif event["outcome"] == "quashed":
            conn.execute(disciplines.update().where(disciplines.c.decision_id == event["decision_id"])
                         .values(quashed=True))
        elif event["outcome"] == "changed" and event["new_form"]:
            conn.execute(disciplines.update().where(disciplines.c.decision_id == event["decision_id"])
                         .values(form=event["new_form"]))

    def _flag_ratings(self, conn: sa.Connection, record: DisciplineRecord, flagged_on: date) -> None:
        subject = ((SubjectKind.MEMBER.value, record.member_id) if record.member_id
                   else (SubjectKind.ORGANISATION.value, record.org_id))
        round_ids = {row.round_id for row in conn.execute(
            sa.select(ratings.c.round_id).where(
                ratings.c.subject_kind == subject[0], ratings.c.subject_id == subject[1],
                ratings.c.year == record.decided_on.year))}
        for round_id in sorted(round_ids):
            rating_round = load_rating_round(conn, *scope_and_year(round_id))
            base = rating_round.version
            flags = rating_round.flag_for_review(record, flagged_on)
            if flags:
                self.log.append(round_id, base, new_events(flags), conn)
                save_rating_events(conn, round_id, flags)


def discipline_register(conn: sa.Connection, year: int) -> DisciplineRegister:
    """Every discipline decided in `year`, as the rating rules read them."""
    rows = conn.execute(sa.select(disciplines).where(disciplines.c.year == year))
    return DisciplineRegister([
        DisciplineRecord(
            discipline_id=r.decision_id, member_id=r.member_id, org_id=r.org_id,
            decided_on=date.fromisoformat(r.decided_on), form=r.form,
            self_detected_and_remedied=r.self_detected_and_remedied,
            quashed=r.quashed, enforced=r.enforced)
        for r in rows])
