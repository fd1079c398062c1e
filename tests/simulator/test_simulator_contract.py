"""The simulator passes every contract of tmf_gateway.testing: OrderFulfilment,
FeasibilityCheck, TicketDesk and CustomerDirectory."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tmf_gateway.simulator.directory import SimulatedCustomerDirectory
from tmf_gateway.simulator.feasibility import SimulatedFeasibility
from tmf_gateway.simulator.fulfilment import SimulatedOrderSystem
from tmf_gateway.simulator.ticket_desk import SimulatedTicketDesk
from tmf_gateway.testing import (
    CustomerDirectoryContract,
    CustomerDirectoryHarness,
    FeasibilityContract,
    FeasibilityHarness,
    FulfilmentHarness,
    OrderFulfilmentContract,
    TicketDeskContract,
    TicketDeskHarness,
)

SIMULATED_TIMEOUT = 0.2
OFFERINGS = {"complete": "fibre-1g", "fail": "fibre-fail", "refuseCancel": "fibre-hold-nocancel"}


class _Unavailable:
    """The simulator is broken by its own fault switches (tmf_gateway.simulator.faults)."""

    system: Any
    timeout = 1.0  # the contract's bound; the simulator gives up after SIMULATED_TIMEOUT

    @contextmanager
    def _switched(self, **switches: Any) -> Iterator[None]:
        assert self.system is not None
        before = {name: getattr(self.system, name) for name in switches}
        for name, value in switches.items():
            setattr(self.system, name, value)
        try:
            yield
        finally:
            for name, value in before.items():
                setattr(self.system, name, value)

    def down(self) -> Any:
        return self._switched(unavailable=True)

    def slow(self) -> Any:
        return self._switched(latency=10 * SIMULATED_TIMEOUT, timeout=SIMULATED_TIMEOUT)

    def garbled(self) -> Any:
        return self._switched(malformed=True)


class SimulatorHarness(_Unavailable, FulfilmentHarness):
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


class SimulatedFeasibilityHarness(_Unavailable, FeasibilityHarness):
    def __init__(self) -> None:
        self.system: SimulatedFeasibility | None = None

    def adapter(self) -> SimulatedFeasibility:
        self.system = SimulatedFeasibility()
        return self.system

    def case(self, outcome: str) -> tuple[dict[str, Any], dict[str, Any]]:
        offering = "fibre-1g" if outcome == "feasible" else "fibre-infeasible-rural"
        item = {"id": "1", "action": "add", "productOffering": {"id": offering}}
        return {"id": "sim-feasibility", "productOrderItem": [item]}, item


class TestSimulatorFeasibility(FeasibilityContract):
    @pytest.fixture
    def harness(self) -> SimulatedFeasibilityHarness:
        return SimulatedFeasibilityHarness()


class SimulatedDirectoryHarness(_Unavailable, CustomerDirectoryHarness):
    def __init__(self) -> None:
        self.system: SimulatedCustomerDirectory | None = None

    def adapter(self) -> SimulatedCustomerDirectory:
        self.system = SimulatedCustomerDirectory()
        return self.system

    def customer(self, outcome: str) -> dict[str, Any] | None:
        customer = super().customer("accept")
        assert customer is not None
        return customer if outcome == "accept" else {**customer, "name": "Refused Ltd"}


class TestSimulatorCustomerDirectory(CustomerDirectoryContract):
    @pytest.fixture
    def harness(self) -> SimulatedDirectoryHarness:
        return SimulatedDirectoryHarness()
