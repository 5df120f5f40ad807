"""marshmallow at the RPC edge for discipline, proposals and appeals."""

from marshmallow import fields, validate

from oversight.domain.appeals import AppealOutcome
from oversight.domain.deciding_bodies import DecidingBodyKind
from oversight.domain.discipline_forms import DisciplineForm
from oversight.domain.rule_sets import ViolationCategory
from oversight.schemas import ID, Command, Versioned, one_of

BODY_KINDS = [k.value for k in DecidingBodyKind]
FORMS = [f.value for f in DisciplineForm]


class ViolationSchema(Command):
    codes = fields.List(fields.String(validate=validate.Length(min=1, max=30)), required=True)
    committed_on = fields.Date(required=True)
    ended_on = fields.Date(load_default=None, allow_none=True)
    categories = fields.List(
        fields.String(validate=one_of([c.value for c in ViolationCategory])), load_default=list
    )


class Case(Command):
    subject_kind = fields.String(required=True, validate=one_of(["member", "organisation"]))
    subject_id = fields.String(required=True, validate=ID)
    form = fields.String(required=True, validate=one_of(FORMS))
    violations = fields.List(fields.Nested(ViolationSchema), required=True)
    discipline_warranted_on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=8000))
    concerns_higher_level_task = fields.Boolean(load_default=False)
    inspection_id = fields.String(load_default=None, allow_none=True, validate=ID)


class ImposeDisciplineSchema(Case):
    decision_id = fields.String(required=True, validate=ID)
    deciding_body_org_id = fields.String(required=True, validate=ID)
    deciding_body_kind = fields.String(required=True, validate=one_of(BODY_KINDS))
    decided_on = fields.Date(required=True)
    received_on = fields.Date(load_default=None, allow_none=True)
    self_detected_and_remedied = fields.Boolean(load_default=False)
    proposal_id = fields.String(load_default=None, allow_none=True, validate=ID)


class ProposeDisciplineSchema(Case):
    proposal_id = fields.String(required=True, validate=ID)
    proposing_body_org_id = fields.String(required=True, validate=ID)
    proposing_body_kind = fields.String(required=True, validate=one_of(BODY_KINDS))
    proposed_on = fields.Date(required=True)


class LodgeAppealSchema(Versioned):
    decision_id = fields.String(required=True, validate=ID)
    appeal_id = fields.String(required=True, validate=ID)
    lodged_on = fields.Date(required=True)
    grounds = fields.String(required=True, validate=validate.Length(min=1, max=8000))


class DecideAppealSchema(Versioned):
    decision_id = fields.String(required=True, validate=ID)
    outcome = fields.String(required=True, validate=one_of([o.value for o in AppealOutcome]))
    new_form = fields.String(load_default=None, allow_none=True, validate=one_of(FORMS))
    decided_on = fields.Date(required=True)
    deciding_body_org_id = fields.String(required=True, validate=ID)
    deciding_body_kind = fields.String(required=True, validate=one_of(BODY_KINDS))
    reason = fields.String(load_default="", validate=validate.Length(max=8000))


class ListDisciplineDecisionsSchema(Command):
    org_id = fields.String(load_default=None, validate=ID)
    subject_id = fields.String(load_default=None, validate=ID)
    status = fields.String(load_default=None, validate=one_of(["enforced", "time_barred", "quashed"]))
    decided_from = fields.Date(load_default=None)
    decided_to = fields.Date(load_default=None)
