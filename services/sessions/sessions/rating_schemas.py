"""marshmallow at the RPC edge: yearly ratings of members and collectives."""

from marshmallow import fields, validate

from sessions.schemas import ID, Strict, expected_version

LEVELS = ["excellent", "good", "completed", "not_completed"]


def level() -> fields.String:
    return fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LEVELS))


def score() -> fields.Float:
    return fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=0, max=100))


class MemberRatingSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    level = level()
    score = score()


class RateMembersSchema(Strict):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    rated_on = fields.Date(required=True)
    ratings = fields.List(fields.Nested(MemberRatingSchema), required=True,
                          validate=validate.Length(min=1))
    expected_version = expected_version()


class RateMemberSchema(MemberRatingSchema):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    rated_on = fields.Date(required=True)
    expected_version = expected_version()


class RateCollectiveSchema(Strict):
    org_id = fields.String(required=True, validate=ID)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    rated_on = fields.Date(required=True)
    level = level()
    score = score()
    expected_version = expected_version()
