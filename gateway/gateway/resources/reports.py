"""Reports, their drill-down and exports (reporting service)."""

from __future__ import annotations

import base64
from typing import Any

from werkzeug.wrappers import Response

from gateway.routes import Call, Route, org_in_path
from gateway.schemas import reports as s
from gateway.schemas.reports import period_spec


def report(call: Call) -> Response:
    """The report as the reporting service encoded it, sent on without decoding it."""
    q = call.query
    text = call.rpc(
        "reporting",
        "get_report_json",
        call.path["org_id"],
        period_spec(q["period"]),
        q.get("as_of"),
        q.get("tree_date"),
    )
    return Response(text, mimetype="application/json")


def drill_down(call: Call) -> dict[str, Any]:
    """One page of the facts behind a figure, with how many there are in all (`total`)
    and whether more follow (`truncated`): the service pages, so a deep page costs no
    more than the first."""
    q = call.query
    return call.rpc(
        "reporting",
        "drill_down_page",
        call.path["org_id"],
        q["metric"],
        period_spec(q["period"]),
        q.get("as_of"),
        q["offset"],
        q["limit"],
        q.get("tree_date"),
    )


def export(call: Call) -> Response:
    q = call.query
    file = call.rpc(
        "reporting",
        "export_report",
        call.path["org_id"],
        period_spec(q["period"]),
        q["format"],
        q["lang"],
        q.get("as_of"),
        q.get("tree_date"),
    )
    name = file["filename"].replace('"', "")
    return Response(
        base64.b64decode(file["content_base64"]),
        mimetype=file["content_type"],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


ROUTES = [
    Route(
        "get_report",
        "GET",
        "/api/reports/<org_id>",
        "Every figure of the subtree for a period, and the same per child (the dashboard's source).",
        "reports.read",
        report,
        org_in_path,
        "reports",
        query=s.ReportQuery,
    ),
    Route(
        "drill_down",
        "GET",
        "/api/reports/<org_id>/drill-down",
        "The facts (events) behind one figure of a report.",
        "reports.read",
        drill_down,
        org_in_path,
        "reports",
        query=s.DrillDownQuery,
    ),
    Route(
        "export_report",
        "GET",
        "/api/reports/<org_id>/export",
        "The report as a CSV or XLSX file, Vietnamese or English headings.",
        "reports.read",
        export,
        org_in_path,
        "reports",
        query=s.ExportQuery,
        produces="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
]
