"""A body without the authority to decide records a proposal to the body that has it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .authority import competent_body_for, judge_authority
from .business_rule import check_rule
from .deciding_bodies import DecidingBody, DecidingBodyKind
from .discipline_case import DisciplineCase
from .discipline_events import DisciplineProposed
from .discipline_forms import DisciplineForm, DisciplineFormMustSuitSubject
from .event_payload import DomainEvent
from .exceptions import InvalidValue, RuleBroken
from .org_tree import OrgTree


class DisciplineProposal:
    """One proposal; it is answered by a DisciplineDecision that cites its proposal_id."""

    def __init__(self) -> None:
        self.proposal_id = ""
        self.proposed_to: DecidingBody | None = None
        self.form = DisciplineForm.REPRIMAND
        self.new_events: list[DomainEvent] = []

    @classmethod
    def propose(
        cls,
        proposal_id: str,
        case: DisciplineCase,
        form: DisciplineForm,
        body: DecidingBody,
        proposed_on: date,
        tree: OrgTree,
    ) -> DisciplineProposal:
        if not proposal_id.strip():
            raise InvalidValue("The proposal_id must not be empty.", field="proposal_id")
        case.check()
        body.check_place(tree, field="proposing_body_kind")
        check_rule(DisciplineFormMustSuitSubject(case.subject, form))
        if not tree.is_within(case.subject.org_id, body.org_id):
            raise RuleBroken(
                f"{body.kind.description} of {body.org_id!r} may only propose discipline within its "
                f"subtree, and {case.subject.org_id!r} is outside it.",
                field="proposing_body_org_id",
                rule="ProposalComesFromWithinTheSubjectsLineage",
            )
        verdict = judge_authority(body, case.subject, form, tree, case.concerns_higher_level_task)
        if verdict.allowed:
            raise RuleBroken(
                f"{body.kind.description} of {body.org_id!r} may itself {form.verb} this subject; "
                "record a decision, not a proposal.",
                field="proposing_body_kind",
                rule="ProposalOnlyWithoutAuthority",
            )
        competent = competent_body_for(case.subject, form, tree, case.concerns_higher_level_task, body)
        if competent is None:
            raise RuleBroken(
                f"No body in this tree may {form.verb} this subject, so there is no one to propose to.",
                field="form",
                rule="ProposalNeedsACompetentBody",
            )
        proposal = cls()
        proposal._record(
            DisciplineProposed(
                proposal_id=proposal_id,
                subject_kind=case.subject.kind.value,
                subject_id=case.subject.subject_id,
                org_id=case.subject.org_id,
                proposing_body_org_id=body.org_id,
                proposing_body_kind=body.kind.value,
                form=form.value,
                proposed_on=proposed_on,
                violation_codes=case.violation_codes,
                proposed_to_org_id=competent.body.org_id,
                proposed_to_body_kind=competent.body.kind.value,
                why_not_decided=verdict.reason,
                reason=case.reason,
                inspection_id=case.inspection_id,
            )
        )
        return proposal

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> DisciplineProposal:
        proposal = cls()
        for event in events:
            proposal.apply(event)
        return proposal

    def apply(self, event: DomainEvent) -> None:
        if isinstance(event, DisciplineProposed):
            self.proposal_id = event.proposal_id
            self.form = DisciplineForm(event.form)
            self.proposed_to = DecidingBody(
                event.proposed_to_org_id, DecidingBodyKind(event.proposed_to_body_kind)
            )

    def _record(self, event: DomainEvent) -> None:
        self.apply(event)
        self.new_events.append(event)
