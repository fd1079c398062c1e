"""Builds the dispatcher's parts (and the optional broker publisher) from the settings."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..config import Settings
from ..ports import Store
from .broker import BrokerFeed, Publisher
from .delivery import HttpSender, RetryPolicy, Sender
from .dispatcher import Dispatcher
from .fanout import OutboxFanOut
from .operations import DeliveryOperations
from .routes import HubRoute
from .worker import DeliveryWorker


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        timeout=settings.delivery_timeout,
        max_attempts=settings.delivery_max_attempts,
        backoff_base=settings.delivery_backoff_base,
        backoff_max=settings.delivery_backoff_max,
    )


def build_publisher(settings: Settings) -> Publisher | None:
    if not settings.broker_url:
        return None
    from .amqp import AmqpPublisher  # needs the `amqp` extra (pika)

    return AmqpPublisher(settings.broker_url)


def build_dispatcher(
    settings: Settings,
    store: Store,
    routes: dict[str, HubRoute],
    *,
    sender: Sender | None = None,
    publisher: Publisher | None = None,
    clock: Callable[[], float] = time.time,
) -> Dispatcher:
    """The dispatcher of one process; `sender`/`publisher` replace HTTP and the broker in tests."""
    publisher = publisher or build_publisher(settings)
    worker = DeliveryWorker(store, routes, retry_policy(settings), sender or HttpSender(),
                            settings.delivery_concurrency, clock)
    return Dispatcher(
        OutboxFanOut(store, routes, clock),
        worker,
        DeliveryOperations(store, with_broker=publisher is not None, clock=clock),
        BrokerFeed(store, routes, publisher) if publisher is not None else None,
    )
