"""The events one resource caused and what became of each (its deliveries), for operators."""

from __future__ import annotations

from dataclasses import dataclass

from ..ports import Delivery, OutboxEvent, Store


@dataclass(frozen=True)
class EventRecord:
    event: OutboxEvent
    deliveries: list[Delivery]


def resource_history(store: Store, kind: str, resource_id: str, limit: int = 100,
                     ) -> list[EventRecord]:
    """The newest `limit` events of the resource, oldest first, each with its deliveries."""
    with store.unit_of_work() as uow:
        events = uow.resource_events(kind, resource_id, limit)
        deliveries = uow.event_deliveries([e.seq for e in events])
    by_seq: dict[int, list[Delivery]] = {}
    for delivery in deliveries:
        by_seq.setdefault(delivery.event_seq, []).append(delivery)
    return [EventRecord(e, by_seq.get(e.seq, [])) for e in events]
