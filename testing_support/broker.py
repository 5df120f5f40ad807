"""A throwaway RabbitMQ vhost, through the management API (or rabbitmqctl without it)."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from base64 import b64encode
from urllib.parse import quote

MANAGEMENT = "http://127.0.0.1:15672/api"


class Broker:
    def __init__(self, host: str, vhost: str, user: str = "guest", password: str = "guest") -> None:
        self.host = host
        self.vhost = vhost
        self.user = user
        self.password = password
        self.amqp_uri = f"amqp://{user}:{password}@{host}:5672/{quote(vhost, safe='')}"

    def _api(self, method: str, path: str, body: dict | None = None) -> object:
        token = b64encode(f"{self.user}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"{MANAGEMENT}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Basic {token}", "content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def _has_api(self) -> bool:
        try:
            self._api("GET", "/overview")
            return True
        except (urllib.error.URLError, OSError):
            return False

    def create(self) -> None:
        v = quote(self.vhost, safe="")
        if self._has_api():
            self._api("PUT", f"/vhosts/{v}")
            self._api(
                "PUT", f"/permissions/{v}/{self.user}", {"configure": ".*", "write": ".*", "read": ".*"}
            )
        else:
            subprocess.run(["rabbitmqctl", "add_vhost", self.vhost], check=True, capture_output=True)
            subprocess.run(
                ["rabbitmqctl", "set_permissions", "-p", self.vhost, self.user, ".*", ".*", ".*"],
                check=True,
                capture_output=True,
            )

    def delete(self) -> None:
        try:
            if self._has_api():
                self._api("DELETE", f"/vhosts/{quote(self.vhost, safe='')}")
            else:
                subprocess.run(["rabbitmqctl", "delete_vhost", self.vhost], capture_output=True)
        except Exception:  # the broker may be stopped by a fault test; nothing left to clean
            subprocess.run(["rabbitmqctl", "delete_vhost", self.vhost], capture_output=True)

    def queues(self) -> list[dict]:
        """Each queue of the vhost as {"name", "messages", "consumers"}."""
        if self._has_api():
            return list(self._api("GET", f"/queues/{quote(self.vhost, safe='')}") or [])  # type: ignore[arg-type]
        listed = subprocess.run(
            [
                "rabbitmqctl",
                "-q",
                "list_queues",
                "-p",
                self.vhost,
                "--formatter",
                "json",
                "name",
                "messages",
                "consumers",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return list(json.loads(listed.stdout or "[]"))

    def queue_depth(self, name: str) -> int:
        if self._has_api():
            data = self._api("GET", f"/queues/{quote(self.vhost, safe='')}/{quote(name, safe='')}")
            return int(data.get("messages", 0))  # type: ignore[union-attr]
        for queue in self.queues():
            if queue["name"] == name:
                return int(queue.get("messages", 0))
        raise LookupError(f"no queue {name!r} in vhost {self.vhost!r}")

    def queue_consumers(self, name: str) -> int:
        """How many consumers the queue has, as the broker last reported (it may lag)."""
        if self._has_api():
            data = self._api("GET", f"/queues/{quote(self.vhost, safe='')}/{quote(name, safe='')}")
            return int(data.get("consumers", 0))  # type: ignore[union-attr]
        for queue in self.queues():
            if queue["name"] == name:
                return int(queue.get("consumers", 0))
        raise LookupError(f"no queue {name!r} in vhost {self.vhost!r}")
