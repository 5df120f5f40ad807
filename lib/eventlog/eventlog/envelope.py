"""What an event is before and after it is stored, and how it is hashed."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

GENESIS_HASH = "0" * 64


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds and a Z: the only timestamp form we store."""
    if moment.tzinfo is UTC:  # the common case, a third of the time of strftime
        return moment.isoformat(timespec="microseconds")[:-6] + "Z"
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return _CANONICAL.encode(value)


@dataclass(frozen=True)
class Metadata:
    """Who caused an event, why, and when it happened."""

    actor: str = "system"
    correlation_id: str | None = None
    causation_id: str | None = None
    occurred_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "correlation_id": self.correlation_id,
            "causation_id": self.causation_id,
            "occurred_at": self.occurred_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Metadata:
        data = data or {}
        return cls(
            actor=str(data.get("actor") or "system"),
            correlation_id=data.get("correlation_id"),
            causation_id=data.get("causation_id"),
            occurred_at=data.get("occurred_at"),
        )


def new_event_id() -> str:
    """A UUID version 7 (RFC 9562) as 32 hex digits: the milliseconds since the epoch,
    then 74 random bits. Ids made later sort later, so the log's unique index on them
    grows at its right edge instead of touching a random page on every append."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 0x7 << 76  # the version
    value = value & ~(0x3 << 62) | 0x2 << 62  # the RFC 4122 variant
    return f"{value:032x}"


@dataclass(frozen=True)
class NewEvent:
    """An event a command decided on, not yet stored."""

    type: str
    payload: dict[str, Any]
    schema_version: int = 1
    event_id: str = field(default_factory=new_event_id)


class StoredEvent(NamedTuple):
    """An event as the log holds it: its place, its content, its chain link.

    A tuple, built straight from the database row; the payload and metadata stay as the
    stored JSON text and are decoded on access: tailing, relaying and verifying never
    need them decoded.
    """

    position: int
    stream_id: str
    stream_version: int
    event_id: str
    type: str
    schema_version: int
    payload_json: str
    metadata_json: str
    recorded_at: str
    prev_hash: str
    hash: str

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.payload_json)  # type: ignore[no-any-return]

    @property
    def metadata(self) -> dict[str, Any]:
        return json.loads(self.metadata_json)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"StoredEvent({self.position}, {self.stream_id!r}@{self.stream_version}, {self.type})"

    def to_message(self, source: str) -> dict[str, Any]:
        """The envelope published on the bus and returned by `read_events`."""
        return {
            "source": source,
            "position": self.position,
            "stream_id": self.stream_id,
            "stream_version": self.stream_version,
            "event_id": self.event_id,
            "type": self.type,
            "schema_version": self.schema_version,
            "payload": self.payload,
            "metadata": self.metadata,
            "recorded_at": self.recorded_at,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    def to_message_json(self, source: str) -> str:
        """The same envelope as JSON text, splicing the stored JSON in without re-encoding it."""
        head = json.dumps(
            {
                "source": source,
                "position": self.position,
                "stream_id": self.stream_id,
                "stream_version": self.stream_version,
                "event_id": self.event_id,
                "type": self.type,
                "schema_version": self.schema_version,
                "recorded_at": self.recorded_at,
                "prev_hash": self.prev_hash,
                "hash": self.hash,
            },
            ensure_ascii=False,
        )
        return f'{head[:-1]},"payload":{self.payload_json},"metadata":{self.metadata_json}}}'


def chain_hash(
    prev_hash: str,
    position: int,
    stream_id: str,
    stream_version: int,
    event_id: str,
    type_: str,
    schema_version: int,
    payload_json: str,
    metadata_json: str,
    recorded_at: str,
) -> str:
    """SHA-256 over the predecessor's hash and every stored field of the event.

    The position is inside the hash, so moving an event (reordering) breaks the chain
    just as editing, deleting or inserting one does.
    """
    material = "\x1f".join(
        [
            prev_hash,
            str(position),
            stream_id,
            str(stream_version),
            event_id,
            type_,
            str(schema_version),
            payload_json,
            metadata_json,
            recorded_at,
        ]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def envelope_is_intact(envelope: dict[str, Any]) -> bool:
    """Whether a received envelope still hashes to what the source's log recorded."""
    try:
        digest = chain_hash(
            envelope["prev_hash"],
            envelope["position"],
            envelope["stream_id"],
            envelope["stream_version"],
            envelope["event_id"],
            envelope["type"],
            envelope["schema_version"],
            canonical_json(envelope["payload"]),
            canonical_json(envelope["metadata"]),
            envelope["recorded_at"],
        )
    except (KeyError, TypeError):
        return False
    return digest == envelope.get("hash")
