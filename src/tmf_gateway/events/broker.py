"""Outbox -> message broker: every event, at least once, in outbox order (optional)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from ..logthrottle import ThrottledLog
from ..ports import Store
from .routes import BROKER_CURSOR, HubRoute

log = logging.getLogger(__name__)


class Publisher(Protocol):
    """Sends events to a message broker; raises when the broker did not confirm them."""

    def publish(self, api_name: str, events: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class BrokerFeed:
    """Moves the broker cursor past what the publisher confirmed; a failure leaves it put."""

    def __init__(self, store: Store, routes: dict[str, HubRoute], publisher: Publisher) -> None:
        self.store, self.routes, self.publisher = store, routes, publisher
        self.failures = ThrottledLog(log)  # a broker outage is not a log flood

    def publish(self, batch: int = 500) -> int:
        """Publish the next batch; how many outbox events it covered. Raises on a broker error."""
        with self.store.unit_of_work() as uow:
            cursor = uow.get_cursor(BROKER_CURSOR)
            events = uow.outbox_after(cursor, batch)
        by_api: dict[str, list[dict[str, Any]]] = {}
        for event in events:
            route = self.routes.get(event.resource_kind)
            if route is not None:
                by_api.setdefault(route.api_name, []).append(event.payload)
        for api_name, payloads in by_api.items():
            self.publisher.publish(api_name, payloads)
        if events:
            with self.store.unit_of_work(write=True) as uow:
                uow.set_cursor(BROKER_CURSOR, events[-1].seq)
        return len(events)

    def publish_quietly(self) -> None:
        """`publish`, logging (throttled) instead of raising: the same events go next time."""
        try:
            self.publish()
        except Exception as exc:
            self.failures.warning("broker", type(exc).__name__,
                                  "publishing events to the broker failed: %s", exc,
                                  exc_info=True)

    def close(self) -> None:
        self.publisher.close()
