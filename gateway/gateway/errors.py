"""One error format for every answer that is not a success: {"error": {code, message, fields}}."""

from __future__ import annotations

import json
from typing import Any

from nameko.exceptions import RemoteError
from werkzeug.wrappers import Response

from eventlog.refusals import parse_refusal


class ApiError(Exception):
    """A request the gateway answers with a 4xx/5xx; nothing was written."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}

    def response(self) -> Response:
        return error_response(self.status, self.code, self.message, self.fields)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, headers=headers, mimetype="application/json"
    )


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_response(status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> Response:
    return json_response(error_body(code, message, fields), status)


def from_remote(error: RemoteError) -> ApiError:
    """A service's typed refusal as the status it chose; anything else is a 502."""
    detail = parse_refusal(error.exc_type, error.value)
    if detail is None:
        if error.exc_type == "UnknownService":
            return ApiError(503, "service_unavailable", "a service is not running")
        return ApiError(502, "service_error", f"a service failed: {error.exc_type}")
    fields = detail.get("fields") or ({detail["field"]: [detail["message"]]} if detail.get("field") else {})
    if detail.get("rule"):
        fields = {**fields, "_rule": [detail["rule"]]}
    status = int(detail["status"])
    return ApiError(status if 400 <= status < 600 else 422, detail["code"], detail["message"], fields)
