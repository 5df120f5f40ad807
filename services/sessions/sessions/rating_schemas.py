"""marshmallow at the RPC edge: yearly ratings of members and collectives.

The schemas check shapes and types only. Whether a level is known and whether a score
fits the rule set (0 to 100 under QD366-2025) are the domain's rules, so their refusals
name the rule (LevelMustBeKnown, LevelFollowsTheScore) rather than the schema.
"""

from marshmallow import fields, validate

from sessions.schemas import ID, Strict, expected_version


def level() -> fields.String:
    return fields.String(load_default=None, allow_none=True)


def score() -> fields.Float:
    return fields.Float(load_default=None, allow_none=True)


def year() -> fields.Integer:
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))


class MemberRatingSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    level = level()
    score = score()


class RateMembersSchema(Strict):
    year = year()
    rated_on = fields.Date(required=True)
    ratings = fields.List(fields.Nested(MemberRatingSchema), required=True, validate=validate.Length(min=1))
    expected_version = expected_version()


class RateMemberSchema(MemberRatingSchema):
    year = year()
    rated_on = fields.Date(required=True)
    expected_version = expected_version()


class RateCollectiveSchema(Strict):
    org_id = fields.String(required=True, validate=ID)
    year = year()
    rated_on = fields.Date(required=True)
    level = level()
    score = score()
    expected_version = expected_version()
