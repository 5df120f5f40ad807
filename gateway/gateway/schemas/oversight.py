"""Inspections, supervisions, programmes, review suggestions, discipline (the oversight service)."""

from marshmallow import fields, validate

from gateway.schemas.common import Page, Strict, Versioned, an_id, day, text

WORD = validate.Length(min=1, max=60)
SUBJECTS = ["organisation", "member"]
FORMS = ["reprimand", "warning", "removal_from_post", "expulsion", "dissolution"]


def word(required: bool = True) -> fields.String:
    if required:
        return fields.String(required=True, validate=WORD)
    return fields.String(load_default=None, allow_none=True, validate=WORD)


class OpenInspection(Strict):
    inspection_id = an_id()
    kind = word()
    scope = word(required=False)
    deciding_body_org_id = an_id()
    deciding_body_type = word()
    subject_kind = fields.String(required=True, validate=validate.OneOf(SUBJECTS))
    subject_id = an_id()
    content = text(max_length=4000)
    period_from = day()
    period_to = day()
    team = fields.List(fields.String(validate=validate.Length(max=200)), required=True)
    planned_duration_days = fields.Integer(required=True, strict=True)
    decision_number = text(max_length=100)
    decided_on = day()
    programme_item_id = an_id(required=False)


class RecordPhase(Versioned):
    phase = word()
    recorded_on = day()


class Finding(Strict):
    shortcoming_id = an_id()
    subject_kind = fields.String(required=True, validate=validate.OneOf(SUBJECTS))
    subject_id = an_id()
    org_id = an_id()
    codes = fields.List(fields.String(validate=validate.Length(max=30)), required=True)
    description = text(max_length=4000)


class Findings(Versioned):
    conclusion = text(max_length=8000)
    findings = fields.List(fields.Nested(Finding), load_default=list)
    catalogue_version = fields.String(load_default="", validate=validate.Length(max=50))


class ConcludeInspection(Findings):
    concluded_on = day()
    violation_found = fields.Boolean(required=True)
    discipline_warranted = fields.Boolean(required=True)


class ConductSupervision(Findings):
    conducted_on = day()
    violation_signs_found = fields.Boolean(required=True)


class InspectionQuery(Page):
    org_id = an_id(required=False)
    kind = word(required=False)
    late = fields.Boolean(load_default=None)
    as_of = day(required=False)


class ProgrammeItem(Strict):
    item_id = an_id()
    kind = word()
    content = text(max_length=4000)
    subject_org_id = an_id()
    planned_month = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=12))


class AdoptProgramme(Strict):
    programme_id = an_id()
    org_id = an_id()
    body_type = word()
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    items = fields.List(fields.Nested(ProgrammeItem), required=True)
    adopted_on = day()


class ItemCarriedOut(Versioned):
    inspection_id = an_id()
    carried_out_on = day()


class SuggestReview(Strict):
    suggestion_id = an_id()
    suggesting_body_org_id = an_id()
    suggesting_body_type = word()
    target_kind = fields.String(required=True, validate=validate.OneOf(["collective", "member"]))
    target_id = an_id()
    points = fields.List(fields.String(validate=validate.Length(max=2000)), required=True)
    suggested_on = day()


class AnswerSuggestion(Versioned):
    answered_on = day()
    answered_in = fields.String(required=True, validate=validate.OneOf(["session", "review"]))
    reference = text(max_length=300)


class SuggestionQuery(Page):
    org_id = an_id(required=False)
    open_only = fields.Boolean(load_default=False)
