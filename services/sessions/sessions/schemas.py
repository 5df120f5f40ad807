"""marshmallow at the RPC edge: rosters and the list queries. Strict: unknown fields refused."""

from marshmallow import RAISE, Schema, fields, validate

ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", error="must be 1-100 letters, digits, '.', '_' or '-'"
)
POSTS = ["secretary", "deputy", "committee_member"]
STATUSES = ["active", "exempted", "suspended", "attached_elsewhere"]


class Strict(Schema):
    class Meta:
        unknown = RAISE


def expected_version() -> fields.Integer:
    return fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0))


class Page(Strict):
    offset = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, strict=True, validate=validate.Range(min=1, max=1000))


class CommitteePostSchema(Strict):
    """A seat on the committee of an organisation above the cell: which one, and the title."""

    org_id = fields.String(required=True, validate=ID)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))


def committee_posts(**options: object) -> fields.List:
    return fields.List(fields.Nested(CommitteePostSchema), **options)


class EnrolMemberSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    org_id = fields.String(required=True, validate=ID)
    membership = fields.String(required=True, validate=validate.OneOf(["full", "probationary"]))
    admitted_on = fields.Date(required=True)
    enrolled_on = fields.Date(load_default=None, allow_none=True)
    posts_in_cell = fields.List(fields.String(validate=validate.OneOf(POSTS)), load_default=list)
    posts_outside_cell = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)), load_default=list
    )
    committee_posts = committee_posts(load_default=list)


class TransferMemberSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    to_org_id = fields.String(required=True, validate=ID)
    effective_on = fields.Date(required=True)
    posts_in_cell = fields.List(fields.String(validate=validate.OneOf(POSTS)), load_default=list)
    # Omitted: the committee seats held before the transfer are kept.
    committee_posts = committee_posts(load_default=None, allow_none=True)
    expected_version = expected_version()


class ChangeMemberStatusSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    effective_on = fields.Date(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=2000))
    expected_version = expected_version()


class EndMembershipSchema(Strict):
    member_id = fields.String(required=True, validate=ID)
    reason = fields.String(
        required=True, validate=validate.OneOf(["expelled", "struck_off", "withdrew", "deceased", "other"])
    )
    ended_on = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    expected_version = expected_version()


class ListMembersSchema(Page):
    org_id = fields.String(required=True, validate=ID)
    subtree = fields.Boolean(load_default=False)
    status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STATUSES))
    include_ended = fields.Boolean(load_default=False)


class RosterQuerySchema(Strict):
    org_id = fields.String(required=True, validate=ID)
    as_of = fields.Date(required=True)


class ListSessionsSchema(Page):
    org_id = fields.String(load_default=None, allow_none=True, validate=ID)
    subtree = fields.Boolean(load_default=False)
    held = fields.Boolean(load_default=None, allow_none=True)
    pilot = fields.Boolean(load_default=None, allow_none=True)
    date_from = fields.Date(load_default=None, allow_none=True)
    date_to = fields.Date(load_default=None, allow_none=True)


class ListRatingsSchema(Page):
    year = fields.Integer(load_default=None, allow_none=True, strict=True)
    org_id = fields.String(load_default=None, allow_none=True, validate=ID)
    subject_kind = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(["member", "organisation"])
    )
    flagged_for_review = fields.Boolean(load_default=None, allow_none=True)
