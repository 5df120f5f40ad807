"""`python -m eventlog.migrate SERVICE [SERVICE ...]`: bring each service's store up to date.

A service's migrations are found in its installed package (`<service>/migrations`); its
database URL comes from the environment (`<SERVICE>_DATABASE_URL`, default SQLite under
`var/`).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from .engine import database_url
from .migrations import upgrade


def migrate(service: str) -> str:
    package = importlib.import_module(service)
    assert package.__file__ is not None
    url = database_url(service)
    upgrade(Path(package.__file__).parent / "migrations", url)
    return url


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m eventlog.migrate SERVICE [SERVICE ...]", file=sys.stderr)
        return 2
    for service in argv:
        url = migrate(service)
        print(f"{service}: migrated ({url.split('@')[-1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
