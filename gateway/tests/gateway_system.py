"""The four services and the gateway in this process, once per test module, for HTTP tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from nameko.containers import ServiceContainer
from nameko.testing.utils import find_free_port

from gateway.service import GatewayService
from oversight.service import OversightService
from plans.service import PlansService
from reporting.service import ReportingService
from sessions.service import SessionsService
from testing_support.broker import Broker
from testing_support.databases import create_pg_database, drop_pg_database
from testing_support.fixtures import AMQP_HOST, PG_ADMIN_URL
from testing_support.services import migrate

SERVICES = {
    "plans": PlansService,
    "sessions": SessionsService,
    "oversight": OversightService,
    "reporting": ReportingService,
}


class Client:
    """requests against the gateway, optionally signed in."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        self.token = token
        self.session = requests.Session()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.session.request(method, self.base_url + path, headers=headers, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=body, **kwargs)

    def whoami(self) -> str:
        return str(self.get("/api/me").json()["username"])

    def login(self, username: str, password: str) -> Client:
        answer = requests.post(
            self.base_url + "/api/auth/token", json={"username": username, "password": password}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        return Client(self.base_url, answer.json()["token"])


class GatewaySystem:
    def __init__(
        self, base_url: str, admin: Client, urls: dict[str, str], stop: Callable[[str], None]
    ) -> None:
        self.base_url = base_url
        self.admin = admin
        self.urls = urls
        self.stop_service = stop

    def anonymous(self) -> Client:
        return Client(self.base_url)

    def user(self, username: str, grants: list[dict[str, Any]], password: str = "secret-pass") -> Client:
        created = self.admin.post(
            "/api/users", {"username": username, "password": password, "display_name": username.title()}
        )
        assert created.status_code in (201, 409), created.text
        for grant in grants:
            granted = self.admin.post(f"/api/users/{username}/grants", grant)
            assert granted.status_code == 201, granted.text
        return Client(self.base_url).login(username, password)


@contextmanager
def running_gateway(backend: str, tmp: Path, **gateway_config: Any) -> Iterator[GatewaySystem]:
    """Migrate every store, start every container on a vhost of our own, clean up after."""
    broker = Broker(AMQP_HOST, f"test-gw-{uuid.uuid4().hex[:10]}")
    broker.create()
    made: list[str] = []
    containers: dict[str, ServiceContainer] = {}
    try:
        urls = {}
        for name in (*SERVICES, "gateway"):
            if backend == "sqlite":
                urls[name] = f"sqlite:///{tmp / (name + '.db')}"
            else:
                made.append(f"test_gw_{name}_{uuid.uuid4().hex[:8]}")
                urls[name] = create_pg_database(PG_ADMIN_URL, made[-1])
            migrate(name, urls[name])
        port = find_free_port()
        for name, cls in SERVICES.items():
            containers[name] = ServiceContainer(
                cls, {"AMQP_URI": broker.amqp_uri, "DATABASE_URL": urls[name], "max_workers": 20}
            )
        containers["gateway"] = ServiceContainer(
            GatewayService,
            {
                "AMQP_URI": broker.amqp_uri,
                "DATABASE_URL": urls["gateway"],
                "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}",
                "GATEWAY_RPC_TIMEOUT": 5,
                "max_workers": 20,
                **gateway_config,
            },
        )
        for container in containers.values():
            container.start()
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while requests.get(base_url + "/health", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "the system did not become healthy"
            time.sleep(0.2)
        admin = Client(base_url).login("admin", "admin")

        def stop(name: str) -> None:
            containers.pop(name).stop()

        yield GatewaySystem(base_url, admin, urls, stop)
    finally:
        # The services call each other on timers: a graceful stop of one waits for the
        # others' RPC timeouts, so stop the gateway and kill the rest.
        if "gateway" in containers:
            containers.pop("gateway").stop()
        for container in containers.values():
            container.kill()
        broker.delete()
        for name in made:
            drop_pg_database(PG_ADMIN_URL, name)
