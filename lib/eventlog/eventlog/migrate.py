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


def migrations_of(service: str) -> Path:
    """The `migrations` folder of the service's package (the gateway's too: its folder's
    `__init__.py` points `import gateway` at the real package, gateway/gateway)."""
    package = importlib.import_module(service)
    folder = Path(package.__file__).parent / "migrations" if package.__file__ else None
    if folder is None or not (folder / "env.py").is_file():
        raise SystemExit(f"{service}: no migrations found (looked in {folder or package.__path__})")
    return folder


def migrate(service: str) -> str:
    url = database_url(service)
    upgrade(migrations_of(service), url)
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
