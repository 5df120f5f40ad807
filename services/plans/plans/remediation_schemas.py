"""marshmallow at the RPC edge: remediation plans, progress and closing."""

from marshmallow import RAISE, Schema, fields, validate

from plans.domain.remediation_policy import RemediationStatus
from plans.domain.shortcoming import SubjectKind
from plans.schemas import ORG_ID

ITEM_ID = validate.Length(min=1, max=200)
NOTE = validate.Length(min=1, max=4000)


class ActionSchema(Schema):
    class Meta:
        unknown = RAISE

    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    # Optional here so the domain refuses a missing owner by its rule and field name.
    owner = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    due_on = fields.Date(required=True)


class SubmitRemediationPlanSchema(Schema):
    class Meta:
        unknown = RAISE

    item_id = fields.String(required=True, validate=ITEM_ID)
    actions = fields.List(fields.Nested(ActionSchema), required=True, validate=validate.Length(max=100))
    submitted_on = fields.Date(required=True)
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class ReportRemediationProgressSchema(Schema):
    class Meta:
        unknown = RAISE

    item_id = fields.String(required=True, validate=ITEM_ID)
    note = fields.String(required=True, validate=NOTE)
    reported_on = fields.Date(required=True)
    percent = fields.Integer(load_default=None, allow_none=True, strict=True)
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class MarkShortcomingRemediedSchema(Schema):
    class Meta:
        unknown = RAISE

    item_id = fields.String(required=True, validate=ITEM_ID)
    note = fields.String(required=True, validate=NOTE)
    remedied_on = fields.Date(required=True)
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class RemediationListSchema(Schema):
    """Query arguments of list_remediation_items."""

    class Meta:
        unknown = RAISE

    org_id = fields.String(load_default=None, allow_none=True, validate=ORG_ID)
    status = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([s.value for s in RemediationStatus])
    )
    overdue_on = fields.Date(load_default=None, allow_none=True)
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    subject_kind = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([k.value for k in SubjectKind])
    )
    subject_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))


class DetectOverdueSchema(Schema):
    class Meta:
        unknown = RAISE

    as_of = fields.Date(load_default=None, allow_none=True)
    org_id = fields.String(load_default=None, allow_none=True, validate=ORG_ID)


class RemediationItemQuerySchema(Schema):
    """The one argument of get_remediation_item."""

    class Meta:
        unknown = RAISE

    item_id = fields.String(required=True, validate=ITEM_ID)
