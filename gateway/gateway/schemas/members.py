"""Members and rosters (the sessions service)."""

from marshmallow import fields, validate

from gateway.schemas.common import Page, Strict, Versioned, an_id, day, text

POSTS = ["secretary", "deputy", "committee_member"]
STATUSES = ["active", "exempted", "suspended", "attached_elsewhere"]


class EnrolMember(Strict):
    member_id = an_id()
    full_name = text(max_length=300)
    org_id = an_id()
    membership = fields.String(required=True, validate=validate.OneOf(["full", "probationary"]))
    admitted_on = day()
    enrolled_on = day(required=False)
    posts_in_cell = fields.List(fields.String(validate=validate.OneOf(POSTS)), load_default=list)
    posts_outside_cell = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)), load_default=list
    )


class TransferMember(Versioned):
    to_org_id = an_id()
    effective_on = day()
    posts_in_cell = fields.List(fields.String(validate=validate.OneOf(POSTS)), load_default=list)


class ChangeMemberStatus(Versioned):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    effective_on = day()
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class EndMembership(Versioned):
    reason = fields.String(
        required=True, validate=validate.OneOf(["expelled", "struck_off", "withdrew", "deceased", "other"])
    )
    ended_on = day()
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class MemberQuery(Page):
    org_id = an_id()
    subtree = fields.Boolean(load_default=False)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    include_ended = fields.Boolean(load_default=False)


class RosterQuery(Strict):
    as_of = day()
