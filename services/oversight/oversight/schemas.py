"""marshmallow at the RPC edge: what the oversight service accepts (unknown fields refused)."""

from marshmallow import RAISE, Schema, fields, validate

from oversight.domain.inspection_kinds import InspectionKind, InspectionScope, OversightBodyType, Phase

ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", error="must be 1-64 letters, digits, '.', '_' or '-'"
)
BODY_TYPES = [t.value for t in OversightBodyType]


def one_of(values: list[str]) -> validate.OneOf:
    return validate.OneOf(values)


class Command(Schema):
    class Meta:
        unknown = RAISE


class Versioned(Command):
    expected_version = fields.Integer(load_default=None, allow_none=True, strict=True)


class OpenInspectionSchema(Command):
    inspection_id = fields.String(required=True, validate=ID)
    kind = fields.String(required=True, validate=one_of([k.value for k in InspectionKind]))
    scope = fields.String(
        load_default=None, allow_none=True, validate=one_of([s.value for s in InspectionScope])
    )
    deciding_body_org_id = fields.String(required=True, validate=ID)
    deciding_body_type = fields.String(required=True, validate=one_of(BODY_TYPES))
    subject_kind = fields.String(required=True, validate=one_of(["organisation", "member"]))
    subject_id = fields.String(required=True, validate=ID)
    content = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    period_from = fields.Date(required=True)
    period_to = fields.Date(required=True)
    team = fields.List(fields.String(validate=validate.Length(max=200)), required=True)
    planned_duration_days = fields.Integer(required=True, strict=True)
    decision_number = fields.String(required=True, validate=validate.Length(min=1, max=100))
    decided_on = fields.Date(required=True)
    programme_item_id = fields.String(load_default=None, allow_none=True, validate=ID)


class RecordInspectionPhaseSchema(Versioned):
    inspection_id = fields.String(required=True, validate=ID)
    phase = fields.String(required=True, validate=one_of([p.value for p in Phase]))
    recorded_on = fields.Date(required=True)


class FindingSchema(Command):
    shortcoming_id = fields.String(required=True, validate=ID)
    subject_kind = fields.String(required=True, validate=one_of(["organisation", "member"]))
    subject_id = fields.String(required=True, validate=ID)
    org_id = fields.String(required=True, validate=ID)
    codes = fields.List(fields.String(), required=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class Findings(Versioned):
    inspection_id = fields.String(required=True, validate=ID)
    conclusion = fields.String(required=True, validate=validate.Length(min=1, max=8000))
    findings = fields.List(fields.Nested(FindingSchema), load_default=list)
    catalogue_version = fields.String(load_default="", validate=validate.Length(max=50))


class ConcludeInspectionSchema(Findings):
    concluded_on = fields.Date(required=True)
    violation_found = fields.Boolean(required=True)
    discipline_warranted = fields.Boolean(required=True)


class ConductSupervisionSchema(Findings):
    conducted_on = fields.Date(required=True)
    violation_signs_found = fields.Boolean(required=True)


class ProgrammeItemSchema(Command):
    item_id = fields.String(required=True, validate=ID)
    kind = fields.String(required=True, validate=one_of([k.value for k in InspectionKind]))
    content = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    subject_org_id = fields.String(required=True, validate=ID)
    planned_month = fields.Integer(required=True, strict=True)


class AdoptInspectionProgrammeSchema(Command):
    programme_id = fields.String(required=True, validate=ID)
    org_id = fields.String(required=True, validate=ID)
    body_type = fields.String(required=True, validate=one_of(BODY_TYPES))
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    items = fields.List(fields.Nested(ProgrammeItemSchema), required=True)
    adopted_on = fields.Date(required=True)


class RecordProgrammeItemCarriedOutSchema(Versioned):
    programme_id = fields.String(required=True, validate=ID)
    item_id = fields.String(required=True, validate=ID)
    inspection_id = fields.String(required=True, validate=ID)
    carried_out_on = fields.Date(required=True)


class SuggestReviewSchema(Command):
    suggestion_id = fields.String(required=True, validate=ID)
    suggesting_body_org_id = fields.String(required=True, validate=ID)
    suggesting_body_type = fields.String(required=True, validate=one_of(BODY_TYPES))
    target_kind = fields.String(required=True, validate=one_of(["collective", "member"]))
    target_id = fields.String(required=True, validate=ID)
    points = fields.List(fields.String(validate=validate.Length(max=2000)), required=True)
    suggested_on = fields.Date(required=True)


class AnswerReviewSuggestionSchema(Versioned):
    suggestion_id = fields.String(required=True, validate=ID)
    answered_on = fields.Date(required=True)
    answered_in = fields.String(required=True, validate=one_of(["session", "review"]))
    reference = fields.String(required=True, validate=validate.Length(min=1, max=300))


class ListInspectionsSchema(Command):
    org_id = fields.String(load_default=None, validate=ID)
    kind = fields.String(load_default=None, validate=one_of([k.value for k in InspectionKind]))
    late = fields.Boolean(load_default=None)
    as_of = fields.Date(load_default=None)


class ListProgrammesSchema(Command):
    org_id = fields.String(load_default=None, validate=ID)
    year = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=2000, max=2100))
    body_type = fields.String(load_default=None, validate=one_of(BODY_TYPES))


class ListReviewSuggestionsSchema(Command):
    org_id = fields.String(load_default=None, validate=ID)
    open_only = fields.Boolean(load_default=False)
