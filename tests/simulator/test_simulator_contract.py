"""The simulator passes every contract of tmf_gateway.testing: OrderFulfilment,
FeasibilityCheck, TicketDesk and CustomerDirectory."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

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
    contract_tests,
)

SIMULATED_TIMEOUT = 0.2
OFFERINGS = {"complete": "fibre-1g", "fail": "fibre-fail", "refuseCancel": "fibre-hold-nocancel"}


class _Unavailable:
    """The simulator is broken by its own fault switches (tmf_gateway.simulator.faults)."""

    system: Any = None  # the simulated system of the current test
    system_type: Callable[[], Any]
    timeout = 1.0  # the contract's bound; the simulator gives up after SIMULATED_TIMEOUT

    def adapter(self) -> Any:
        self.system = self.system_type()
        return self.system

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
        self.ids = itertools.count(1)

    @staticmethod
    def system_type() -> SimulatedOrderSystem:
        return SimulatedOrderSystem({"delay": 0})

    def order(self, outcome: str) -> dict[str, Any] | None:
        order_id = f"sim-{next(self.ids)}"
        if outcome == "reject":
            return {"id": order_id, "productOrderItem": []}
        offering = OFFERINGS.get(outcome)
        if offering is None:
            return None
        return {"id": order_id, "productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": offering}}]}


TestSimulatorFulfilment = contract_tests(OrderFulfilmentContract, SimulatorHarness)


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


TestSimulatorTicketDesk = contract_tests(TicketDeskContract, SimulatedDeskHarness)


class SimulatedFeasibilityHarness(_Unavailable, FeasibilityHarness):
    system_type = SimulatedFeasibility

    def case(self, outcome: str) -> tuple[dict[str, Any], dict[str, Any]]:
        offering = "fibre-1g" if outcome == "feasible" else "fibre-infeasible-rural"
        item = {"id": "1", "action": "add", "productOffering": {"id": offering}}
        return {"id": "sim-feasibility", "productOrderItem": [item]}, item


TestSimulatorFeasibility = contract_tests(FeasibilityContract, SimulatedFeasibilityHarness)


class SimulatedDirectoryHarness(_Unavailable, CustomerDirectoryHarness):
    system_type = SimulatedCustomerDirectory

    def customer(self, outcome: str) -> dict[str, Any] | None:
        customer = super().customer("accept")
        assert customer is not None
        return customer if outcome == "accept" else {**customer, "name": "Refused Ltd"}


TestSimulatorCustomerDirectory = contract_tests(
    CustomerDirectoryContract, SimulatedDirectoryHarness
)
