"""Builds the dispatcher (and the optional broker publisher) from the settings."""

from __future__ import annotations

from ..config import Settings
from ..ports import Store
from .delivery import RetryPolicy
from .dispatcher import Dispatcher, HubRoute, Publisher


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


def build_dispatcher(settings: Settings, store: Store, routes: dict[str, HubRoute]) -> Dispatcher:
    return Dispatcher(
        store,
        routes,
        retry_policy(settings),
        concurrency=settings.delivery_concurrency,
        publisher=build_publisher(settings),
    )
