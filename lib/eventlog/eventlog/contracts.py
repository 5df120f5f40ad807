"""The event contract registry: JSON Schemas and examples under `contracts/events/`."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from .envelope import NewEvent
from .errors import InvalidEvent


def contracts_dir() -> Path:
    """`EVENT_CONTRACTS_DIR`, else the nearest `contracts/events` above here or the cwd."""
    explicit = os.environ.get("EVENT_CONTRACTS_DIR")
    if explicit:
        return Path(explicit)
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        for folder in (start, *start.parents):
            candidate = folder / "contracts" / "events"
            if candidate.is_dir():
                return candidate
    raise FileNotFoundError("no contracts/events folder found; set EVENT_CONTRACTS_DIR")


class ContractRegistry:
    """Per event type and schema version: a JSON Schema and an example payload."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or contracts_dir()

    def event_types(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def versions(self, event_type: str) -> list[int]:
        folder = self.root / event_type
        return sorted(int(p.name[1:].split(".")[0]) for p in folder.glob("v*.schema.json"))

    def schema(self, event_type: str, version: int) -> dict[str, Any]:
        return _load(self.root / event_type / f"v{version}.schema.json")

    def example(self, event_type: str, version: int) -> dict[str, Any]:
        return _load(self.root / event_type / f"v{version}.example.json")

    def validate(self, event_type: str, version: int, payload: dict[str, Any]) -> None:
        """Raise InvalidEvent naming the field and the reason if `payload` breaks its contract."""
        path = str(self.root / event_type / f"v{version}.schema.json")
        if not _exists(path):
            raise InvalidEvent(f"no contract for {event_type} v{version} in {self.root}")
        # The compiled validator answers the common case (valid) in microseconds; a
        # refusal is explained by python-jsonschema's best match, the clearer message.
        if _compiled(path).is_valid(payload):
            return
        error = jsonschema.exceptions.best_match(_validator(path).iter_errors(payload))
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(payload)"
            raise InvalidEvent(f"{event_type} v{version}: field {where}: {error.message}")
        first = next(iter(_compiled(path).iter_errors(payload)))  # the stricter of the two wins
        where = "/".join(str(p) for p in first.instance_path) or "(payload)"
        raise InvalidEvent(f"{event_type} v{version}: field {where}: {first.message}")

    def check(self, event: NewEvent) -> None:
        """The producer-side check: every event we store must meet its contract."""
        self.validate(event.type, event.schema_version, event.payload)


@cache
def _load(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _exists(path: str) -> bool:
    return Path(path).exists()


@cache
def _compiled(path: str) -> Any:
    return jsonschema_rs.validator_for(_load(Path(path)), validate_formats=True)


@cache
def _validator(path: str) -> jsonschema.protocols.Validator:
    schema = _load(Path(path))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)
