"""Start real service containers against a throwaway vhost and migrated databases."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from nameko.containers import ServiceContainer
from nameko.standalone.rpc import ClusterRpcProxy

from eventlog.migrations import upgrade


def migrate(package: str, url: str) -> None:
    """Run a service's own Alembic migrations, as operators do before starting it."""
    module = importlib.import_module(package)
    assert module.__file__ is not None
    upgrade(Path(module.__file__).parent / "migrations", url)


class System:
    """Services under test, each with its own store, on one vhost."""

    def __init__(
        self, amqp_uri: str, url_for: Callable[[str], str], container_factory: Callable[..., ServiceContainer]
    ) -> None:
        self.amqp_uri = amqp_uri
        self.url_for = url_for
        self._factory = container_factory
        self._migrated: set[str] = set()

    def start(self, service_cls: type, package: str | None = None, **config: Any) -> ServiceContainer:
        package = package or service_cls.__module__.split(".")[0]
        url = self.url_for(package)
        if package not in self._migrated:
            migrate(package, url)
            self._migrated.add(package)
        return self.start_container(service_cls, url, **config)

    def start_container(self, service_cls: type, url: str, **config: Any) -> ServiceContainer:
        """Start `service_cls` on this vhost with its store at `url`, already prepared."""
        container = self._factory(service_cls, {"AMQP_URI": self.amqp_uri, "DATABASE_URL": url, **config})
        container.start()
        return container

    def rpc(self) -> ClusterRpcProxy:
        return ClusterRpcProxy({"AMQP_URI": self.amqp_uri}, timeout=30)


def eventually(check: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05) -> Any:
    """Poll until `check()` returns something truthy; fail with the last value otherwise."""
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = check()
    assert value, f"condition not met within {timeout}s (last value: {value!r})"
    return value


@pytest.fixture
def system(request, backend, amqp_uri, tmp_path, container_factory) -> Iterator[System]:
    """Every service gets its own database on the backend under test (`backend` param:
    'sqlite' or 'postgresql'; tests parametrize it with `@pytest.mark.parametrize("backend",
    [...], indirect=True)` or use the `backend` fixture's default of both)."""
    databases: dict[str, str] = {}

    def url_for(package: str) -> str:
        if package not in databases:
            if backend == "sqlite":
                databases[package] = f"sqlite:///{tmp_path / (package + '.db')}"
            else:
                databases[package] = request.getfixturevalue("pg_database_factory")(package)
        return databases[package]

    yield System(amqp_uri, url_for, container_factory)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param
