"""What each event counts for: pure functions from an event's payload to facts.

A fact is (metric, org_id, on_date, value, subject_kind, subject_id, ref, once). `once`
marks a fact counted at most once per `ref` (a remediation item's first plan, however
many revisions follow). Nothing here reads the database: the same event always gives
the same facts, which is what makes a replay equal to the live projection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .catalogue import catalogue_group

SUPERVISION_KINDS = ("thematic_supervision", "regular_supervision")


class Fact(NamedTuple):
    metric: str
    org_id: str
    on_date: str
    value: int = 1
    subject_kind: str | None = None
    subject_id: str | None = None
    ref: str | None = None
    once: bool = False


Payload = dict[str, Any]


def _unit(p: Payload) -> list[Fact]:
    return [
        Fact(
            f"units.registered.{p['kind']}",
            p["org_id"],
            p["registered_on"],
            subject_kind="organisation",
            subject_id=p["org_id"],
            ref=p["org_id"],
        )
    ]


def _dissolved(p: Payload) -> list[Fact]:
    return [
        Fact(
            "units.dissolved",
            p["org_id"],
            p["dissolved_on"],
            subject_kind="organisation",
            subject_id=p["org_id"],
            ref=p["org_id"],
        )
    ]


def _plan(p: Payload) -> list[Fact]:
    found = [
        Fact(
            "plans.issued",
            p["org_id"],
            p["issued_on"],
            subject_kind="plan",
            subject_id=p["plan_id"],
            ref=p["plan_id"],
        )
    ]
    if p.get("parent_plan_id"):
        found.append(
            Fact(
                "plans.cascaded",
                p["org_id"],
                p["issued_on"],
                subject_kind="organisation",
                subject_id=p["org_id"],
                ref=p["parent_plan_id"],
            )
        )
    found += [
        Fact(
            "plans.units_required",
            unit,
            p["issued_on"],
            subject_kind="organisation",
            subject_id=unit,
            ref=p["plan_id"],
        )
        for unit in p.get("required_unit_ids") or []
    ]
    return found


def _task(p: Payload) -> list[Fact]:
    ref = f"{p['plan_id']}/{p['task_id']}"
    return [
        Fact("tasks.assigned", p["org_id"], p["assigned_on"], subject_kind="task", subject_id=ref, ref=ref),
        Fact("tasks.due", p["org_id"], p["deadline"], subject_kind="task", subject_id=ref, ref=ref),
    ]


def _task_done(p: Payload) -> list[Fact]:
    ref = f"{p['plan_id']}/{p['task_id']}"
    return [
        Fact(
            "tasks.completed",
            p["org_id"],
            p["completed_on"],
            subject_kind="task",
            subject_id=ref,
            ref=ref,
            once=True,
        )
    ]


def _copy(p: Payload) -> list[Fact]:
    return [
        Fact(
            "plans.flagged_as_copy",
            p["org_id"],
            p["flagged_on"],
            subject_kind="plan",
            subject_id=p["plan_id"],
            ref=p["plan_id"],
            once=True,
        )
    ]


def _remediation(metric: str, date_field: str, once: bool = True) -> Callable[[Payload], list[Fact]]:
    def facts(p: Payload) -> list[Fact]:
        return [
            Fact(
                metric,
                p["org_id"],
                p[date_field],
                subject_kind=p.get("subject_kind"),
                subject_id=p.get("subject_id"),
                ref=p["item_id"],
                once=once,
            )
        ]

    return facts


def _session(p: Payload) -> list[Fact]:
    common = {"subject_kind": "session", "subject_id": p["session_id"], "ref": p["session_id"]}
    found = [
        Fact("sessions.held", p["org_id"], p["held_on"], **common),
        Fact("sessions.attendances", p["org_id"], p["held_on"], value=int(p["present"]), **common),
    ]
    if p.get("pilot"):
        found.append(Fact("sessions.pilot", p["org_id"], p["held_on"], **common))
    if p.get("non_compliant"):
        found.append(Fact("sessions.non_compliant", p["org_id"], p["held_on"], **common))
    return found


def present_members(p: Payload) -> list[str] | None:
    """The members the minutes mark present, or None when the payload has no readable
    attendance list (an attendance figure then drills down to its session only)."""
    attendance = p.get("attendance")
    if not isinstance(attendance, list):
        return None
    try:
        return [str(entry["member_id"]) for entry in attendance if entry.get("presence") == "present"]
    except (KeyError, TypeError, AttributeError):
        return None


def _shortcoming(p: Payload) -> list[Fact]:
    common = {"subject_kind": p["subject_kind"], "subject_id": p["subject_id"], "ref": p["shortcoming_id"]}
    day = p["recorded_on"]
    found = [Fact("shortcomings.recorded", p["org_id"], day, **common)]
    found += [Fact(f"shortcomings.item.{code}", p["org_id"], day, **common) for code in p["codes"]]
    groups = sorted({catalogue_group(code) for code in p["codes"]})
    found += [Fact(f"shortcomings.group.{group}", p["org_id"], day, **common) for group in groups]
    return found


def _rating(p: Payload) -> list[Fact]:
    # A rating belongs to its year; a later rating of the same subject and year
    # replaces it (resolved when counting, see figures.py).
    ref = f"{p['subject_kind']}:{p['subject_id']}:{p['year']}"
    return [
        Fact(
            f"ratings.{p['subject_kind']}.{p['level']}",
            p["org_id"],
            f"{p['year']}-12-31",
            subject_kind=p["subject_kind"],
            subject_id=p["subject_id"],
            ref=ref,
        )
    ]


def _inspection(p: Payload) -> list[Fact]:
    if p["kind"] in SUPERVISION_KINDS:  # counted when conducted
        return []
    return [
        Fact(
            f"inspected.{p['kind']}.{p['subject_kind']}",
            p["org_id"],
            p["decided_on"],
            subject_kind=p["subject_kind"],
            subject_id=p["subject_id"],
            ref=p["inspection_id"],
        )
    ]


def _concluded(p: Payload) -> list[Fact]:
    common = {"subject_kind": p["subject_kind"], "subject_id": p["subject_id"], "ref": p["inspection_id"]}
    found = [Fact(f"inspections.concluded.{p['subject_kind']}", p["org_id"], p["concluded_on"], **common)]
    if p.get("violation_found"):
        found.append(
            Fact(f"inspected.violation_found.{p['subject_kind']}", p["org_id"], p["concluded_on"], **common)
        )
    return found


def _supervision(p: Payload) -> list[Fact]:
    common = {"subject_kind": p["subject_kind"], "subject_id": p["subject_id"], "ref": p["inspection_id"]}
    found = [Fact(f"supervised.{p['kind']}.{p['subject_kind']}", p["org_id"], p["conducted_on"], **common)]
    if p.get("violation_signs_found"):
        found.append(
            Fact(f"supervised.violation_signs.{p['subject_kind']}", p["org_id"], p["conducted_on"], **common)
        )
    return found


def _discipline(p: Payload) -> list[Fact]:
    subject = "organisation" if p["subject_kind"] == "organisation" else "member"
    metric = f"discipline.{subject}.{p['form']}" if p["status"] == "enforced" else "discipline.time_barred"
    return [
        Fact(
            metric,
            p["org_id"],
            p["decided_on"],
            subject_kind=p["subject_kind"],
            subject_id=p["subject_id"],
            ref=p["decision_id"],
        )
    ]


def _simple(metric: str, date_field: str, subject: str, ref: str) -> Callable[[Payload], list[Fact]]:
    def facts(p: Payload) -> list[Fact]:
        return [
            Fact(
                metric,
                p["org_id"],
                p[date_field],
                subject_kind=p.get(f"{subject}_kind", subject),
                subject_id=p.get(f"{subject}_id"),
                ref=p[ref],
            )
        ]

    return facts


def _appeal_decided(p: Payload) -> list[Fact]:
    facts = [
        Fact(
            f"appeals.decided.{p['outcome']}",
            p["org_id"],
            p["decided_on"],
            subject_kind=p["subject_kind"],
            subject_id=p["subject_id"],
            ref=p["appeal_id"],
        )
    ]
    overturned, counted_on = p.get("form_in_force"), p.get("decision_decided_on")
    if p["outcome"] in ("quashed", "changed") and overturned and counted_on:
        # A quashed decision no longer counts as discipline, a changed one counts as its
        # new form: both where the decision was counted (its own date), so every period's
        # figure is what is in force as far as the log knows. Events written before these
        # fields existed leave the original figure as it was.
        subject = "organisation" if p["subject_kind"] == "organisation" else "member"
        common = {"subject_kind": p["subject_kind"], "subject_id": p["subject_id"], "ref": p["decision_id"]}
        facts.append(Fact(f"discipline.{subject}.{overturned}", p["org_id"], counted_on, value=-1, **common))
        if p["outcome"] == "changed" and p.get("new_form"):
            facts.append(Fact(f"discipline.{subject}.{p['new_form']}", p["org_id"], counted_on, **common))
    return facts


def _programme(p: Payload) -> list[Fact]:
    return [
        Fact(
            "programme.items_planned",
            p["org_id"],
            p["adopted_on"],
            value=len(p["items"]),
            subject_kind="programme",
            subject_id=p["programme_id"],
            ref=p["programme_id"],
        )
    ]


FACTS_OF: dict[str, Callable[[Payload], list[Fact]]] = {
    "OrganizationRegistered": _unit,
    "OrganizationDissolved": _dissolved,
    "PlanIssued": _plan,
    "PlanTaskAssigned": _task,
    "PlanTaskCompleted": _task_done,
    "PlanFlaggedAsCopy": _copy,
    "RemediationOpened": _remediation("remediation.opened", "opened_on"),
    "RemediationPlanSubmitted": _remediation("remediation.submitted", "submitted_on"),
    "RemediationProgressReported": _remediation("remediation.progress_reported", "reported_on", once=False),
    "ShortcomingRemedied": _remediation("remediation.remedied", "remedied_on"),
    "RemediationOverdue": _remediation("remediation.overdue", "detected_on"),
    "SessionScheduled": _simple("sessions.scheduled", "scheduled_on", "session", "session_id"),
    "SessionHeld": _session,
    "ShortcomingRecorded": _shortcoming,
    "RatingAssigned": _rating,
    "InspectionOpened": _inspection,
    "InspectionConcluded": _concluded,
    "SupervisionConducted": _supervision,
    "DisciplineProposed": _simple("discipline.proposed", "proposed_on", "subject", "proposal_id"),
    "DisciplineImposed": _discipline,
    "DisciplineAppealed": _simple("appeals.lodged", "lodged_on", "subject", "appeal_id"),
    "AppealDecided": _appeal_decided,
    "ReviewSuggested": _simple("reviews.suggested", "suggested_on", "target", "suggestion_id"),
    "ReviewSuggestionAnswered": _simple("reviews.answered", "answered_on", "target", "suggestion_id"),
    "InspectionProgrammeAdopted": _programme,
    "ProgrammeItemCarriedOut": _simple(
        "programme.items_carried_out", "carried_out_on", "inspection", "item_id"
    ),
}
