"""The amqp adapter: orders to a RabbitMQ queue, status updates from another (docs/adapters.md).

Options (`southbound_options`): `url` (amqp://guest:guest@127.0.0.1:5672/%2F),
`orders_queue` (tmf.orders), `updates_queue` (tmf.order-updates), `cancel_timeout` (5 s),
`socket_timeout` (5 s), `blocked_connection_timeout` (10 s), `batch` (100 updates per poll).
"""

from __future__ import annotations

from typing import Any

from tmf_gateway.southbound import Adapter

from .fulfilment import AmqpFulfilment

__all__ = ["AmqpFulfilment", "create_adapter"]


def create_adapter(options: dict[str, Any]) -> Adapter:
    adapter = Adapter(name="amqp")
    adapter.fulfilment = AmqpFulfilment(options)
    return adapter
