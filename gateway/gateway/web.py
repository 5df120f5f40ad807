"""nameko's @http with JSON errors for what never reaches an endpoint (404, 405, a crash)."""

from __future__ import annotations

import logging
from typing import Any

from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

from gateway.errors import error_response

log = logging.getLogger(__name__)

CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}


class JsonWsgiApp(WsgiApp):
    """Routing failures answered in the gateway's error format instead of HTML."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except HTTPException as exc:
            code = exc.code or 400
            response = error_response(code, CODES.get(code, "bad_request"), exc.description or exc.name)
            if code == 405 and getattr(exc, "valid_methods", None):
                response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response(environ, start_response)


class JsonWebServer(WebServer):
    def get_wsgi_app(self) -> JsonWsgiApp:
        return JsonWsgiApp(self)


class ApiHandler(HttpRequestHandler):
    """An @http entrypoint on the JSON web server; a crash is a JSON 500, never a trace."""

    server = JsonWebServer()

    def response_from_exception(self, exc: Exception) -> Response:
        log.error("unhandled error in an endpoint: %r", exc)
        return error_response(500, "internal_error", "the gateway failed; nothing was written")


api = ApiHandler.decorator
