"""The discipline decision aggregate: imposed (or time-barred), appealed, decided on appeal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from .appeals import (
    AppealMustBeLodgedWithinWindow,
    AppealOutcome,
    appeal_bodies_for,
    check_appeal_heard_by_right_body,
    check_new_form_within_hearers_authority,
    check_outcome_form,
)
from .authority import check_within_authority
from .business_rule import check_rule
from .deciding_bodies import DecidingBody, DecidingBodyKind
from .discipline_case import DisciplineCase
from .discipline_events import AppealDecided, DisciplineAppealed, DisciplineImposed
from .discipline_forms import (
    DisciplineForm,
    DisciplineFormMustSuitSubject,
    DisciplineSubject,
    DisciplineSubjectKind,
)
from .discipline_proposal import DecisionMustAnswerAProposalAddressedToTheBody, DisciplineProposal
from .event_payload import DomainEvent
from .exceptions import InvalidValue, OutOfOrder
from .limitation import limitation_period_for
from .org_tree import OrgTree, Post
from .rule_sets import DEFAULT_RULE_SETS, RuleSetCatalogue

E = TypeVar("E", bound=DomainEvent)


class DisciplineStatus(StrEnum):
    ENFORCED = "enforced"
    TIME_BARRED = "time_barred"
    QUASHED = "quashed"


class DisciplineDecision:
    """One decision on one subject; state is rebuilt from its events."""

    def __init__(self) -> None:
        self.decision_id = ""
        self.subject_kind = DisciplineSubjectKind.FULL_MEMBER
        self.subject_id = ""
        self.org_id = ""
        self.form = DisciplineForm.REPRIMAND
        self.status = DisciplineStatus.ENFORCED
        self.decided_on = date.min
        self.rule_set = ""
        self.self_detected_and_remedied = False
        self.decided_by = DecidingBody("", DecidingBodyKind.CELL)
        self.appeal_window_opens_on = date.min
        self.pending_appeal: DisciplineAppealed | None = None
        self.appeals_decided: list[AppealDecided] = []
        self.new_events: list[DomainEvent] = []

    # -- commands -------------------------------------------------------------

    @classmethod
    def impose(
        cls,
        decision_id: str,
        case: DisciplineCase,
        form: DisciplineForm,
        body: DecidingBody,
        decided_on: date,
        tree: OrgTree,
        received_on: date | None = None,
        self_detected_and_remedied: bool = False,
        proposal: DisciplineProposal | None = None,
        rule_sets: RuleSetCatalogue = DEFAULT_RULE_SETS,
    ) -> DisciplineDecision:
        """Record the form the body voted; a time-barred form is recorded, not enforced.

        A decision that answers a proposal must answer one made to this body about this subject.
        """
        if not decision_id.strip():
            raise InvalidValue("The decision_id must not be empty.", field="decision_id")
        case.check()
        body.check_place(tree)
        tree.node(case.subject.org_id, field="org_id")
        check_rule(DisciplineFormMustSuitSubject(case.subject, form))
        received = received_on or decided_on
        if decided_on < case.discipline_warranted_on:
            raise InvalidValue(
                "The decided_on date must not be before discipline_warranted_on.", field="decided_on"
            )
        if received < decided_on:
            raise InvalidValue("The received_on date must not be before decided_on.", field="received_on")
        check_within_authority(body, case, form, tree)
        if proposal is not None:
            check_rule(DecisionMustAnswerAProposalAddressedToTheBody(proposal, body, case.subject))
        rule_set = rule_sets.in_force_on(decided_on)
        period = limitation_period_for(form, case.violations, rule_set)
        barred = period.is_over_on(case.discipline_warranted_on)
        decision = cls()
        decision._record(
            DisciplineImposed(
                decision_id=decision_id,
                subject_kind=case.subject.kind.value,
                subject_id=case.subject.subject_id,
                org_id=case.subject.org_id,
                deciding_body_org_id=body.org_id,
                deciding_body_kind=body.kind.value,
                form=form.value,
                decided_on=decided_on,
                violation_codes=case.violation_codes,
                rule_set=rule_set.rule_set_id,
                status=(DisciplineStatus.TIME_BARRED if barred else DisciplineStatus.ENFORCED).value,
                self_detected_and_remedied=self_detected_and_remedied,
                received_on=received,
                reason=case.reason,
                discipline_warranted_on=case.discipline_warranted_on,
                limitation_clock_started_on=period.clock_started_on,
                limitation_expires_on=period.expires_on,
                inspection_id=case.inspection_id,
                proposal_id=proposal.proposal_id if proposal else None,
            )
        )
        return decision

    def lodge_appeal(
        self,
        appeal_id: str,
        lodged_on: date,
        grounds: str,
        tree: OrgTree,
        rule_sets: RuleSetCatalogue = DEFAULT_RULE_SETS,
    ) -> DisciplineAppealed:
        """The subject appeals; the decision keeps applying until the appeal is decided."""
        if not appeal_id.strip():
            raise InvalidValue("The appeal_id must not be empty.", field="appeal_id")
        if self.status is not DisciplineStatus.ENFORCED:
            raise OutOfOrder(
                f"Decision {self.decision_id!r} is {self.status.value}; only a decision in force "
                "can be appealed.",
                field="decision_id",
            )
        if self.pending_appeal is not None:
            raise OutOfOrder(
                f"Appeal {self.pending_appeal.appeal_id!r} against this decision is still pending.",
                field="decision_id",
            )
        window = rule_sets.by_id(self.rule_set).appeal_window_months
        check_rule(AppealMustBeLodgedWithinWindow(self.appeal_window_opens_on, lodged_on, window))
        hearer = appeal_bodies_for(self.decided_by, tree)[0]
        return self._record(
            DisciplineAppealed(
                decision_id=self.decision_id,
                appeal_id=appeal_id,
                subject_kind=self.subject_kind.value,
                subject_id=self.subject_id,
                org_id=self.org_id,
                lodged_on=lodged_on,
                appealed_form=self.form.value,
                appeal_to_org_id=hearer.org_id,
                appeal_to_body_kind=hearer.kind.value,
                grounds=grounds,
            )
        )

    def decide_appeal(
        self,
        outcome: AppealOutcome,
        decided_on: date,
        body: DecidingBody,
        tree: OrgTree,
        new_form: DisciplineForm | None = None,
        posts: tuple[Post, ...] = (),
        reason: str = "",
        rule_sets: RuleSetCatalogue = DEFAULT_RULE_SETS,
    ) -> AppealDecided:
        """The right body upholds, changes (to new_form) or quashes the decision.

        A changed form must be one the hearing body could impose itself; the decision on the
        appeal records the rule set in force on its date.
        """
        appeal = self.pending_appeal
        if appeal is None:
            raise OutOfOrder("There is no pending appeal against this decision.", field="decision_id")
        check_appeal_heard_by_right_body(body, appeal_bodies_for(self.decided_by, tree))
        if decided_on < appeal.lodged_on:
            raise InvalidValue(
                "The decided_on date must not be before the appeal was lodged.", field="decided_on"
            )
        subject = DisciplineSubject(self.subject_kind, self.subject_id, self.org_id, posts)
        check_outcome_form(outcome, self.form, new_form, subject)
        if new_form is not None:
            check_new_form_within_hearers_authority(body, subject, new_form, tree)
        rule_set = rule_sets.in_force_on(decided_on)
        return self._record(
            AppealDecided(
                decision_id=self.decision_id,
                appeal_id=appeal.appeal_id,
                outcome=outcome.value,
                new_form=new_form.value if new_form else None,
                decided_on=decided_on,
                deciding_body_org_id=body.org_id,
                deciding_body_kind=body.kind.value,
                subject_kind=self.subject_kind.value,
                subject_id=self.subject_id,
                org_id=self.org_id,
                reason=reason,
                rule_set=rule_set.rule_set_id,
                form_in_force=self.form.value,
                decision_decided_on=self.decided_on,
            )
        )

    # -- state ----------------------------------------------------------------

    @property
    def is_in_force(self) -> bool:
        """Enforced decisions apply while an appeal is pending."""
        return self.status is DisciplineStatus.ENFORCED

    @classmethod
    def from_events(cls, events: Iterable[DomainEvent]) -> DisciplineDecision:
        decision = cls()
        for event in events:
            decision.apply(event)
        return decision

    def apply(self, event: DomainEvent) -> None:
        if isinstance(event, DisciplineImposed):
            self.decision_id = event.decision_id
            self.subject_kind = DisciplineSubjectKind(event.subject_kind)
            self.subject_id, self.org_id = event.subject_id, event.org_id
            self.form = DisciplineForm(event.form)
            self.decided_on = event.decided_on
            self.status = DisciplineStatus(event.status)
            self.rule_set = event.rule_set
            self.self_detected_and_remedied = event.self_detected_and_remedied
            self.decided_by = DecidingBody(
                event.deciding_body_org_id, DecidingBodyKind(event.deciding_body_kind)
            )
            self.appeal_window_opens_on = event.received_on
        elif isinstance(event, DisciplineAppealed):
            self.pending_appeal = event
        elif isinstance(event, AppealDecided):
            self.pending_appeal = None
            self.appeals_decided.append(event)
            self.decided_by = DecidingBody(
                event.deciding_body_org_id, DecidingBodyKind(event.deciding_body_kind)
            )
            self.appeal_window_opens_on = event.decided_on
            if event.outcome == AppealOutcome.QUASHED.value:
                self.status = DisciplineStatus.QUASHED
            elif event.outcome == AppealOutcome.CHANGED.value and event.new_form:
                self.form = DisciplineForm(event.new_form)

    def _record(self, event: E) -> E:
        self.apply(event)
        self.new_events.append(event)
        return event
