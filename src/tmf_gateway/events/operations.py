"""The operators' read model of event delivery: backlog, deliveries, attempts, replay
(the admin API, `tmf-gateway events` and the console's Events page all read it)."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..errors import NotFound
from ..ports import Delivery, DeliveryAttempt, Store
from .routes import BROKER_CURSOR, FANOUT_CURSOR


class DeliveryOperations:
    """Reads and replays deliveries in the store; holds no state of its own."""

    def __init__(
        self, store: Store, with_broker: bool = False, clock: Callable[[], float] = time.time
    ) -> None:
        self.store, self.with_broker, self.clock = store, with_broker, clock

    def backlog(self) -> dict[str, int]:
        """Deliveries by status, and outbox events not yet fanned out (or published)."""
        with self.store.unit_of_work() as uow:
            counts = uow.delivery_counts()
            counts["not_fanned_out"] = uow.outbox_count_after(uow.get_cursor(FANOUT_CURSOR))
            if self.with_broker:
                counts["not_published"] = uow.outbox_count_after(uow.get_cursor(BROKER_CURSOR))
        return counts

    def replay(
        self, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        """How many parked deliveries were put back; NotFound for a named one that is not there."""
        with self.store.unit_of_work(write=True) as uow:
            for delivery_id in delivery_ids or ():
                if uow.get_delivery(delivery_id) is None:
                    raise NotFound(f"delivery {delivery_id} does not exist")
            return uow.replay(self.clock(), delivery_ids, subscription_id)

    def deliveries(self, status: str | None = None, subscription_id: str | None = None,
                   limit: int = 100, offset: int = 0) -> list[Delivery]:
        """One page of deliveries, oldest first, optionally of one status and subscription."""
        with self.store.unit_of_work() as uow:
            return uow.list_deliveries(status, subscription_id, limit, offset)

    def attempts(self, delivery_id: int) -> list[DeliveryAttempt]:
        """NotFound for a delivery that does not exist (none at all is not an empty history)."""
        with self.store.unit_of_work() as uow:
            if uow.get_delivery(delivery_id) is None:
                raise NotFound(f"delivery {delivery_id} does not exist")
            return uow.delivery_attempts(delivery_id)
