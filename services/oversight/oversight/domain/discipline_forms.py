"""Discipline forms and which of them suit which subject (DOMAIN.md §6, Regulation 69 art. 7)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .org_tree import Post


class DisciplineForm(StrEnum):
    REPRIMAND = "reprimand"
    WARNING = "warning"
    REMOVAL_FROM_POST = "removal_from_post"
    EXPULSION = "expulsion"
    DISSOLUTION = "dissolution"

    @property
    def verb(self) -> str:
        """The form as a verb, for sentences like 'a cell may not expel'."""
        return _VERBS[self]


_VERBS = {
    DisciplineForm.REPRIMAND: "reprimand",
    DisciplineForm.WARNING: "warn",
    DisciplineForm.REMOVAL_FROM_POST: "remove from post",
    DisciplineForm.EXPULSION: "expel",
    DisciplineForm.DISSOLUTION: "dissolve",
}

FORM_LABELS_VI = {
    DisciplineForm.REPRIMAND: "Khiển trách",
    DisciplineForm.WARNING: "Cảnh cáo",
    DisciplineForm.REMOVAL_FROM_POST: "Cách chức",
    DisciplineForm.EXPULSION: "Khai trừ",
    DisciplineForm.DISSOLUTION: "Giải tán",
}


class DisciplineSubjectKind(StrEnum):
    FULL_MEMBER = "full_member"
    PROBATIONARY_MEMBER = "probationary_member"
    ORGANISATION = "organisation"


ALLOWED_FORMS: dict[DisciplineSubjectKind, tuple[DisciplineForm, ...]] = {
    DisciplineSubjectKind.FULL_MEMBER: (
        DisciplineForm.REPRIMAND,
        DisciplineForm.WARNING,
        DisciplineForm.REMOVAL_FROM_POST,
        DisciplineForm.EXPULSION,
    ),
    DisciplineSubjectKind.PROBATIONARY_MEMBER: (DisciplineForm.REPRIMAND, DisciplineForm.WARNING),
    DisciplineSubjectKind.ORGANISATION: (
        DisciplineForm.REPRIMAND,
        DisciplineForm.WARNING,
        DisciplineForm.DISSOLUTION,
    ),
}


@dataclass(frozen=True)
class DisciplineSubject:
    """Who is disciplined: a member (with the posts they hold) or an organisation.

    For an organisation, subject_id and org_id are the organisation itself.
    """

    kind: DisciplineSubjectKind
    subject_id: str
    org_id: str
    posts: tuple[Post, ...] = ()

    @property
    def is_member(self) -> bool:
        return self.kind is not DisciplineSubjectKind.ORGANISATION


@dataclass(frozen=True)
class DisciplineFormMustSuitSubject:
    """Each subject has its own list of forms; removal needs a post to remove from."""

    subject: DisciplineSubject
    form: DisciplineForm
    field: str | None = "form"

    def is_broken(self) -> bool:
        if self.form not in ALLOWED_FORMS[self.subject.kind]:
            return True
        return self.form is DisciplineForm.REMOVAL_FROM_POST and not self.subject.posts

    @property
    def suitable_forms(self) -> tuple[DisciplineForm, ...]:
        """The forms this subject may be given: removal only to a member who holds a post."""
        return tuple(
            f
            for f in ALLOWED_FORMS[self.subject.kind]
            if f is not DisciplineForm.REMOVAL_FROM_POST or self.subject.posts
        )

    def allowed_instead(self) -> str:
        """'reprimand, warning or expulsion': the forms that would suit this subject."""
        *rest, last = [f.value for f in self.suitable_forms]
        text = f"{', '.join(rest)} or {last}" if rest else last
        if self.subject.kind is DisciplineSubjectKind.PROBATIONARY_MEMBER:
            text += " (or striking off the rolls, xóa tên, which is not a discipline form)"
        return text

    def message(self) -> str:
        kind = self.subject.kind
        if kind is DisciplineSubjectKind.PROBATIONARY_MEMBER and self.form is DisciplineForm.EXPULSION:
            return (
                "A probationary member cannot be expelled: a probationary member who is no longer "
                "fit is struck off the rolls (xóa tên) instead, which is not a discipline form; "
                "the form may only be reprimand or warning."
            )
        if self.form is DisciplineForm.REMOVAL_FROM_POST and self.form in ALLOWED_FORMS[kind]:
            return "The form removal_from_post needs a member who holds a post; this member holds none."
        allowed = ", ".join(f.value for f in ALLOWED_FORMS[kind])
        return f"The form {self.form.value} does not apply to a {kind.value}; allowed forms: {allowed}."
