"""Where each resource kind's events go: its API's hub, and that API's subscription filter."""

from __future__ import annotations

from dataclasses import dataclass

from .matching import EventFilter

FANOUT_CURSOR = "fanout"  # the outbox position fanned out into deliveries
BROKER_CURSOR = "broker"  # the outbox position published to the broker


@dataclass(frozen=True)
class HubRoute:
    """Where the events of one resource kind go: its API's hub, and that API's query filter."""

    hub_kind: str
    api_name: str
    event_filter: EventFilter
