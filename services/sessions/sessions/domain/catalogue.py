"""The versioned catalogue that shortcomings are tied to (NQ04, QD37, review areas).

The catalogue is data loaded by an operator, never hard-coded: `Catalogue.from_document`
validates a parsed catalogue file and refuses anything malformed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .exceptions import DomainError, InvalidInput

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z0-9]+$")


class CatalogueInvalid(DomainError):
    """The catalogue file cannot be used; the operator must fix it."""

    code = "catalogue_invalid"


@dataclass(frozen=True)
class CatalogueGroup:
    group_id: str
    source: str
    label: str
    label_vi: str | None


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    group: str
    label: str
    label_vi: str | None


@dataclass(frozen=True)
class Catalogue:
    version: str
    groups: tuple[CatalogueGroup, ...]
    items: tuple[CatalogueItem, ...]

    def item(self, code: str) -> CatalogueItem | None:
        return next((i for i in self.items if i.code == code), None)

    def require_known(self, codes: Iterable[str], field: str = "codes") -> tuple[str, ...]:
        """Return the codes in order, refusing an empty list, repeats and unknown codes."""
        wanted = tuple(codes)
        if not wanted:
            raise InvalidInput(f"{field}: name at least one catalogue item.", field, "CodesMustBeInCatalogue")
        if len(set(wanted)) != len(wanted):
            raise InvalidInput(f"{field} lists a code twice.", field, "CodesMustBeInCatalogue")
        unknown = [c for c in wanted if self.item(c) is None]
        if unknown:
            raise InvalidInput(
                f"{field}: {', '.join(unknown)} not in catalogue version {self.version}.",
                field,
                "CodesMustBeInCatalogue",
            )
        return wanted

    @classmethod
    def from_document(cls, document: Any) -> Catalogue:
        """Build a catalogue from a parsed JSON document, refusing anything malformed."""
        if not isinstance(document, dict):
            _refuse("the catalogue must be a JSON object")
        version = _text(document, "version", "catalogue")
        groups = tuple(_group(g, i) for i, g in enumerate(_list(document, "groups")))
        items = tuple(_item(it, i) for i, it in enumerate(_list(document, "items")))
        _unique([g.group_id for g in groups], "group id")
        _unique([it.code for it in items], "item code")
        known_groups = {g.group_id for g in groups}
        for it in items:
            if it.group not in known_groups:
                _refuse(f"item {it.code} names group {it.group!r}, which is not declared")
        return cls(version, groups, items)


def _refuse(reason: str) -> None:
    raise CatalogueInvalid(f"Catalogue file invalid: {reason}.", None, "CatalogueMustBeWellFormed")


def _list(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list) or not value:
        _refuse(f"{key!r} must be a non-empty list")
    assert isinstance(value, list)
    return value


def _text(record: Any, key: str, where: str, optional: bool = False) -> Any:
    if not isinstance(record, dict):
        _refuse(f"{where} must be an object")
    value = record.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        _refuse(f"{where} needs a non-empty text {key!r}")
    return value


def _group(record: Any, index: int) -> CatalogueGroup:
    where = f"group #{index + 1}"
    return CatalogueGroup(
        group_id=_text(record, "id", where),
        source=_text(record, "source", where),
        label=_text(record, "label", where),
        label_vi=_text(record, "label_vi", where, optional=True),
    )


def _item(record: Any, index: int) -> CatalogueItem:
    where = f"item #{index + 1}"
    code = _text(record, "code", where)
    if not CODE_PATTERN.match(code):
        _refuse(f"{where} has a malformed code {code!r} (expected e.g. NQ04-1)")
    return CatalogueItem(
        code=code,
        group=_text(record, "group", f"item {code}"),
        label=_text(record, "label", f"item {code}"),
        label_vi=_text(record, "label_vi", f"item {code}", optional=True),
    )


def _unique(values: list[str], what: str) -> None:
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        _refuse(f"{what} repeated: {', '.join(repeated)}")
