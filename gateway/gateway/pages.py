"""Files the gateway serves as they are (the dashboard) and the API page it renders."""

from __future__ import annotations

import html
import mimetypes
from pathlib import Path
from typing import Any

from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from gateway.errors import error_response

STATIC = Path(__file__).parent / "static"


def static_file(path: str) -> Response:
    """A file under static/, never outside it; a JSON 404 for anything missing."""
    joined = safe_join(str(STATIC), path)
    if joined is None or not Path(joined).is_file():
        return error_response(404, "not_found", f"no file {path}")
    kind = mimetypes.guess_type(joined)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return Response(Path(joined).read_bytes(), headers={"Content-Type": kind, "Cache-Control": "no-cache"})


def _schema_rows(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = components.get(name, {})
    rows = []
    required = set(schema.get("required", []))
    for field, spec in schema.get("properties", {}).items():
        kind = spec.get("type") or spec.get("$ref", "").rsplit("/", 1)[-1] or "object"
        if kind == "array":
            item = spec.get("items", {})
            kind = f"array of {item.get('type') or item.get('$ref', '').rsplit('/', 1)[-1]}"
        extra = ", ".join(str(v) for v in spec.get("enum", []))
        rows.append(
            f"<tr><td><code>{html.escape(field)}</code>{' *' if field in required else ''}</td>"
            f"<td>{html.escape(kind)}</td><td>{html.escape(extra)}</td></tr>"
        )
    return (
        "<table><tr><th>field</th><th>type</th><th>values</th></tr>" + "".join(rows) + "</table>"
        if rows
        else ""
    )


def api_page(spec: dict[str, Any]) -> str:
    """Every operation, grouped by tag, with its parameters and body fields."""
    components = spec.get("components", {}).get("schemas", {})
    by_tag: dict[str, list[str]] = {}
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            parts = [
                f"<h3><span class='m {method}'>{method.upper()}</span> <code>{html.escape(path)}</code></h3>",
                f"<p>{html.escape(op.get('summary', ''))}</p>",
            ]
            params = op.get("parameters", [])
            if params:
                parts.append(
                    "<p>Parameters: "
                    + ", ".join(
                        f"<code>{html.escape(p['name'])}</code> ({p['in']}"
                        f"{', required' if p.get('required') else ''})"
                        for p in params
                    )
                    + "</p>"
                )
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                parts.append(_schema_rows(body, components))
            by_tag.setdefault((op.get("tags") or ["other"])[0], []).append(
                "<div class='op'>" + "".join(parts) + "</div>"
            )
    sections = "".join(
        f"<h2 id='{html.escape(t)}'>{html.escape(t)}</h2>" + "".join(ops) for t, ops in by_tag.items()
    )
    toc = " · ".join(f"<a href='#{html.escape(t)}'>{html.escape(t)}</a>" for t in by_tag)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(spec["info"]["title"])}</title><style>
body{{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}}
.op{{border:1px solid #ddd;border-radius:6px;padding:.2em 1em;margin:.8em 0}}
.m{{font-size:.8em;padding:.1em .5em;border-radius:4px;color:#fff;background:#2a7}}.m.post{{background:#27c}}
table{{border-collapse:collapse}}td,th{{border-bottom:1px solid #eee;padding:.2em .6em;text-align:left}}
</style></head><body><h1>{html.escape(spec["info"]["title"])} <small>{spec["info"]["version"]}</small></h1>
<p>{html.escape(spec["info"].get("description", ""))}</p><p>{toc}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>{sections}</body></html>"""
