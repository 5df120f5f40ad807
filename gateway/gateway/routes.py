"""The route table: every endpoint as data, so handlers, OpenAPI and the role matrix agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import eventlet
from marshmallow import Schema
from nameko.exceptions import RemoteError, UnknownService

from gateway.errors import ApiError, from_remote
from gateway.policy import Target
from gateway.store import Store, User


class Call:
    """One request as the route's functions see it: checked input and a timed RPC."""

    def __init__(
        self,
        service: Any,
        user: User | None,
        path: dict[str, Any],
        query: dict[str, Any],
        body: dict[str, Any],
        version: int | None,
        raw_query: dict[str, Any],
    ) -> None:
        self.service = service
        self.user = user
        self.path = path
        self.query = query
        self.body = body
        self.version = version
        self.raw_query = raw_query
        self.resource: Any = None  # what the target function fetched, reused by the read

    @property
    def store(self) -> Store:
        return self.service.store

    def rpc(self, service: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a service; refusals keep their status, silence past the timeout is a 503."""
        timeout = float(self.service.config.get("GATEWAY_RPC_TIMEOUT", 10))
        proxy = getattr(self.service, service)
        try:
            with eventlet.Timeout(timeout):
                return getattr(proxy, method)(*args, **kwargs)
        except eventlet.Timeout:
            raise ApiError(
                503, "service_unavailable", f"the {service} service did not answer in {timeout:g}s"
            ) from None
        except UnknownService:
            raise ApiError(503, "service_unavailable", f"the {service} service is not running") from None
        except RemoteError as exc:
            raise from_remote(exc) from None

    def command(self, **ids: Any) -> dict[str, Any]:
        """The body plus ids from the path, with the expected version from If-Match."""
        command = {**self.body, **ids}
        if self.version is not None:
            command["expected_version"] = self.version
        return command


@dataclass(frozen=True)
class Route:
    """One endpoint. `target` names what it touches (for the policy); `run` answers it."""

    name: str
    method: str
    path: str
    summary: str
    action: str
    run: Callable[[Call], Any]
    target: Callable[[Call], Target]
    tag: str
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    status: int = 200
    versioned: bool = False
    produces: str = "application/json"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_write(self) -> bool:
        return self.method == "POST"


def whole_tree(_: Call) -> Target:
    """Touches every organisation: only a grant on "*" will do."""
    return Target(None)


def nothing(_: Call) -> Target:
    """Touches no organisation's data: any grant of a role with the action will do."""
    return Target(())


def org_in_path(call: Call) -> Target:
    return Target((call.path["org_id"],))


def org_in_query(call: Call) -> Target:
    """A collection filtered by `org_id`; without one it spans the whole tree."""
    org_id = call.query.get("org_id")
    return Target((org_id,) if org_id else None)


def org_in_body(*names: str) -> Callable[[Call], Target]:
    def target(call: Call) -> Target:
        orgs = tuple(call.body[n] for n in names if call.body.get(n))
        return Target(orgs or None)

    return target


def and_listed(target: Callable[[Call], Target], list_name: str, field: str) -> Callable[[Call], Target]:
    """`target` plus the organisation each entry of the body's `list_name` names in `field`."""

    def combined(call: Call) -> Target:
        first = target(call)
        if first.org_ids is None:
            return first
        listed = tuple(entry[field] for entry in call.body.get(list_name) or () if entry.get(field))
        return Target((*first.org_ids, *listed), first.member_id)

    return combined


def page(items: list[Any], call: Call, total: int | None = None) -> dict[str, Any]:
    """A collection answer: {"items", "total"?, "offset", "limit"}."""
    body: dict[str, Any] = {
        "items": items,
        "offset": call.query.get("offset", 0),
        "limit": call.query.get("limit", 100),
    }
    if total is not None:
        body["total"] = total
    return body


def sliced(items: list[Any], call: Call) -> dict[str, Any]:
    """Paginate a list a service returns whole."""
    offset, limit = call.query.get("offset", 0), call.query.get("limit", 100)
    return page(items[offset : offset + limit], call, len(items))


def given(query: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named query values that were given, dates back to ISO strings for RPC."""
    out = {}
    for name in names:
        value = query.get(name)
        if value is not None:
            out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out
