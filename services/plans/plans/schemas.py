"""marshmallow at the RPC edge: what the plans service accepts."""

from marshmallow import RAISE, Schema, fields, validate

ORG_ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", error="must be 1-64 letters, digits, '.', '_' or '-'"
)


class RegisterOrganizationSchema(Schema):
    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)
    kind = fields.String(
        required=True, validate=validate.OneOf(["province", "district", "grassroots", "cell"])
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    parent_id = fields.String(load_default=None, allow_none=True, validate=ORG_ID)
    code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    registered_on = fields.Date(required=True)


class RenameOrganizationSchema(Schema):
    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    renamed_on = fields.Date(required=True)
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class MoveOrganizationSchema(Schema):
    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)
    parent_id = fields.String(required=True, validate=ORG_ID)
    moved_on = fields.Date(required=True)
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class DissolveOrganizationSchema(Schema):
    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)
    dissolved_on = fields.Date(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)
