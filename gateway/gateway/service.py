"""The gateway: the only door for HTTP clients. It holds no business rules.

Each endpoint in `gateway.resources` becomes an @http method of GatewayService; the pages
(the dashboard, the API docs), the OpenAPI document and /health are written out here.
"""

from __future__ import annotations

from typing import Any

from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from werkzeug.wrappers import Request, Response

from eventlog.green import cooperative_postgres
from gateway import openapi, pages
from gateway.dispatch import handle
from gateway.errors import json_response
from gateway.resources import ALL_ROUTES
from gateway.routes import Route
from gateway.rpc_client import PooledRpcProxy
from gateway.store import GatewayStore
from gateway.web import api

cooperative_postgres()

SERVICES = ("plans", "sessions", "oversight", "reporting")


class WorkerContext(DependencyProvider):
    """The worker's context, so the acting user can go into every RPC's headers."""

    def get_dependency(self, worker_ctx: Any) -> Any:
        return worker_ctx


def endpoint(route: Route) -> Any:
    def method(self: GatewayService, request: Request, **path: Any) -> Response:
        return handle(self, route, request, path)

    method.__name__ = route.name
    method.__doc__ = route.summary
    return api(route.method, route.path)(method)


class GatewayService:
    """HTTP in front of the services' RPC: authentication, validation, errors, OpenAPI."""

    name = "gateway"
    plans = PooledRpcProxy("plans")
    sessions = PooledRpcProxy("sessions")
    oversight = PooledRpcProxy("oversight")
    reporting = PooledRpcProxy("reporting")
    store = GatewayStore()
    config = Config()
    ctx = WorkerContext()

    @api("GET", "/health")
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

    @api("GET", "/openapi.json")
    def openapi_document(self, request: Request) -> Response:
        """The OpenAPI 3 document, generated from the request schemas."""
        return json_response(openapi.document())

    @api("GET", "/api/docs")
    def api_docs(self, request: Request) -> Response:
        """A readable API page rendered from the OpenAPI document; no internet needed."""
        return Response(pages.api_page(openapi.document()), mimetype="text/html")

    @api("GET", "/")
    def dashboard(self, request: Request) -> Response:
        """The dashboard page."""
        return pages.static_file("index.html")

    @api("GET", "/static/<path:path>")
    def static(self, request: Request, path: str) -> Response:
        """The dashboard's assets."""
        return pages.static_file(path)


for _route in ALL_ROUTES:
    setattr(GatewayService, _route.name, endpoint(_route))
