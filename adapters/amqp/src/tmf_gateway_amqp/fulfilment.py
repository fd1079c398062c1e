"""ports.OrderFulfilment over RabbitMQ: confirmed persistent publishes, acks deferred to safety.

Messages on `orders_queue` (durable, persistent, message_id = order id, type = order|cancel):
    order:  the TMF ProductOrder as JSON
    cancel: {"orderId"} with reply_to and correlation_id; the answer is {"accepted": bool}
Messages on `updates_queue`: {"orderId", "itemId", "state", "reason"}.

submit() returns only once the broker confirmed the message, so an order the gateway marks as
submitted is on disk. poll_updates() acks the previous batch when it is called again: by then
the gateway has stored those updates, and a crash before that gets them redelivered.

Errors of pika never leave this module:
    AMQPError, OSError, unroutable or nacked publish, no cancel answer -> SouthboundUnavailable
    a malformed update (dropped from the queue)                        -> SouthboundError
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from tmf_gateway.domain.lifecycle import PRODUCT_ORDER_ITEM
from tmf_gateway.errors import SouthboundError, SouthboundRejected, SouthboundUnavailable
from tmf_gateway.ops.tracing import outgoing_headers
from tmf_gateway.ports import ItemUpdate

DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"


class AmqpFulfilment:
    """One blocking connection, used under a lock; reopened after any failure."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        self.url = str(options.get("url", DEFAULT_URL))
        self.orders_queue = str(options.get("orders_queue", "tmf.orders"))
        self.updates_queue = str(options.get("updates_queue", "tmf.order-updates"))
        self.cancel_timeout = float(options.get("cancel_timeout", 5.0))
        # every call to the broker is bounded: a broker that hangs holds a job this long at most
        self.socket_timeout = float(options.get("socket_timeout", 5.0))
        self.blocked_timeout = float(options.get("blocked_connection_timeout", 10.0))
        self.batch = int(options.get("batch", 100))
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None
        self._unacked: list[int] = []
        self._lock = threading.Lock()

    # -- connection -----------------------------------------------------------------------
    def _open(self) -> BlockingChannel:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        self.close()
        params = pika.URLParameters(self.url)
        params.connection_attempts, params.socket_timeout = 1, self.socket_timeout
        params.blocked_connection_timeout = self.blocked_timeout
        self._connection = pika.BlockingConnection(params)
        channel = self._connection.channel()
        channel.confirm_delivery()
        for queue in (self.orders_queue, self.updates_queue):
            channel.queue_declare(queue, durable=True)
        self._channel, self._unacked = channel, []
        return channel

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(pika.exceptions.AMQPError, OSError):
                connection.close()

    def _call(self, what: str, work: Any) -> Any:
        with self._lock:
            try:
                return work(self._open())
            except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as exc:
                raise SouthboundUnavailable(f"broker did not take the {what}: {exc}") from exc
            except (pika.exceptions.AMQPError, OSError) as exc:
                self.close()
                raise SouthboundUnavailable(f"{what} failed, broker at {self._where()}: "
                                            f"{exc!r}") from exc

    def _where(self) -> str:
        return self.url.rsplit("@", 1)[-1]

    def _publish(self, channel: BlockingChannel, kind: str, message_id: str, body: Any,
                 **props: Any) -> None:
        channel.basic_publish(
            exchange="", routing_key=self.orders_queue, body=json.dumps(body).encode(),
            properties=pika.BasicProperties(
                content_type="application/json", delivery_mode=pika.DeliveryMode.Persistent,
                message_id=message_id, type=kind,
                headers=outgoing_headers() or None,  # the gateway's trace context, if any
                **props),
            mandatory=True,
        )

    # -- the port ---------------------------------------------------------------------------
    def submit(self, order: dict[str, Any]) -> None:
        if not order.get("productOrderItem"):
            raise SouthboundRejected(f"order {order.get('id')} has no items")
        self._call("order", lambda ch: self._publish(ch, "order", order["id"], order))

    def cancel(self, order_id: str) -> bool:
        def rpc(channel: BlockingChannel) -> bool:
            reply = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
            correlation = uuid.uuid4().hex
            self._publish(channel, "cancel", f"cancel-{order_id}", {"orderId": order_id},
                          reply_to=reply, correlation_id=correlation)
            deadline = time.monotonic() + self.cancel_timeout
            try:
                while time.monotonic() < deadline:
                    method, props, body = channel.basic_get(reply, auto_ack=True)
                    if method is None:
                        channel.connection.sleep(0.02)
                    elif props.correlation_id == correlation:
                        return bool(_decode(body).get("accepted"))
            finally:
                channel.queue_delete(reply)
            raise SouthboundUnavailable(
                f"no answer to the cancellation of {order_id} in {self.cancel_timeout}s")

        return self._call("cancellation", rpc)

    def poll_updates(self) -> list[ItemUpdate]:
        def drain(channel: BlockingChannel) -> list[ItemUpdate]:
            for tag in self._unacked:  # the gateway stored the last batch: now let it go
                channel.basic_ack(tag)
            self._unacked = []
            updates: list[ItemUpdate] = []
            while len(updates) < self.batch:
                method, _, body = channel.basic_get(self.updates_queue, auto_ack=False)
                if method is None:
                    break
                try:
                    updates.append(_update(body))
                except SouthboundError:
                    channel.basic_nack(method.delivery_tag, requeue=False)  # poison: drop it
                    for tag in self._unacked:
                        channel.basic_nack(tag, requeue=True)  # the good ones come back
                    self._unacked = []
                    raise
                self._unacked.append(method.delivery_tag)
            return updates

        return self._call("status poll", drain)


def _decode(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise SouthboundError(f"malformed message from the legacy system: {body[:100]!r}") from exc
    if not isinstance(data, dict):
        raise SouthboundError(f"malformed message from the legacy system: {body[:100]!r}")
    return data


def _update(body: bytes) -> ItemUpdate:
    data = _decode(body)
    try:
        update = ItemUpdate(str(data["orderId"]), str(data["itemId"]), str(data["state"]),
                            str(data.get("reason") or ""))
    except KeyError as exc:
        raise SouthboundError(f"status update without {exc}: {data}") from exc
    if update.state not in PRODUCT_ORDER_ITEM.states:
        raise SouthboundError(f"status update with unknown state: {data}")
    return update
