"""Settling a delivery (ack, reject) when the broker connection may already be gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import amqp.exceptions
import kombu.exceptions

BROKER_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    amqp.exceptions.ConnectionError,  # RecoverableConnectionError, ConnectionForced, ...
    amqp.exceptions.RecoverableChannelError,
    kombu.exceptions.OperationalError,  # kombu could not (re)open the connection
    OSError,  # the socket: builtin ConnectionError, BrokenPipeError, timeouts
)
"""What a broker that stopped, restarted or cut the connection raises mid-call.

nameko itself only catches `amqp.exceptions.ConnectionError` around an ack; a broken
socket raises `OSError` and kombu `OperationalError`, and either one escaping a worker
kills the whole container.
"""


def try_settle(settle: Callable[[], object], message: Any) -> str | None:
    """Call `settle` (e.g. `message.ack`); None if it worked, else why it could not.

    A message whose channel has lost its connection is not touched: the broker has
    already taken it back and redelivers it. Errors other than the connection's are bugs
    and propagate.
    """
    channel = getattr(message, "channel", None)
    if channel is None or not channel.connection:
        return "the connection it arrived on is closed"
    try:
        settle()
    except BROKER_CONNECTION_ERRORS as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
