"""The only eventlet-specific code: make PostgreSQL calls yield to other green threads."""

from __future__ import annotations

from typing import Any


def cooperative_postgres() -> None:
    """Let psycopg2 wait on sockets through eventlet instead of blocking the process."""
    try:
        import psycopg2
        from eventlet.hubs import trampoline
        from psycopg2 import extensions
    except ImportError:  # no PostgreSQL driver or no eventlet: nothing to make cooperative
        return

    def wait(conn: Any, timeout: float | None = None) -> None:
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                trampoline(conn.fileno(), read=True)
            elif state == extensions.POLL_WRITE:
                trampoline(conn.fileno(), write=True)
            else:
                raise psycopg2.OperationalError(f"bad result from poll: {state!r}")

    extensions.set_wait_callback(wait)


def time_limit(seconds: float) -> Any:
    """A context manager that interrupts a green thread waiting longer than `seconds`
    (an RPC to a service that is down would otherwise wait forever and hold up a stop)."""
    try:
        from eventlet import Timeout
        from eventlet.patcher import is_monkey_patched
    except ImportError:
        return _no_limit()
    if not is_monkey_patched("socket"):
        return _no_limit()
    return Timeout(seconds)


class _no_limit:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
