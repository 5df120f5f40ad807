"""Inspections, supervisions, programmes, review suggestions, discipline and appeals (oversight)."""

from __future__ import annotations

from typing import Any

from gateway.errors import ApiError
from gateway.policy import Target
from gateway.routes import Call, Route, and_listed, given, org_in_body, org_in_query, sliced
from gateway.schemas import discipline as d
from gateway.schemas import oversight as s
from gateway.schemas.common import AsOfQuery

# Inspections say "member"; discipline decisions say which kind of member.
MEMBER_SUBJECTS = ("member", "full_member", "probationary_member")


def fetched(method: str, key: str, org_field: str, member_field: str | None = None) -> Any:
    """A target found by reading the resource first (kept for the read that follows)."""

    def target(call: Call) -> Target:
        call.resource = call.rpc("oversight", method, call.path[key], **given(call.query, "as_of"))
        member = call.resource.get(member_field) if member_field else None
        if member_field and call.resource.get("subject_kind") not in MEMBER_SUBJECTS:
            member = None
        return Target((call.resource[org_field],), member_id=member)

    return target


def suggestion_target(call: Call) -> Target:
    # The service has no get for one suggestion: find it among all of them.
    found = [
        x
        for x in call.rpc("oversight", "list_review_suggestions")
        if x["suggestion_id"] == call.path["suggestion_id"]
    ]
    if not found:
        raise ApiError(404, "not_found", f"no review suggestion {call.path['suggestion_id']}")
    return Target((found[0]["suggesting_body_org_id"],))


def command(method: str, **path_keys: str) -> Any:
    def run(call: Call) -> Any:
        return call.rpc("oversight", method, call.command(**{k: call.path[v] for k, v in path_keys.items()}))

    return run


def create(method: str) -> Any:
    return lambda call: call.rpc("oversight", method, call.body)


def listed(method: str, *names: str) -> Any:
    return lambda call: sliced(call.rpc("oversight", method, **given(call.query, *names)), call)


inspection = fetched("get_inspection", "inspection_id", "deciding_body_org_id")
decision = fetched("get_discipline_decision", "decision_id", "deciding_body_org_id", "subject_id")
programme = fetched("get_programme", "programme_id", "org_id")
# Findings and programme items name organisations of their own: those are touched too.
with_findings = and_listed(inspection, "findings", "org_id")
programme_body = and_listed(org_in_body("org_id"), "items", "subject_org_id")
W, R = "oversight.write", "oversight.read"

