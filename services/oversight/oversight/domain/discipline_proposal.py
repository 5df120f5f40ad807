"""A body without the authority to decide records a proposal to the body that has it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .authority import competent_body_for, judge_authority
from .business_rule import check_rule
from .deciding_bodies import DecidingBody, DecidingBodyKind
from .discipline_case import DisciplineCase
from .discipline_events import DisciplineProposed
from .discipline_forms import DisciplineForm, DisciplineFormMustSuitSubject, DisciplineSubject
from .event_payload import DomainEvent
from .exceptions import InvalidValue, RuleBroken
from .org_tree import OrgTree
from .rule_sets import DEFAULT_RULE_SETS, RuleSetCatalogue


class DisciplineProposal:
    """One proposal; it is answered by a DisciplineDecision that cites its proposal_id."""

    def __init__(self) -> None:
        self.proposal_id = ""
        self.subject_id = ""
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
        rule_sets: RuleSetCatalogue = DEFAULT_RULE_SETS,
    ) -> DisciplineProposal:
        """Record the proposal, judged by the rule set in force on `proposed_on`."""
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
                allowed_instead=(
                    f"{body.kind.description} of {body.org_id!r} may decide it itself (impose_discipline)"
                ),
            )
        competent = competent_body_for(case.subject, form, tree, case.concerns_higher_level_task, body)
        if competent is None:
            raise RuleBroken(
                f"No body in this tree may {form.verb} this subject, so there is no one to propose to.",
                field="form",
                rule="ProposalNeedsACompetentBody",
            )
        rule_set = rule_sets.in_force_on(proposed_on, field="proposed_on")
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
                rule_set=rule_set.rule_set_id,
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
            self.subject_id = event.subject_id
            self.form = DisciplineForm(event.form)
            self.proposed_to = DecidingBody(
                event.proposed_to_org_id, DecidingBodyKind(event.proposed_to_body_kind)
            )

    def _record(self, event: DomainEvent) -> None:
        self.apply(event)
        self.new_events.append(event)


@dataclass(frozen=True)
class DecisionMustAnswerAProposalAddressedToTheBody:
    """A decision citing a proposal answers one made to this very body, about this subject."""

    proposal: DisciplineProposal
    body: DecidingBody
    subject: DisciplineSubject
    field: str | None = "proposal_id"

    def is_broken(self) -> bool:
        return self.proposal.proposed_to != self.body or self.proposal.subject_id != self.subject.subject_id

    def message(self) -> str:
        to = self.proposal.proposed_to
        if to != self.body and to is not None:
            return (
                f"Proposal {self.proposal.proposal_id!r} was made to {to.kind.description} of "
                f"{to.org_id!r}, not to {self.body.kind.description} of {self.body.org_id!r}."
            )
        return (
            f"Proposal {self.proposal.proposal_id!r} concerns {self.proposal.subject_id!r}, "
            f"not {self.subject.subject_id!r}."
        )

    def allowed_instead(self) -> str | None:
        to = self.proposal.proposed_to
        if to is None or to == self.body:
            return None
        return f"{to.kind.description} of {to.org_id!r} may answer it"
