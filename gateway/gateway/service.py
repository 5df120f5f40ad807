"""The gateway: the only door for HTTP clients. It holds no business rules."""

from __future__ import annotations

import json
from typing import Any

from nameko.exceptions import RemoteError
from nameko.rpc import RpcProxy
from nameko.web.handlers import http
from werkzeug.wrappers import Request, Response

from eventlog.refusals import parse_refusal

SERVICES = ("plans", "sessions", "oversight", "reporting")


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def error_response(status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> Response:
    return json_response({"error": {"code": code, "message": message, "fields": fields or {}}}, status)


def from_remote(error: RemoteError) -> Response:
    detail = parse_refusal(error.exc_type, error.value)
    if detail is None:
        return error_response(502, "service_error", f"a service failed: {error.exc_type}")
    fields = detail.get("fields") or ({detail["field"]: [detail["message"]]} if detail.get("field") else {})
    return error_response(int(detail["status"]), detail["code"], detail["message"], fields)


def read_json(request: Request) -> dict[str, Any] | Response:
    try:
        body = json.loads(request.get_data(as_text=False) or b"{}")
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "invalid_json", "the request body is not valid UTF-8 JSON")
    if not isinstance(body, dict):
        return error_response(400, "invalid_json", "the request body must be a JSON object")
    return body


class GatewayService:
    """HTTP in front of the services' RPC."""

    name = "gateway"
    plans = RpcProxy("plans")
    sessions = RpcProxy("sessions")
    oversight = RpcProxy("oversight")
    reporting = RpcProxy("reporting")

    @http("GET", "/health")
    def health(self, request: Request) -> Response:
        """Each service's log head, or why it did not answer."""
        status: dict[str, Any] = {}
        for service in SERVICES:
            try:
                status[service] = {"ok": True, "log_head": getattr(self, service).log_head()}
            except Exception as exc:  # a service that is down must not take health down
                status[service] = {"ok": False, "error": type(exc).__name__}
        code = 200 if all(s["ok"] for s in status.values()) else 503
        return json_response({"services": status}, code)

    @http("POST", "/api/organizations")
    def register_organization(self, request: Request) -> Response:
        body = read_json(request)
        if isinstance(body, Response):
            return body
        try:
            return json_response(self.plans.register_organization(body), 201)
        except RemoteError as exc:
            return from_remote(exc)

    @http("GET", "/api/organizations/<string:org_id>")
    def get_organization(self, request: Request, org_id: str) -> Response:
        try:
            return json_response(self.plans.get_organization(org_id))
        except RemoteError as exc:
            return from_remote(exc)

    @http("GET", "/api/audit/verify")
    def verify(self, request: Request) -> Response:
        """Every service's hash-chain check."""
        results = {}
        for service in SERVICES:
            try:
                results[service] = getattr(self, service).verify_log()
            except RemoteError as exc:
                results[service] = {"ok": False, "problem": exc.exc_type}
        return json_response({"services": results})
