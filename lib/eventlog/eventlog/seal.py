"""Seals: each event's hash signed with a key the service holds and its database does not.

The hash chain alone proves that nothing was edited, deleted, inserted or moved *between*
events, but anyone who can write to the database can append an event at the end with a
correctly computed hash: the chain's formula is public (consumers check envelopes with
it). The seal closes that gap: `seal = HMAC-SHA256(key, hash)`, stored beside the hash.
`verify_log` given the key names the first event whose seal is missing or wrong, so a
row written without the key, however well chained, is reported at its own position.

The key comes from the environment (`<SERVICE>_SEAL_KEY`, else `EVENTLOG_SEAL_KEY`) or,
for the embedded default, from a key file beside the SQLite stores
(`var/<service>.seal-key`, created on first use, readable by its owner only). Two
instances of one service must hold the same key. Logs written before seals existed keep
an unsealed prefix: `verify_log` reports where sealing began, and refuses an unsealed
event after a sealed one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_BYTES = 32


class Sealer:
    """`sealer(hash) -> seal` for one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a seal key needs at least 16 bytes")
        self._key = key

    def __call__(self, digest: str) -> str:
        return hmac.new(self._key, digest.encode("ascii"), hashlib.sha256).hexdigest()

    def matches(self, digest: str, seal: str | None) -> bool:
        return seal is not None and hmac.compare_digest(self(digest), seal)


def key_from_text(text: str) -> bytes:
    """A key as written in the environment or a key file: hex, else the text's bytes."""
    text = text.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        return text.encode("utf-8")


def seal_key(service: str, var_dir: str | None = None, create: bool = True) -> bytes | None:
    """The service's seal key: `<SERVICE>_SEAL_KEY`, `EVENTLOG_SEAL_KEY`, else the key file
    under `var/` (made, with a fresh random key, when `create` and it is missing)."""
    for name in (f"{service.upper()}_SEAL_KEY", "EVENTLOG_SEAL_KEY"):
        value = os.environ.get(name)
        if value:
            return key_from_text(value)
    path = key_file(service, var_dir)
    if path.exists():
        return key_from_text(path.read_text())
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under another name, then linked into place: an instance starting at the
    # same moment either links first or reads the complete file the other linked.
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return key_from_text(path.read_text())


def key_file(service: str, var_dir: str | None = None) -> Path:
    directory = Path(var_dir or os.environ.get("EVENTLOG_VAR_DIR", "var")).resolve()
    return directory / f"{service}.seal-key"
