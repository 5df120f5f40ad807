"""The organisation tree and users."""

from marshmallow import fields, validate

from gateway.schemas.common import ID, Page, Strict, Versioned, an_id, day, text

KINDS = ["province", "district", "grassroots", "cell"]
ROLES = ["administrator", "committee_staff", "cell_secretary", "inspection_commission", "member", "auditor"]


class RegisterOrganization(Strict):
    org_id = an_id()
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = text(max_length=300)
    parent_id = an_id(required=False)
    code = text(required=False, max_length=50)
    registered_on = day()


class RenameOrganization(Versioned):
    name = text(max_length=300)
    code = text(required=False, max_length=50)
    renamed_on = day()


class MoveOrganization(Versioned):
    parent_id = an_id()
    moved_on = day()


class DissolveOrganization(Versioned):
    dissolved_on = day()
    reason = text(required=False)


class SubtreeQuery(Page):
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))


class Login(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class CreateUser(Strict):
    username = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]{0,63}$"))
    password = fields.String(required=True, validate=validate.Length(min=8, max=1000))
    display_name = text(max_length=300)


class CreateGrant(Strict):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org_id = fields.String(required=True, validate=validate.Regexp(r"^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,99})$"))
    member_id = fields.String(load_default=None, allow_none=True, validate=ID)
