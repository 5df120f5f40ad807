"""Shortcomings found by an inspection or supervision, tied to catalogue codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .event_payload import PayloadValue
from .exceptions import InvalidValue
from .inspection_kinds import OversightSubjectKind

# The catalogue itself is versioned data kept elsewhere; here only the code's shape is checked.
CATALOGUE_CODE = re.compile(r"^[A-Z][A-Z0-9]*-[1-9][0-9]*$")


@dataclass(frozen=True)
class Finding(PayloadValue):
    """One shortcoming of a member or an organisation."""

    shortcoming_id: str
    subject_kind: str
    subject_id: str
    org_id: str
    codes: tuple[str, ...]
    description: str

    def check(self, index: int) -> None:
        where = f"findings[{index}]"
        if not self.shortcoming_id.strip():
            raise InvalidValue(
                f"The shortcoming_id of {where} must not be empty.", field=f"{where}.shortcoming_id"
            )
        if self.subject_kind not in {k.value for k in OversightSubjectKind}:
            raise InvalidValue(
                f"The subject_kind of {where} must be member or organisation, not {self.subject_kind!r}.",
                field=f"{where}.subject_kind",
            )
        if not self.codes:
            raise InvalidValue(
                f"The finding {where} must be tied to at least one catalogue code.", field=f"{where}.codes"
            )
        if len(set(self.codes)) != len(self.codes):
            raise InvalidValue(f"The codes of {where} must not repeat.", field=f"{where}.codes")
        for code in self.codes:
            if not CATALOGUE_CODE.match(code):
                raise InvalidValue(
                    f"The code {code!r} in {where} is not a catalogue code like NQ04-3 or QD37-14.",
                    field=f"{where}.codes",
                )
        if not self.description.strip():
            raise InvalidValue(f"The description of {where} must not be empty.", field=f"{where}.description")


def check_findings(findings: tuple[Finding, ...]) -> None:
    ids = [f.shortcoming_id for f in findings]
    if len(set(ids)) != len(ids):
        raise InvalidValue("Each finding needs its own shortcoming_id.", field="findings")
    for index, finding in enumerate(findings):
        finding.check(index)


def check_conclusion(conclusion: str, findings: tuple[Finding, ...], catalogue_version: str) -> None:
    """A conclusion has text; its findings name the catalogue version their codes come from."""
    if not conclusion.strip():
        raise InvalidValue("The conclusion must not be empty.", field="conclusion")
    if findings and not catalogue_version.strip():
        raise InvalidValue(
            "Findings need the catalogue_version their codes come from.", field="catalogue_version"
        )
    check_findings(findings)
