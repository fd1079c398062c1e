"""Southbound adapters: one plugin per legacy system, offering some of the port capabilities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import plugins
from .config import Settings


@dataclass
class Adapter:
    """What a southbound plugin offers; a capability it lacks stays None."""

    name: str
    fulfilment: Any = None  # ports.OrderFulfilment
    feasibility: Any = None  # ports.FeasibilityCheck
    ticket_desk: Any = None  # ports.TicketDesk


def load_adapter(settings: Settings) -> Adapter:
    """The configured adapter; an unknown name stops start-up listing installed ones."""
    factory = plugins.load(plugins.SOUTHBOUND_GROUP, settings.southbound)
    return factory(dict(settings.southbound_options))
