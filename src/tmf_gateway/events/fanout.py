"""Outbox -> delivery rows: each new event is owed to every matching subscription of its API."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from ..errors import InvalidResource
from ..ports import Delivery, Store
from .routes import FANOUT_CURSOR, HubRoute

log = logging.getLogger(__name__)
BATCH = 500  # outbox events fanned out per transaction


class OutboxFanOut:
    """Moves the fan-out cursor along the outbox, one transaction per batch."""

    def __init__(
        self, store: Store, routes: dict[str, HubRoute], clock: Callable[[], float] = time.time
    ) -> None:
        self.store, self.routes, self.clock = store, routes, clock

    def fan_out(self, batch: int = BATCH) -> int:
        """Owe each new outbox event to every matching subscription; how many events were read."""
        with self.store.unit_of_work(write=True) as uow:
            cursor = uow.get_cursor(FANOUT_CURSOR)
            events = uow.outbox_after(cursor, batch)
            if not events:
                return 0
            # one process fans out at a time: the one that waited reads on from the other's end
            locked = uow.get_cursor(FANOUT_CURSOR, lock=True)
            if locked != cursor:
                cursor, events = locked, uow.outbox_after(locked, batch)
                if not events:
                    return 0
            subscriptions: dict[str, list[dict[str, Any]]] = {}
            owed: list[Delivery] = []
            now = self.clock()
            for event in events:
                route = self.routes.get(event.resource_kind)
                if route is None:
                    continue
                if route.hub_kind not in subscriptions:
                    subscriptions[route.hub_kind] = list(uow.iterate(route.hub_kind))
                for sub in subscriptions[route.hub_kind]:
                    if event.seq <= sub.get("afterSeq", 0):
                        continue
                    if _matches(route, sub, event.payload):
                        owed.append(
                            Delivery(
                                0, event.seq, event.event_id, event.event_type, sub["id"],
                                route.hub_kind, sub["callback"], "pending", 0, now,
                            )
                        )
            uow.add_deliveries(owed)
            uow.set_cursor(FANOUT_CURSOR, events[-1].seq)
            return len(events)

    def catch_up(self) -> None:
        """Fan out until the outbox is read to its end."""
        while self.fan_out() == BATCH:
            pass


def _matches(route: HubRoute, sub: dict[str, Any], event: dict[str, Any]) -> bool:
    try:
        return route.event_filter.matches(sub.get("query"), event)
    except InvalidResource:
        log.warning("subscription %s has an unusable query %r", sub["id"], sub.get("query"))
        return False