ROUTES = [
    Route(
        "open_inspection",
        "POST",
        "/api/inspections",
        "Open an inspection or supervision file by decision (kind, body, subject, team of 3-5).",
        W,
        create("open_inspection"),
        org_in_body("deciding_body_org_id"),
        "inspections",
        body=s.OpenInspection,
        status=201,
    ),
    Route(
        "list_inspections",
        "GET",
        "/api/inspections",
        "Files on subjects in a subtree, optionally of a kind or late to archive.",
        R,
        listed("list_inspections", "org_id", "kind", "late", "as_of"),
        org_in_query,
        "inspections",
        query=s.InspectionQuery,
    ),
    Route(
        "get_inspection",
        "GET",
        "/api/inspections/<inspection_id>",
        "One file: decision, phases, findings, archive deadline.",
        R,
        lambda call: call.resource,
        inspection,
        "inspections",
        query=AsOfQuery,
    ),
    Route(
        "record_inspection_phase",
        "POST",
        "/api/inspections/<inspection_id>/phases",
        "Move a file to its next phase.",
        W,
        command("record_inspection_phase", inspection_id="inspection_id"),
        inspection,
        "inspections",
        body=s.RecordPhase,
        versioned=True,
    ),
    Route(
        "conclude_inspection",
        "POST",
        "/api/inspections/<inspection_id>/conclusion",
        "Conclude an inspection; findings become shortcomings.",
        W,
        command("conclude_inspection", inspection_id="inspection_id"),
        with_findings,
        "inspections",
        body=s.ConcludeInspection,
        versioned=True,
    ),
    Route(
        "conduct_supervision",
        "POST",
        "/api/inspections/<inspection_id>/supervision",
        "Record a supervision as carried out, with findings and signs of violation.",
        W,
        command("conduct_supervision", inspection_id="inspection_id"),
        with_findings,
        "inspections",
        body=s.ConductSupervision,
        versioned=True,
    ),
    Route(
        "adopt_inspection_programme",
        "POST",
        "/api/programmes",
        "Adopt a body's yearly inspection-and-supervision programme.",
        W,
        create("adopt_inspection_programme"),
        programme_body,
        "inspections",
        body=s.AdoptProgramme,
        status=201,
    ),
    Route(
        "get_programme",
        "GET",
        "/api/programmes/<programme_id>",
        "A programme with items still to do and the share carried out.",
        R,
        lambda call: call.resource,
        programme,
        "inspections",
    ),
    Route(
        "record_programme_item_carried_out",
        "POST",
        "/api/programmes/<programme_id>/items/<item_id>/carried-out",
        "Record that a planned item was carried out by a file.",
        W,
        command("record_programme_item_carried_out", programme_id="programme_id", item_id="item_id"),
        programme,
        "inspections",
        body=s.ItemCarriedOut,
        versioned=True,
    ),
    Route(
        "suggest_review",
        "POST",
        "/api/review-suggestions",
        "Tell a collective or member in the body's subtree what to review themselves on.",
        W,
        create("suggest_review"),
        org_in_body("suggesting_body_org_id"),
        "review suggestions",
        body=s.SuggestReview,
        status=201,
    ),
    Route(
        "list_review_suggestions",
        "GET",
        "/api/review-suggestions",
        "Suggestions to targets in a subtree, optionally only open ones.",
        R,
        listed("list_review_suggestions", "org_id", "open_only"),
        org_in_query,
        "review suggestions",
        query=s.SuggestionQuery,
    ),
    Route(
        "answer_review_suggestion",
        "POST",
        "/api/review-suggestions/<suggestion_id>/answer",
        "Close a suggestion with the session or review that answered it.",
        W,
        command("answer_review_suggestion", suggestion_id="suggestion_id"),
        suggestion_target,
        "review suggestions",
        body=s.AnswerSuggestion,
        versioned=True,
    ),
    Route(
        "impose_discipline",
        "POST",
        "/api/discipline",
        "Record the form a body voted; refused, naming who may decide, beyond its authority.",
        W,
        create("impose_discipline"),
        org_in_body("deciding_body_org_id"),
        "discipline",
        body=d.ImposeDiscipline,
        status=201,
    ),
    Route(
        "propose_discipline",
        "POST",
        "/api/discipline-proposals",
        "A body without the authority proposes a form to the lowest body that has it.",
        W,
        create("propose_discipline"),
        org_in_body("proposing_body_org_id"),
        "discipline",
        body=d.ProposeDiscipline,
        status=201,
    ),
    Route(
        "list_discipline_decisions",
        "GET",
        "/api/discipline",
        "Decisions in a subtree, for a subject, by status or period.",
        R,
        listed("list_discipline_decisions", "org_id", "subject_id", "status", "decided_from", "decided_to"),
        org_in_query,
        "discipline",
        query=d.DisciplineQuery,
    ),
    Route(
        "get_discipline_decision",
        "GET",
        "/api/discipline/<decision_id>",
        "A decision with its rule set, limitation dates, form, status and appeals.",
        R,
        lambda call: call.resource,
        decision,
        "discipline",
    ),
    Route(
        "lodge_appeal",
        "POST",
        "/api/discipline/<decision_id>/appeals",
        "The subject appeals within the window; the decision applies meanwhile.",
        "appeals.lodge",
        command("lodge_appeal", decision_id="decision_id"),
        decision,
        "discipline",
        body=d.LodgeAppeal,
        versioned=True,
        status=201,
    ),
    Route(
        "decide_appeal",
        "POST",
        "/api/discipline/<decision_id>/appeal-decision",
        "The body hearing the appeal upholds, changes or quashes the decision.",
        W,
        command("decide_appeal", decision_id="decision_id"),
        lambda call: Target((*(decision(call).org_ids or ()), call.body["deciding_body_org_id"])),
        "discipline",
        body=d.DecideAppeal,
        versioned=True,
    ),
]
