"""Themed sessions, minutes, shortcomings and ratings (the sessions service)."""

from marshmallow import fields, validate

from gateway.schemas.common import ID, TEXT, OrgPage, Page, Strict, Versioned, an_id, day, text

LEVELS = ["excellent", "good", "completed", "not_completed"]
SUBJECT_KINDS = ["member", "organisation"]


class ScheduleSession(Strict):
    session_id = an_id()
    org_id = an_id()
    theme = text(max_length=500)
    scheduled_on = day()
    plan_id = an_id(required=False)
    pilot = fields.Boolean(load_default=False)


class Attendance(Strict):
    member_id = an_id()
    presence = fields.String(
        required=True, validate=validate.OneOf(["present", "absent_with_reason", "absent_without_reason"])
    )
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class Guest(Strict):
    name = text(max_length=300)
    org = text(max_length=300)


class Vote(Strict):
    votes_for = fields.Integer(required=True, strict=True, data_key="for", validate=validate.Range(min=0))
    against = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    abstain = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class HoldSession(Versioned):
    """The full minutes (biên bản); attendance counts are derived by the service."""

    held_on = day()
    starts_at = fields.Time(required=True)
    ends_at = fields.Time(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=500))
    chair_id = an_id()
    minute_taker_id = an_id()
    guests = fields.List(fields.Nested(Guest), load_default=list)
    combined_with_regular_session = fields.Boolean(load_default=False)
    attendance = fields.List(fields.Nested(Attendance), required=True, validate=validate.Length(min=1))
    speaking_turns = fields.Dict(
        keys=fields.String(validate=ID), values=fields.Integer(strict=True), load_default=dict
    )
    report = fields.String(load_default="", validate=TEXT)
    conclusions = fields.String(load_default="", validate=TEXT)
    resolution = fields.String(load_default=None, allow_none=True, validate=TEXT)
    vote = fields.Nested(Vote, load_default=None, allow_none=True)


class Shortcoming(Strict):
    shortcoming_id = an_id(required=False)
    subject_kind = fields.String(required=True, validate=validate.OneOf(SUBJECT_KINDS))
    subject_id = an_id()
    codes = fields.List(fields.String(validate=validate.Length(min=1, max=30)), required=True)
    description = text(max_length=5000)


class RecordShortcomings(Versioned):
    shortcomings = fields.List(fields.Nested(Shortcoming), required=True, validate=validate.Length(min=1))
    recorded_on = day(required=False)


class SessionQuery(OrgPage):
    subtree = fields.Boolean(load_default=False)
    held = fields.Boolean(load_default=None)
    pilot = fields.Boolean(load_default=None)
    date_from = day(required=False)
    date_to = day(required=False)


def level() -> fields.String:
    return fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LEVELS))


def score() -> fields.Float:
    return fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=0, max=100))


def year() -> fields.Integer:
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))


class MemberRating(Strict):
    member_id = an_id()
    level = level()
    score = score()


class RateMembers(Versioned):
    year = year()
    rated_on = day()
    ratings = fields.List(
        fields.Nested(MemberRating), required=True, validate=validate.Length(min=1, max=5000)
    )


class RateMember(Versioned):
    year = year()
    rated_on = day()
    level = level()
    score = score()


class RateCollective(Versioned):
    year = year()
    rated_on = day()
    level = level()
    score = score()


class RatingQuery(OrgPage):
    year = fields.Integer(load_default=None)
    subject_kind = fields.String(load_default=None, validate=validate.OneOf(SUBJECT_KINDS))
    flagged_for_review = fields.Boolean(load_default=None)


class CatalogueQuery(Page):
    pass
