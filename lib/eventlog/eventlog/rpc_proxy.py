"""nameko's `RpcProxy`, whose reply listener survives losing the broker as a reply lands.

nameko 2.14.1's `ReplyListener` acks each reply before handing it to the waiting caller.
An ack on a connection the broker has just dropped raises `BrokenPipeError` (nameko only
catches amqp's own `ConnectionError` there), which escapes the listener's thread and
kills the whole container: seen in the fault suite when the broker stopped while a
service was waiting on a call to another. Here the ack goes through `try_settle`: the
caller still gets the reply it is waiting for, and the broker, which took the unacked
reply back, redelivers it after the reconnect to nobody (an unknown correlation id,
logged at debug as nameko does).

Services import it instead of nameko's::

    from eventlog.rpc_proxy import RpcProxy   # not: from nameko.rpc import RpcProxy
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.message import Message
from nameko import rpc as nameko_rpc

from .settling import try_settle

log = logging.getLogger(__name__)


class TolerantReplyListener(nameko_rpc.ReplyListener):
    def handle_message(self, body: Any, message: Message) -> None:
        problem = try_settle(message.ack, message)
        if problem:
            log.info("a reply could not be acked (%s): the broker redelivers it to nobody", problem)
        correlation_id = message.properties.get("correlation_id")
        client_event = self._reply_events.pop(correlation_id, None)
        if client_event is not None:
            client_event.send(body)
        else:
            log.debug("Unknown correlation id: %s", correlation_id)


class RpcProxy(nameko_rpc.RpcProxy):
    rpc_reply_listener = TolerantReplyListener()
