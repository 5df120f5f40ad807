"""marshmallow at the RPC edge: campaign plans and their tasks."""

from marshmallow import RAISE, Schema, fields, validate

from plans.schemas import ORG_ID

TEXT = validate.Length(max=2000)


class TaskSchema(Schema):
    class Meta:
        unknown = RAISE

    task_id = fields.String(required=True, validate=ORG_ID)
    title = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    # Optional here so the domain can refuse a missing owner by its rule and field name.
    owner = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    deadline = fields.Date(required=True)
    expected_result = fields.String(load_default=None, allow_none=True, validate=TEXT)


class IssuePlanSchema(Schema):
    class Meta:
        unknown = RAISE

    plan_id = fields.String(required=True, validate=ORG_ID)
    org_id = fields.String(required=True, validate=ORG_ID)
    number = fields.String(required=True, validate=validate.Length(min=1, max=100))
    issued_on = fields.Date(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    implements_documents = fields.List(fields.String(validate=validate.Length(max=100)), load_default=list)
    parent_plan_id = fields.String(load_default=None, allow_none=True, validate=ORG_ID)
    required_unit_ids = fields.List(
        fields.String(validate=ORG_ID), load_default=list, validate=validate.Length(max=5000)
    )
    deadline = fields.Date(required=True)
    tasks = fields.List(fields.Nested(TaskSchema), load_default=list, validate=validate.Length(max=500))


class CompleteTaskSchema(Schema):
    class Meta:
        unknown = RAISE

    plan_id = fields.String(required=True, validate=ORG_ID)
    task_id = fields.String(required=True, validate=ORG_ID)
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    completed_on = fields.Date(required=True)
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class PlanListSchema(Schema):
    """Query arguments of list_plans."""

    class Meta:
        unknown = RAISE

    org_id = fields.String(load_default=None, allow_none=True, validate=ORG_ID)
    include_subtree = fields.Boolean(load_default=True)
    parent_plan_id = fields.String(load_default=None, allow_none=True, validate=ORG_ID)
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class CascadeQuerySchema(Schema):
    """A plan and, optionally, the day its cascade is looked at."""

    class Meta:
        unknown = RAISE

    plan_id = fields.String(required=True, validate=ORG_ID)
    as_of = fields.Date(load_default=None, allow_none=True)


class OverdueQuerySchema(Schema):
    """An organisation's subtree and the day a question is asked about."""

    class Meta:
        unknown = RAISE

    org_id = fields.String(required=True, validate=ORG_ID)
    as_of = fields.Date(load_default=None, allow_none=True)


class PlanQuerySchema(Schema):
    """The one argument of get_plan."""

    class Meta:
        unknown = RAISE

    plan_id = fields.String(required=True, validate=ORG_ID)
