"""marshmallow at the RPC edge: what the plans service accepts."""

from functools import cache
from typing import TypeVar

from marshmallow import RAISE, Schema, fields, validate

from plans.domain.organization_kind import OrgKind

ORG_ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", error="must be 1-64 letters, digits, '.', '_' or '-'"
)
KINDS = [kind.value for kind in OrgKind]


S = TypeVar("S", bound=Schema)


@cache
def one(schema: type[S]) -> S:
    """The process's one instance of a schema: marshmallow keeps no state between loads,
    and building an instance (a deep copy of its declared fields) costs more than a load."""
    return schema()


class RegisterOrganizationSchema(Schema):
    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
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


class OrganizationQuerySchema(Schema):
    """The one argument of get_organization, list_children and get_path_to_root."""

    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)


class SubtreeQuerySchema(OrganizationQuerySchema):
    """Query arguments of list_subtree."""

    kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(KINDS))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=5000))
