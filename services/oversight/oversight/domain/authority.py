"""Who may impose which discipline on whom (Charter art. 36, DOMAIN.md §6).

`judge_authority` answers for one body; `competent_body_for` walks up the subject's
lineage to name the lowest body that may decide, so every refusal can say what would
have been allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .deciding_bodies import DecidingBody, DecidingBodyKind, Organ
from .discipline_case import DisciplineCase
from .discipline_forms import DisciplineForm, DisciplineSubject
from .exceptions import RuleBroken
from .org_tree import OrgLevel, OrgTree

LIGHT_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING)
HEAVY_MEMBER_FORMS = (DisciplineForm.REMOVAL_FROM_POST, DisciplineForm.EXPULSION)


@dataclass(frozen=True)
class AuthorityVerdict:
    allowed: bool
    rule: str = ""
    reason: str = ""


ALLOWED = AuthorityVerdict(True)


def _refuse(rule: str, reason: str) -> AuthorityVerdict:
    return AuthorityVerdict(False, rule, reason)


def sits_on_grassroots_committee(subject: DisciplineSubject, tree: OrgTree) -> str | None:
    """The grassroots organisation on whose committee the member sits, if any."""
    for post in subject.posts:
        if tree.level_of(post.org_id) is OrgLevel.GRASSROOTS:
            return post.org_id
    return None


def judge_authority(
    body: DecidingBody,
    subject: DisciplineSubject,
    form: DisciplineForm,
    tree: OrgTree,
    concerns_higher_level_task: bool = False,
) -> AuthorityVerdict:
    """Whether `body` may impose `form` on `subject`, and if not which rule stops it."""
    if not tree.is_within(subject.org_id, body.org_id):
        return _refuse(
            "SubjectMustBeWithinDecidingBodySubtree",
            f"organisation {subject.org_id!r} is outside the subtree of {body.kind.description} "
            f"of {body.org_id!r}",
        )
    if not subject.is_member and subject.org_id == body.org_id:
        return _refuse("OrganisationIsDisciplinedByAHigherLevel", "an organisation may not discipline itself")
    if body.kind is DecidingBodyKind.CELL:
        return _judge_cell(body, subject, form, concerns_higher_level_task)
    if body.kind is DecidingBodyKind.GRASSROOTS_COMMITTEE:
        return _judge_grassroots_committee(body, subject, form, tree)
    return ALLOWED  # district and provincial bodies: every form within their subtree


def _judge_cell(
    body: DecidingBody, subject: DisciplineSubject, form: DisciplineForm, higher_task: bool
) -> AuthorityVerdict:
    if not subject.is_member:
        return _refuse("CellMayDisciplineOnlyItsOwnMembers", "a cell may not discipline an organisation")
    if form not in LIGHT_FORMS:
        return _refuse("CellMayOnlyReprimandOrWarn", f"a cell may not {form.verb}")
    if subject.org_id != body.org_id:
        return _refuse("CellMayDisciplineOnlyItsOwnMembers", "a cell may only discipline its own members")
    if higher_task:
        return _refuse(
            "CellMayNotDisciplineForTasksAssignedByAHigherLevel",
            "a cell may not discipline a member for a task assigned by a higher level",
        )
    return ALLOWED


def _judge_grassroots_committee(
    body: DecidingBody, subject: DisciplineSubject, form: DisciplineForm, tree: OrgTree
) -> AuthorityVerdict:
    if not subject.is_member:
        return _refuse(
            "GrassrootsCommitteeMayNotDisciplineOrganisations",
            "a grassroots committee may not discipline an organisation",
        )
    if form in LIGHT_FORMS:
        return ALLOWED
    if any(tree.is_within(body.org_id, post.org_id) for post in subject.posts):
        return _refuse(
            "GrassrootsCommitteeMembersAreRemovedOrExpelledByTheLevelAbove",
            f"a grassroots committee may not {form.verb} its own committee members "
            "or members of a higher committee",
        )
    if form is DisciplineForm.EXPULSION and not tree.node(body.org_id).authorised_to_admit_members:
        return _refuse(
            "GrassrootsCommitteeMayExpelOnlyIfAuthorisedToAdmit",
            "a grassroots committee not authorised to admit members may not expel",
        )
    return ALLOWED


@dataclass(frozen=True)
class CompetentBody:
    """The lowest body that may decide, and who proposes to it."""

    body: DecidingBody
    on_proposal_of: DecidingBody | None = None

    def describe(self, refused: DecidingBody | None = None) -> str:
        """'the district standing committee may, on the cell's proposal'; the organisation is
        named only when the refused body is of the same kind."""
        text = self.body.kind.description
        if refused is not None and refused.kind is self.body.kind:
            text += f" of {self.body.org_id!r}"
        text += " may"
        if self.on_proposal_of is not None:
            proposer = self.on_proposal_of.kind.value.replace("_", " ")
            text += f", on the {proposer}'s proposal"
        return text


def _candidate_kinds(level: OrgLevel) -> tuple[DecidingBodyKind, ...]:
    if level is OrgLevel.CELL:
        return (DecidingBodyKind.CELL,)
    if level is OrgLevel.GRASSROOTS:
        return (DecidingBodyKind.GRASSROOTS_COMMITTEE,)
    # Between sessions of the committee its standing committee decides.
    return (DecidingBodyKind.of(level, Organ.STANDING_COMMITTEE),)


def competent_body_for(
    subject: DisciplineSubject,
    form: DisciplineForm,
    tree: OrgTree,
    concerns_higher_level_task: bool = False,
    refused: DecidingBody | None = None,
) -> CompetentBody | None:
    """The lowest body in the subject's lineage that may impose `form`."""
    for org_id in tree.lineage(subject.org_id):
        for kind in _candidate_kinds(tree.level_of(org_id)):
            candidate = DecidingBody(org_id, kind)
            if judge_authority(candidate, subject, form, tree, concerns_higher_level_task).allowed:
                return CompetentBody(candidate, _proposer(subject, form, tree, candidate, refused))
    return None


def _proposer(
    subject: DisciplineSubject,
    form: DisciplineForm,
    tree: OrgTree,
    competent: DecidingBody,
    refused: DecidingBody | None,
) -> DecidingBody | None:
    # Removing or expelling a grassroots committee member is proposed by the member's own cell.
    if (
        subject.is_member
        and form in HEAVY_MEMBER_FORMS
        and sits_on_grassroots_committee(subject, tree) is not None
        and tree.level_of(subject.org_id) is OrgLevel.CELL
    ):
        return DecidingBody(subject.org_id, DecidingBodyKind.CELL)
    if refused is not None and tree.is_strictly_below(refused.org_id, competent.org_id):
        return refused
    return None


def check_within_authority(
    body: DecidingBody, case: DisciplineCase, form: DisciplineForm, tree: OrgTree
) -> None:
    """Raise RuleBroken naming the rule and the body that could have decided instead."""
    verdict = judge_authority(body, case.subject, form, tree, case.concerns_higher_level_task)
    if verdict.allowed:
        return
    competent = competent_body_for(case.subject, form, tree, case.concerns_higher_level_task, body)
    instead = competent.describe(body) if competent else "no body in this tree may"
    raise RuleBroken(f"{verdict.reason}; {instead}.", "deciding_body_kind", verdict.rule, instead)
