"""The themed-session aggregate: scheduled, held with its minutes, shortcomings named."""

from __future__ import annotations

from datetime import date

from .aggregate import Aggregate
from .business_rule import check_rule
from .catalogue import Catalogue
from .cell_rules import require_active_cell
from .exceptions import Conflict, InvalidInput
from .meeting_duration import (
    MEETING_DURATION_RULES,
    MeetingDurationRule,
    check_meeting_duration,
)
from .member_rules import TextMustNotBeBlank
from .organisation_tree import OrganisationLookup
from .roster import CellRoster
from .session_events import SessionHeld, SessionScheduled
from .session_figures import count_attendance, resolution_passed
from .session_minutes import SessionMinutes
from .session_rules import minutes_rules
from .shortcoming_events import ShortcomingRecorded, SubjectKind


class ThemedSession(Aggregate):
    """One cell's themed session (sinh hoạt chuyên đề)."""

    session_id: str
    org_id: str
    theme: str
    plan_id: str | None
    pilot: bool
    scheduled_on: date
    held: SessionHeld | None
    shortcoming_ids: set[str]

    @classmethod
    def schedule(
        cls,
        session_id: str,
        org_id: str,
        theme: str,
        scheduled_on: date,
        organisations: OrganisationLookup,
        plan_id: str | None = None,
        pilot: bool = False,
    ) -> ThemedSession:
        """Plan a themed session of cell `org_id`, optionally implementing `plan_id`."""
        check_rule(TextMustNotBeBlank(session_id, "session_id"))
        check_rule(TextMustNotBeBlank(theme, "theme"))
        require_active_cell(organisations, org_id, scheduled_on)
        session = cls.from_events([])
        session._record(
            SessionScheduled(session_id, org_id, theme.strip(), scheduled_on, plan_id or None, pilot)
        )
        return session

    def hold(
        self,
        minutes: SessionMinutes,
        roster: CellRoster,
        organisations: OrganisationLookup,
        duration_rules: tuple[MeetingDurationRule, ...] = MEETING_DURATION_RULES,
    ) -> SessionHeld:
        """Record the session as held. Impossible minutes are refused; breaches of the
        dated meeting rules are recorded as non-compliance, not refused."""
        if self.held is not None:
            raise Conflict(
                f"session {self.session_id!r} was already recorded as held on {self.held.held_on}.",
                None,
                "SessionIsHeldOnce",
            )
        if roster.org_id != self.org_id or roster.as_of != minutes.held_on:
            raise InvalidInput(
                f"the roster given is cell {roster.org_id} on {roster.as_of}, but the session "
                f"belongs to cell {self.org_id} and was held on {minutes.held_on}.",
                "held_on",
                "RosterMustBeTheCellsOnTheDay",
            )
        require_active_cell(organisations, self.org_id, minutes.held_on, field="held_on")
        for rule in minutes_rules(minutes, roster):
            check_rule(rule)
        breaches = check_meeting_duration(
            minutes.held_on,
            minutes.duration_minutes,
            minutes.combined_with_regular_session,
            duration_rules,
        )
        return self._record(
            SessionHeld(
                session_id=self.session_id,
                org_id=self.org_id,
                theme=self.theme,
                plan_id=self.plan_id,
                pilot=self.pilot,
                minutes=minutes,
                figures=count_attendance(roster, minutes),
                resolution_passed=resolution_passed(roster, minutes),
                non_compliance=breaches,
            )
        )

    def record_shortcoming(
        self,
        shortcoming_id: str,
        subject_kind: SubjectKind,
        subject_id: str,
        codes: list[str] | tuple[str, ...],
        description: str,
        catalogue: Catalogue,
        recorded_on: date | None = None,
    ) -> ShortcomingRecorded:
        """Name a shortcoming agreed in this session, for the cell or a member on its roster."""
        if self.held is None:
            raise Conflict(
                f"session {self.session_id!r} has not been held; shortcomings are named in a held session.",
                None,
                "ShortcomingsAreNamedInAHeldSession",
            )
        if shortcoming_id in self.shortcoming_ids:
            raise Conflict(
                f"shortcoming {shortcoming_id!r} is already recorded.",
                "shortcoming_id",
                "ShortcomingIsRecordedOnce",
            )
        check_rule(TextMustNotBeBlank(shortcoming_id, "shortcoming_id"))
        check_rule(TextMustNotBeBlank(description, "description"))
        self._require_subject_of_session(subject_kind, subject_id)
        known_codes = catalogue.require_known(codes)
        recorded_on = recorded_on or self.held.held_on
        if recorded_on < self.held.held_on:
            raise InvalidInput(
                f"recorded_on ({recorded_on}) is before the session was held ({self.held.held_on}).",
                "recorded_on",
                "ShortcomingsAreNamedInAHeldSession",
            )
        return self._record(
            ShortcomingRecorded(
                shortcoming_id=shortcoming_id,
                source="session",
                session_id=self.session_id,
                inspection_id=None,
                subject_kind=subject_kind,
                subject_id=subject_id,
                org_id=self.org_id,
                codes=known_codes,
                catalogue_version=catalogue.version,
                description=description.strip(),
                recorded_on=recorded_on,
            )
        )

    def _require_subject_of_session(self, subject_kind: SubjectKind, subject_id: str) -> None:
        assert self.held is not None
        if subject_kind == SubjectKind.ORGANISATION and subject_id != self.org_id:
            raise InvalidInput(
                f"subject_id: the collective reviewed in this session is cell {self.org_id}, "
                f"not {subject_id}.",
                "subject_id",
                "ShortcomingSubjectMustBelongToTheSession",
            )
        on_roster = {a.member_id for a in self.held.minutes.attendance}
        if subject_kind == SubjectKind.MEMBER and subject_id not in on_roster:
            raise InvalidInput(
                f"subject_id: member {subject_id} was not on cell {self.org_id}'s roster "
                f"on {self.held.held_on}.",
                "subject_id",
                "ShortcomingSubjectMustBelongToTheSession",
            )

    # Applying past events ----------------------------------------------------------

    def _when_SessionScheduled(self, e: SessionScheduled) -> None:
        self.session_id, self.org_id, self.theme = e.session_id, e.org_id, e.theme
        self.plan_id, self.pilot, self.scheduled_on = e.plan_id, e.pilot, e.scheduled_on
        self.held = None
        self.shortcoming_ids = set()

    def _when_SessionHeld(self, e: SessionHeld) -> None:
        self.held = e

    def _when_ShortcomingRecorded(self, e: ShortcomingRecorded) -> None:
        self.shortcoming_ids.add(e.shortcoming_id)
