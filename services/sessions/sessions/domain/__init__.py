"""The sessions domain: member rosters, themed sessions and their minutes, the
shortcomings named in them, and yearly ratings. Plain Python, no framework."""

from .catalogue import Catalogue, CatalogueInvalid, CatalogueItem
from .catalogue_file import DEFAULT_CATALOGUE_PATH, load_catalogue
from .discipline_record import DisciplineRecord, DisciplineRegister
from .event_registry import EVENT_TYPES, event_from_payload
from .exceptions import Conflict, DomainError, InvalidInput, NotFound, RuleViolated
from .meeting_duration import MEETING_DURATION_RULES, MeetingDurationRule, NonCompliance
from .member import Member, MembershipPeriod
from .member_events import (
    MemberEnrolled,
    MembershipEnded,
    MemberStatusChanged,
    MemberTransferred,
)
from .membership import CellPost, MembershipEndReason, MembershipKind, MemberStatus
from .organisation_tree import (
    KnownOrganisation,
    OrganisationLookup,
    OrganisationTreeCopy,
)
from .rating_events import RatingAssigned, RatingFlaggedForReview
from .rating_round import MemberRatingRequest, RatingRound
from .rating_rule_sets import (
    RATING_RULE_SETS,
    RatingLevel,
    RatingRuleSet,
    rule_set_for_year,
)
from .roster import CellRoster, RosterEntry
from .session_events import SessionHeld, SessionScheduled
from .session_minutes import Attendance, Guest, Presence, SessionMinutes, Vote
from .shortcoming_events import ShortcomingRecorded, SubjectKind
from .themed_session import ThemedSession

__all__ = [
    "DEFAULT_CATALOGUE_PATH",
    "EVENT_TYPES",
    "MEETING_DURATION_RULES",
    "RATING_RULE_SETS",
    "Attendance",
    "Catalogue",
    "CatalogueInvalid",
    "CatalogueItem",
    "CellPost",
    "CellRoster",
    "Conflict",
    "DisciplineRecord",
    "DisciplineRegister",
    "DomainError",
    "Guest",
    "InvalidInput",
    "KnownOrganisation",
    "MeetingDurationRule",
    "Member",
    "MemberEnrolled",
    "MemberRatingRequest",
    "MemberStatus",
    "MemberStatusChanged",
    "MemberTransferred",
    "MembershipEndReason",
    "MembershipEnded",
    "MembershipKind",
    "MembershipPeriod",
    "NonCompliance",
    "NotFound",
    "OrganisationLookup",
    "OrganisationTreeCopy",
    "Presence",
    "RatingAssigned",
    "RatingFlaggedForReview",
    "RatingLevel",
    "RatingRound",
    "RatingRuleSet",
    "RosterEntry",
    "RuleViolated",
    "SessionHeld",
    "SessionMinutes",
    "SessionScheduled",
    "ShortcomingRecorded",
    "SubjectKind",
    "ThemedSession",
    "Vote",
    "event_from_payload",
    "load_catalogue",
    "rule_set_for_year",
]
