"""The simulator passes the OrderFulfilment and TicketDesk contracts of tmf_gateway.testing."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from tmf_gateway_simulator.fulfilment import SimulatedOrderSystem
from tmf_gateway_simulator.ticket_desk import SimulatedTicketDesk

from tmf_gateway.testing import (
    FulfilmentHarness,
    OrderFulfilmentContract,
    TicketDeskContract,
    TicketDeskHarness,
)

OFFERINGS = {"complete": "fibre-1g", "fail": "fibre-fail", "refuseCancel": "fibre-hold-nocancel"}


class SimulatorHarness(FulfilmentHarness):
    def __init__(self) -> None:
        self.system: SimulatedOrderSystem | None = None
        self.ids = itertools.count(1)

    def adapter(self) -> SimulatedOrderSystem:
        self.system = SimulatedOrderSystem({"delay": 0})
        return self.system

    def order(self, outcome: str) -> dict[str, Any] | None:
        order_id = f"sim-{next(self.ids)}"
        if outcome == "reject":
            return {"id": order_id, "productOrderItem": []}
        offering = OFFERINGS.get(outcome)
        if offering is None:
            return None
        return {"id": order_id, "productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": offering}}]}

    @contextmanager
    def down(self) -> Iterator[None]:
        assert self.system is not None
        self.system.unavailable = True
        try:
            yield
        finally:
            self.system.unavailable = False


class TestSimulatorFulfilment(OrderFulfilmentContract):
    @pytest.fixture
    def harness(self) -> SimulatorHarness:
        return SimulatorHarness()


class SimulatedDeskHarness(TicketDeskHarness):
    def adapter(self) -> SimulatedTicketDesk:
        return SimulatedTicketDesk()

    def report(self, desk: Any, ticket_id: str, status: str, reason: str = "") -> None:
        desk.report(ticket_id, status, reason)

    @contextmanager
    def down(self, desk: Any) -> Iterator[None]:
        desk.down = True
        try:
            yield
        finally:
            desk.down = False


class TestSimulatorTicketDesk(TicketDeskContract):
    @pytest.fixture
    def harness(self) -> SimulatedDeskHarness:
        return SimulatedDeskHarness()
