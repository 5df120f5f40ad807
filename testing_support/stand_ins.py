"""Stand-ins for another service: its events, as its contract says, on the real broker.

A service's own tests must not import another service's package (ARCHITECTURE.md: they
talk only through RabbitMQ). Where a test needs another service's facts, it starts a
stand-in under that service's name instead. The stand-in has an event log of its own:
`record_events` appends events whose payloads the store checks against
`contracts/events/` (a payload the contract refuses fails the test), the relay publishes
them to `<name>.events` exactly as the real producer's relay would, and `read_events`
(`EventLogRpc`) answers a consumer's gap catch-up from that log. Nothing of the real
producer's code is involved: only the contract.

Flows across two real services are tested in `tests/cross_service/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventlog.contracts import ContractRegistry
from eventlog.dependencies import EventLog
from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.rpc import EventLogRpc
from eventlog.rpc_entrypoint import rpc
from eventlog.schema import metadata as backbone_metadata

REGISTRY = ContractRegistry()


def contract_event(event_type: str, version: int | None = None, **fields: Any) -> dict[str, Any]:
    """`event_type`'s contract example (its newest version unless `version` is given) with
    `fields` put in place of the example's values, ready for `record_events`.

    A field the contract does not declare is refused here, so a typo fails the test at
    once rather than as a refused append inside the stand-in.
    """
    version = version or max(REGISTRY.versions(event_type))
    declared = set(REGISTRY.schema(event_type, version)["properties"])
    unknown = sorted(set(fields) - declared)
    if unknown:
        raise KeyError(f"{event_type} v{version} declares no field {', '.join(unknown)}")
    payload = {**REGISTRY.example(event_type, version), **fields}
    return {"type": event_type, "schema_version": version, "payload": payload}


def publish_tree(
    rpc: Any, tree: Iterable[tuple[str, str, str | None]], registered_on: str = "2020-01-01"
) -> None:
    """Publish, through a running stand-in for plans, an OrganizationRegistered for each
    (org_id, kind, parent_id) of `tree`, parents first, named "Tổ chức <org_id>"."""
    for org_id, kind, parent_id in tree:
        registered = contract_event(
            "OrganizationRegistered",
            org_id=org_id,
            kind=kind,
            parent_id=parent_id,
            name=f"Tổ chức {org_id}",
            code=None,
            registered_on=registered_on,
        )
        rpc.plans.record_events(f"organization-{org_id}", [registered], 0)


class StandInSource(EventLogRpc):
    """The body of every stand-in: records events in its own log, serves that log."""

    name: str
    event_log: EventLog

    @rpc
    def record_events(
        self, stream_id: str, events: list[dict[str, Any]], expected_version: int | None = None
    ) -> list[int]:
        """Append `events` ({"type", "payload", "schema_version"}, see `contract_event`)
        to `stream_id`; returns their log positions. The relay publishes them."""
        stored = self.event_log.append(
            stream_id,
            expected_version,
            [NewEvent(e["type"], e["payload"], int(e.get("schema_version", 1))) for e in events],
        )
        return [event.position for event in stored]


def stand_in_for(service: str) -> type[StandInSource]:
    """A stand-in service class answering, and publishing, under `service`'s name."""
    return type(
        f"StandIn{service.title()}",
        (StandInSource,),
        {
            "name": service,
            "event_log": EventLog(),
            "__doc__": f"Publishes {service}'s events as its contracts say, and serves its log.",
        },
    )


def start_stand_in(system: Any, service: str) -> Any:
    """Start a stand-in for `service` in `system` (a `testing_support.services.System`),
    on a store of its own on the backend under test; returns its container."""
    url = system.url_for(f"stand_in_{service}")
    engine = make_engine(url)
    backbone_metadata.create_all(engine)  # the log, relay, inbox and answers tables
    engine.dispose()
    return system.start_container(stand_in_for(service), url)
