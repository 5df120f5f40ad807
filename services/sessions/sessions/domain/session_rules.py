"""What makes a set of minutes impossible (refused) rather than merely non-compliant."""

from __future__ import annotations

from collections import Counter

from .business_rule import BusinessRule
from .exceptions import InvalidInput
from .roster import CellRoster
from .session_minutes import Presence, SessionMinutes


class MinutesRule(BusinessRule):
    error = InvalidInput

    def __init__(self, minutes: SessionMinutes, roster: CellRoster | None = None) -> None:
        self.minutes, self.roster = minutes, roster


class SessionMustEndAfterStart(MinutesRule):
    field = "ends_at"

    def is_broken(self) -> bool:
        return self.minutes.ends_at <= self.minutes.starts_at

    @property
    def message(self) -> str:
        return (
            f"ends_at ({self.minutes.ends_at:%H:%M}) must be after "
            f"starts_at ({self.minutes.starts_at:%H:%M})."
        )


class AttendanceMustCoverRosterExactly(MinutesRule):
    """Every member on the roster on the day appears once; nobody else appears."""

    field = "attendance"

    def _problems(self) -> list[str]:
        assert self.roster is not None
        listed = Counter(a.member_id for a in self.minutes.attendance)
        on_roster = self.roster.member_ids
        problems = []
        missing = sorted(on_roster - set(listed))
        twice = sorted(m for m, n in listed.items() if n > 1)
        outsiders = sorted(set(listed) - on_roster)
        if missing:
            problems.append(f"missing roster members {', '.join(missing)}")
        if twice:
            problems.append(f"members listed more than once {', '.join(twice)}")
        if outsiders:
            problems.append(f"people not on the roster {', '.join(outsiders)}")
        return problems

    def is_broken(self) -> bool:
        return bool(self._problems())

    @property
    def message(self) -> str:
        assert self.roster is not None
        return (
            f"attendance must list each member on the roster of cell {self.roster.org_id} "
            f"on {self.roster.as_of} exactly once: " + "; ".join(self._problems()) + "."
        )


class AbsenceWithReasonMustGiveTheReason(MinutesRule):
    field = "attendance"

    def _unexplained(self) -> list[str]:
        return [
            a.member_id
            for a in self.minutes.attendance
            if a.presence == Presence.ABSENT_WITH_REASON and not a.reason.strip()
        ]

    def is_broken(self) -> bool:
        return bool(self._unexplained())

    @property
    def message(self) -> str:
        who = ", ".join(self._unexplained())
        return f"attendance: no reason given for the excused absence of {who}."


class ChairMustBePresent(MinutesRule):
    field = "chair_id"

    def is_broken(self) -> bool:
        return self.minutes.chair_id not in self.minutes.present_ids

    @property
    def message(self) -> str:
        return (
            f"chair_id: {self.minutes.chair_id!r} chaired the session but is not recorded "
            "as a present member."
        )


class MinuteTakerMustBePresent(MinutesRule):
    field = "minute_taker_id"

    def is_broken(self) -> bool:
        return self.minutes.minute_taker_id not in self.minutes.present_ids

    @property
    def message(self) -> str:
        return (
            f"minute_taker_id: {self.minutes.minute_taker_id!r} took the minutes "
            "but is not recorded as a present member."
        )


class SpeakersMustBePresent(MinutesRule):
    field = "speaking_turns"

    def _absent_speakers(self) -> list[str]:
        return sorted(set(self.minutes.speaking_turns) - self.minutes.present_ids)

    def is_broken(self) -> bool:
        return bool(self._absent_speakers())

    @property
    def message(self) -> str:
        who = ", ".join(self._absent_speakers())
        return f"speaking_turns: {who} did not attend, so cannot have spoken."


class SpeakingTurnsMustBePositive(MinutesRule):
    field = "speaking_turns"

    def is_broken(self) -> bool:
        return any(count < 1 for count in self.minutes.speaking_turns.values())

    @property
    def message(self) -> str:
        return "speaking_turns: each speaker's count of turns must be at least 1."


class ResolutionAndVoteGoTogether(MinutesRule):
    field = "vote"

    def is_broken(self) -> bool:
        has_resolution = bool(self.minutes.resolution and self.minutes.resolution.strip())
        return has_resolution != (self.minutes.vote is not None)

    @property
    def message(self) -> str:
        if self.minutes.vote is None:
            return "vote: a resolution was adopted, so its vote (for, against, abstain) must be recorded."
        return "vote: a vote was recorded but no resolution text was given."


class VotesMustBeCastByPresentMembers(MinutesRule):
    field = "vote"

    def is_broken(self) -> bool:
        vote = self.minutes.vote
        if vote is None:
            return False
        negative = min(vote.votes_for, vote.against, vote.abstain) < 0
        return negative or vote.cast > len(self.minutes.present_ids)

    @property
    def message(self) -> str:
        assert self.minutes.vote is not None
        return (
            f"vote: {self.minutes.vote.cast} votes recorded but only "
            f"{len(self.minutes.present_ids)} members were present (and no count can be negative)."
        )


def minutes_rules(minutes: SessionMinutes, roster: CellRoster) -> list[MinutesRule]:
    """All impossibility checks, in the order a clerk would want to hear about them."""
    return [
        SessionMustEndAfterStart(minutes),
        AttendanceMustCoverRosterExactly(minutes, roster),
        AbsenceWithReasonMustGiveTheReason(minutes),
        ChairMustBePresent(minutes),
        MinuteTakerMustBePresent(minutes),
        SpeakingTurnsMustBePositive(minutes),
        SpeakersMustBePresent(minutes),
        ResolutionAndVoteGoTogether(minutes),
        VotesMustBeCastByPresentMembers(minutes),
    ]
