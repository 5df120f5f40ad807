"""The ceiling the gateway is measured against: bare nameko @http calling one trivial RPC."""

from nameko.rpc import RpcProxy, rpc
from nameko.web.handlers import http


class PingService:
    name = "bench_ping"

    @rpc
    def ping(self) -> str:
        return "pong"


class CeilingHttp:
    name = "bench_ceiling"
    ping = RpcProxy("bench_ping")

    @http("GET", "/ping")
    def get_ping(self, request: object) -> str:
        return self.ping.ping()
