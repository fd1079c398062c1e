"""The simulator adapter: plays a legacy order, ticketing and CRM system (make run, tests)."""

from __future__ import annotations

from typing import Any

from tmf_gateway.southbound import Adapter

from .directory import SimulatedCustomerDirectory
from .feasibility import SimulatedFeasibility
from .fulfilment import SimulatedOrderSystem
from .ticket_desk import SimulatedTicketDesk


def create_adapter(options: dict[str, Any]) -> Adapter:
    """Build the adapter; each capability module adds what it implements."""
    adapter = Adapter(name="simulator")
    adapter.fulfilment = SimulatedOrderSystem(options.get("fulfilment", {}))
    adapter.feasibility = SimulatedFeasibility(options.get("feasibility", {}))
    adapter.ticket_desk = SimulatedTicketDesk()
    adapter.customer_directory = SimulatedCustomerDirectory(options.get("customer_directory", {}))
    return adapter
