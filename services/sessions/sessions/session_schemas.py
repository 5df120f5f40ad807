"""marshmallow at the RPC edge: scheduling, holding (the minutes) and shortcomings."""

from marshmallow import fields, validate

from sessions.schemas import ID, Strict, expected_version

TEXT = validate.Length(max=20_000)


class ScheduleSessionSchema(Strict):
    session_id = fields.String(required=True, validate=ID)
    org_id = fields.String(required=True, validate=ID)
    theme = fields.String(required=True, validate=validate.Length(min=1, max=500))
    scheduled_on = fields.Date(required=True)
    plan_id = fields.String(load_default=None, allow_none=True, validate=ID)
    pilot = fields.Boolean(load_default=False)


class AttendanceSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    presence = fields.String(
        required=True, validate=validate.OneOf(["present", "absent_with_reason", "absent_without_reason"])
    )
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class GuestSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    org = fields.String(required=True, validate=validate.Length(min=1, max=300))


class VoteSchema(Strict):
    votes_for = fields.Integer(required=True, strict=True, data_key="for", validate=validate.Range(min=0))
    against = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    abstain = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class HoldSessionSchema(Strict):
    """The full minutes (biên bản); figures such as attendance counts are derived."""

    session_id = fields.String(required=True, validate=ID)
    held_on = fields.Date(required=True)
    starts_at = fields.Time(required=True)
    ends_at = fields.Time(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=500))
    chair_id = fields.String(required=True, validate=ID)
    minute_taker_id = fields.String(required=True, validate=ID)
    guests = fields.List(fields.Nested(GuestSchema), load_default=list)
    combined_with_regular_session = fields.Boolean(load_default=False)
    attendance = fields.List(fields.Nested(AttendanceSchema), required=True, validate=validate.Length(min=1))
    speaking_turns = fields.Dict(
        keys=fields.String(validate=ID), values=fields.Integer(strict=True), load_default=dict
    )
    report = fields.String(load_default="", validate=TEXT)
    conclusions = fields.String(load_default="", validate=TEXT)
    resolution = fields.String(load_default=None, allow_none=True, validate=TEXT)
    vote = fields.Nested(VoteSchema, load_default=None, allow_none=True)
    expected_version = expected_version()


class ShortcomingSchema(Strict):
    shortcoming_id = fields.String(load_default=None, allow_none=True, validate=ID)
    subject_kind = fields.String(required=True, validate=validate.OneOf(["member", "organisation"]))
    subject_id = fields.String(required=True, validate=ID)
    codes = fields.List(fields.String(validate=validate.Length(min=1, max=30)), required=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class RecordShortcomingsSchema(Strict):
    session_id = fields.String(required=True, validate=ID)
    shortcomings = fields.List(
        fields.Nested(ShortcomingSchema), required=True, validate=validate.Length(min=1)
    )
    recorded_on = fields.Date(load_default=None, allow_none=True)
    expected_version = expected_version()
