"""Bring a read store (the live one or a separate replay target) to the latest schema."""

from __future__ import annotations

from pathlib import Path

from eventlog.migrations import upgrade

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate_read_store(url: str) -> None:
    upgrade(MIGRATIONS, url)
