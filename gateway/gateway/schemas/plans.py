"""Campaign plans, tasks and remediation (the plans service)."""

from marshmallow import fields, validate

from gateway.schemas.common import ID, OrgPage, Page, Strict, Versioned, an_id, day, text


class Task(Strict):
    task_id = an_id()
    title = text()
    owner = text(required=False, max_length=300)
    deadline = day()
    expected_result = text(required=False)


class IssuePlan(Strict):
    plan_id = an_id()
    org_id = an_id()
    number = text(max_length=100)
    issued_on = day()
    title = text(max_length=1000)
    implements_documents = fields.List(fields.String(validate=validate.Length(max=100)), load_default=list)
    parent_plan_id = an_id(required=False)
    required_unit_ids = fields.List(
        fields.String(validate=ID), load_default=list, validate=validate.Length(max=5000)
    )
    deadline = day()
    tasks = fields.List(fields.Nested(Task), load_default=list, validate=validate.Length(max=500))


class CompleteTask(Versioned):
    note = text()
    completed_on = day()


class PlanQuery(OrgPage):
    include_subtree = fields.Boolean(load_default=True)
    parent_plan_id = an_id(required=False)


class Action(Strict):
    description = text()
    owner = text(required=False, max_length=300)
    due_on = day()


class SubmitRemediationPlan(Versioned):
    actions = fields.List(fields.Nested(Action), required=True, validate=validate.Length(max=100))
    submitted_on = day()


class ReportRemediationProgress(Versioned):
    note = text(max_length=4000)
    reported_on = day()
    percent = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(0, 100))


class MarkRemedied(Versioned):
    note = text(max_length=4000)
    remedied_on = day()


class RemediationQuery(OrgPage):
    status = fields.String(load_default=None, validate=validate.Length(max=40))
    overdue_on = day(required=False)
    subject_id = an_id(required=False)
    subject_kind = fields.String(
        load_default="member",
        validate=validate.OneOf(["member", "organisation"]),
        metadata={"description": "what subject_id names (a member unless told)"},
    )


class DetectOverdue(Strict):
    as_of = day(required=False)
    org_id = an_id(required=False)


class OverdueTasksQuery(Page):
    as_of = day(required=False)
