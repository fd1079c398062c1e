"""Broker publisher plugin: every event to RabbitMQ (topic exchange per API, key = eventType)."""

from __future__ import annotations

import logging
from typing import Any

from .. import jsoncodec
from ..errors import GatewayError

try:
    import pika
    from pika.exceptions import AMQPError
except ImportError as exc:  # the `amqp` extra is not installed
    raise GatewayError("the broker publisher needs the amqp extra: pip install "
                       "'tmf-gateway[amqp]'") from exc

log = logging.getLogger(__name__)
EXCHANGE_PREFIX = "tmf-gateway."


class BrokerUnavailable(GatewayError):
    """The broker did not take (confirm) the events; they are published again later."""


def exchange_name(api_name: str) -> str:
    return f"{EXCHANGE_PREFIX}{api_name}"


class AmqpPublisher:
    """pika BlockingConnection with publisher confirms; persistent messages, id = eventId."""

    def __init__(self, url: str) -> None:
        self._params = pika.URLParameters(url)
        self._connection: Any = None
        self._channel: Any = None
        self._declared: set[str] = set()

    def _open(self) -> Any:
        if self._channel is None or not self._channel.is_open:
            self.close()
            self._connection = pika.BlockingConnection(self._params)
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
            self._declared.clear()
        return self._channel

    def publish(self, api_name: str, events: list[dict[str, Any]]) -> None:
        exchange = exchange_name(api_name)
        try:
            channel = self._open()
            if exchange not in self._declared:
                channel.exchange_declare(exchange, exchange_type="topic", durable=True)
                self._declared.add(exchange)
            for event in events:
                # with confirms on, basic_publish returns once the broker has the message
                channel.basic_publish(
                    exchange,
                    event["eventType"],
                    jsoncodec.dumps(event).encode(),
                    pika.BasicProperties(
                        content_type="application/json",
                        delivery_mode=pika.DeliveryMode.Persistent,
                        message_id=event.get("eventId"),
                        type=event["eventType"],
                    ),
                    mandatory=False,
                )
        except AMQPError as exc:
            self.close()
            raise BrokerUnavailable(f"publishing to {exchange} failed: {exc!r}") from exc

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except AMQPError:
                log.debug("closing the broker connection failed", exc_info=True)
