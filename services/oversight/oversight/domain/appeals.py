"""Appeal rules: who hears an appeal and within which window (Charter art. 36, Reg. 296)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .authority import competent_body_for, judge_authority
from .business_rule import check_rule
from .calendar_periods import same_day_months_later
from .deciding_bodies import DecidingBody, DecidingBodyKind, Organ
from .discipline_forms import DisciplineForm, DisciplineFormMustSuitSubject, DisciplineSubject
from .exceptions import InvalidValue, RuleBroken
from .org_tree import OrgLevel, OrgTree


class AppealOutcome(StrEnum):
    UPHELD = "upheld"
    CHANGED = "changed"
    QUASHED = "quashed"


def appeal_bodies_for(decided_by: DecidingBody, tree: OrgTree) -> tuple[DecidingBody, ...]:
    """Bodies that may hear an appeal against a decision of `decided_by`, the usual one first.

    An inspection commission's decision goes first to the committee of the same level;
    any other decision goes to the level above.
    """
    if decided_by.kind.organ is Organ.INSPECTION_COMMISSION:
        level = decided_by.kind.level
        return tuple(
            DecidingBody(decided_by.org_id, DecidingBodyKind.of(level, organ))
            for organ in (Organ.COMMITTEE, Organ.STANDING_COMMITTEE)
        )
    parent = tree.parent_of(decided_by.org_id)
    if parent is None:
        raise RuleBroken(
            "An appeal against a decision taken at the top of this tree goes to the Central "
            "Inspection Commission or the Secretariat, which this system does not record.",
            field="decision_id",
            rule="AppealGoesToTheLevelAbove",
        )
    level = tree.level_of(parent)
    organs = (
        (Organ.COMMITTEE,)
        if level is OrgLevel.GRASSROOTS
        else (Organ.COMMITTEE, Organ.STANDING_COMMITTEE, Organ.INSPECTION_COMMISSION)
    )
    return tuple(DecidingBody(parent, DecidingBodyKind.of(level, organ)) for organ in organs)


@dataclass(frozen=True)
class AppealMustBeLodgedWithinWindow:
    """Within one month (per the rule set) of receiving the decision."""

    received_on: date
    lodged_on: date
    window_months: int
    field: str | None = "lodged_on"

    @property
    def last_day(self) -> date:
        return same_day_months_later(self.received_on, self.window_months)

    def is_broken(self) -> bool:
        return not (self.received_on <= self.lodged_on <= self.last_day)

    def allowed_instead(self) -> str:
        return f"an appeal lodged from {self.received_on.isoformat()} to {self.last_day.isoformat()}"

    def message(self) -> str:
        if self.lodged_on < self.received_on:
            return (
                f"The appeal's lodged_on {self.lodged_on.isoformat()} is before the decision was "
                f"received on {self.received_on.isoformat()}."
            )
        return (
            f"The appeal's lodged_on {self.lodged_on.isoformat()} is too late: appeals must be lodged "
            f"within {self.window_months} month(s) of receiving the decision, by "
            f"{self.last_day.isoformat()}."
        )


def check_appeal_heard_by_right_body(body: DecidingBody, hearers: tuple[DecidingBody, ...]) -> None:
    """Only the bodies that hear this appeal may decide it; the refusal names them."""
    if body in hearers:
        return
    names = " or ".join(f"{h.kind.description} of {h.org_id!r}" for h in hearers)
    raise RuleBroken(
        f"{body.kind.description} of {body.org_id!r} may not decide this appeal; {names} may.",
        field="deciding_body_kind",
        rule="AppealIsDecidedByTheRightBody",
        allowed_instead=f"{names} may",
    )


def check_outcome_form(
    outcome: AppealOutcome,
    current: DisciplineForm,
    new_form: DisciplineForm | None,
    subject: DisciplineSubject,
) -> None:
    """A changed outcome names a different form that suits the subject; the others name none."""
    if outcome is not AppealOutcome.CHANGED:
        if new_form is not None:
            raise InvalidValue(
                f"A new_form is given only when the outcome is changed, not {outcome.value}.",
                field="new_form",
            )
        return
    if new_form is None or new_form is current:
        raise InvalidValue(
            "A changed outcome needs a new_form different from the current form.", field="new_form"
        )
    check_rule(DisciplineFormMustSuitSubject(subject, new_form, field="new_form"))


def check_new_form_within_hearers_authority(
    body: DecidingBody, subject: DisciplineSubject, new_form: DisciplineForm, tree: OrgTree
) -> None:
    """A body hearing an appeal may change the form only to one it could impose itself.

    Otherwise a grassroots committee not authorised to admit members could turn a cell's
    warning into an expulsion; the refusal names the body that may impose the new form.
    """
    verdict = judge_authority(body, subject, new_form, tree)
    if verdict.allowed:
        return
    competent = competent_body_for(subject, new_form, tree, refused=body)
    instead = competent.describe(body) if competent else "no body in this tree may"
    raise RuleBroken(
        f"{body.kind.description} of {body.org_id!r} hears this appeal but may not change the "
        f"form to {new_form.value}: {verdict.reason} ({verdict.rule}); {instead}.",
        field="new_form",
        rule="AppealMayChangeTheFormOnlyWithinTheHearersAuthority",
        allowed_instead=instead,
    )
