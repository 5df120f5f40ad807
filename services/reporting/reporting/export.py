"""A report as a CSV or XLSX file: one line per figure, one column per child of the node."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

from openpyxl import Workbook

from .labels import heading, label

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BadExport(ValueError):
    """An export format or language we do not make."""


def table_of(report: dict[str, Any], language: str) -> list[list[Any]]:
    """Header row, then per metric: label, code, total, the node's own, each child."""
    children = report["children"]
    header = [
        heading("line", language),
        heading("metric", language),
        heading("total", language),
        heading("own", language),
        *[child["name"] for child in children],
    ]
    rows: list[list[Any]] = [header]
    for metric, value in report["figures"].items():
        rows.append(
            [
                label(metric, language),
                metric,
                value,
                report["own"].get(metric, 0),
                *[child["figures"].get(metric, 0) for child in children],
            ]
        )
    return rows


def export(report: dict[str, Any], fmt: str, language: str) -> dict[str, str]:
    if fmt not in CONTENT_TYPES:
        raise BadExport(f"format must be csv or xlsx, not {fmt!r}")
    if language not in ("vi", "en"):
        raise BadExport(f"language must be vi or en, not {language!r}")
    rows = table_of(report, language)
    title = f"{heading('report', language)} {report['org']['name']} {report['period']['label']}"
    data = _csv(rows) if fmt == "csv" else _xlsx(title, report, rows, language)
    name = f"report_{report['org']['org_id']}_{report['period']['label']}.{fmt}"
    return {
        "filename": name,
        "content_type": CONTENT_TYPES[fmt],
        "content_base64": base64.b64encode(data).decode("ascii"),
    }


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _xlsx(title: str, report: dict[str, Any], rows: list[list[Any]], language: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = report["period"]["label"][:31]
    sheet.append([title])
    sheet.append([heading("period", language), report["period"]["start"], report["period"]["end"]])
    sheet.append([heading("as_of", language), report["as_of"] or report["tree_date"]])
    sheet.append([heading("tree_date", language), report["tree_date"]])
    sheet.append([])
    for row in rows:
        sheet.append(row)  # ints and floats stay numbers in the cells
    sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
