"""Discipline, proposals and appeals (the oversight service)."""

from marshmallow import fields, validate

from gateway.schemas.common import Page, Strict, Versioned, an_id, day, text
from gateway.schemas.oversight import FORMS, SUBJECTS, word


class Violation(Strict):
    codes = fields.List(fields.String(validate=validate.Length(min=1, max=30)), required=True)
    committed_on = day()
    ended_on = day(required=False)
    categories = fields.List(fields.String(validate=validate.Length(max=40)), load_default=list)


class Case(Strict):
    subject_kind = fields.String(required=True, validate=validate.OneOf(SUBJECTS))
    subject_id = an_id()
    form = fields.String(required=True, validate=validate.OneOf(FORMS))
    violations = fields.List(fields.Nested(Violation), required=True)
    discipline_warranted_on = day()
    reason = text(max_length=8000)
    concerns_higher_level_task = fields.Boolean(load_default=False)
    inspection_id = an_id(required=False)


class ImposeDiscipline(Case):
    decision_id = an_id()
    deciding_body_org_id = an_id()
    deciding_body_kind = word()
    decided_on = day()
    received_on = day(required=False)
    self_detected_and_remedied = fields.Boolean(load_default=False)
    proposal_id = an_id(required=False)


class ProposeDiscipline(Case):
    proposal_id = an_id()
    proposing_body_org_id = an_id()
    proposing_body_kind = word()
    proposed_on = day()


class LodgeAppeal(Versioned):
    appeal_id = an_id()
    lodged_on = day()
    grounds = text(max_length=8000)


class DecideAppeal(Versioned):
    outcome = fields.String(required=True, validate=validate.OneOf(["upheld", "changed", "quashed"]))
    new_form = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FORMS))
    decided_on = day()
    deciding_body_org_id = an_id()
    deciding_body_kind = word()
    reason = fields.String(load_default="", validate=validate.Length(max=8000))


class DisciplineQuery(Page):
    org_id = an_id(required=False)
    subject_id = an_id(required=False)
    status = fields.String(load_default=None, validate=validate.OneOf(["enforced", "time_barred", "quashed"]))
    decided_from = day(required=False)
    decided_to = day(required=False)
