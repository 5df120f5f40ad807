"""Reports, drill-down, exports and the audit."""

from collections.abc import Callable
from datetime import date, datetime

from marshmallow import ValidationError, fields, validate

from gateway.schemas.common import Page, Strict

PERIOD = validate.Regexp(
    r"^(year:\d{4}|quarter:\d{4}-[1-4]|month:\d{4}-\d{2}|half:\d{4}|nine_months:\d{4}"
    r"|term:\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$",
    error="use year:2025, quarter:2025-1, month:2025-03, half:2025, nine_months:2025 or term:FROM..TO",
)


def period_spec(text: str) -> dict:
    """`quarter:2025-1` as the reporting service's {"kind": "quarter", "year": 2025, "quarter": 1}."""
    kind, _, rest = text.partition(":")
    if kind == "term":
        start, _, end = rest.partition("..")
        return {"kind": "term", "from": start, "to": end}
    year, _, part = rest.partition("-")
    spec: dict = {"kind": kind, "year": int(year)}
    if kind in ("quarter", "month"):
        spec[kind] = int(part)
    return spec


def _parsed_by(parse: Callable[[str], object], error: str) -> Callable[[str], None]:
    """A validator: `parse` must accept the value, else `error` is the field's reason."""

    def check(value: str) -> None:
        try:
            parse(value)
        except ValueError:
            raise ValidationError(error) from None

    return check


_instant = _parsed_by(datetime.fromisoformat, "not an ISO date or instant")
_day = _parsed_by(date.fromisoformat, "not an ISO date (YYYY-MM-DD)")


def period() -> fields.String:
    return fields.String(required=True, validate=PERIOD, metadata={"example": "quarter:2025-1"})


def as_of() -> fields.String:
    return fields.String(load_default=None, validate=_instant, metadata={"description": "ISO instant"})


def tree_date() -> fields.String:
    return fields.String(
        load_default=None,
        validate=_day,
        metadata={
            "description": "ISO date: count every fact under the units the tree had that day "
            "(a unit moved later counts under its old parent); default: the as-of day, or today",
            "example": "2025-06-30",
        },
    )


class ReportQuery(Strict):
    period = period()
    as_of = as_of()
    tree_date = tree_date()


class DrillDownQuery(Page):
    metric = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.:-]{1,120}$"))
    period = period()
    as_of = as_of()
    tree_date = tree_date()
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=10_000))


class ExportQuery(Strict):
    period = period()
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["csv", "xlsx"]))
    lang = fields.String(load_default="vi", validate=validate.OneOf(["vi", "en"]))
    as_of = as_of()
    tree_date = tree_date()


class EventsQuery(Strict):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=5000))
