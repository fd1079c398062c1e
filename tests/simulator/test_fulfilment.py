"""The simulated order system: scripted item moves, delays, failures, cancellation refusals."""

from __future__ import annotations

import pytest

from tmf_gateway.errors import SouthboundUnavailable
from tmf_gateway.simulator import create_adapter
from tmf_gateway.simulator.feasibility import SimulatedFeasibility
from tmf_gateway.simulator.fulfilment import SimulatedOrderSystem


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _order(*offerings: str) -> dict:
    return {
        "id": "o1",
        "productOrderItem": [
            {"id": str(n), "action": "add", "productOffering": {"id": o}}
            for n, o in enumerate(offerings, 1)
        ],
    }


def moves(system):
    return [(u.item_id, u.state) for u in system.poll_updates()]


def test_items_move_after_each_delay():
    clock = Clock()
    system = SimulatedOrderSystem({"delay": 1}, clock=clock)
    system.submit(_order("fibre-1g", "fibre-fail", "box-hold"))
    assert moves(system) == []
    clock.now = 1.0
    assert moves(system) == [("1", "inProgress"), ("2", "inProgress"), ("3", "inProgress")]
    clock.now = 2.0
    assert moves(system) == [("1", "completed"), ("2", "failed"), ("3", "held")]
    clock.now = 10.0
    assert moves(system) == []


def test_info_is_asked_once_and_resubmission_completes():
    system = SimulatedOrderSystem({"delay": 0})
    system.submit(_order("fibre-info"))
    assert moves(system) == [("1", "inProgress"), ("1", "pending")]
    system.submit(_order("fibre-info"))
    assert moves(system)[-1] == ("1", "completed")


def test_cancel_accepted_or_refused():
    system = SimulatedOrderSystem({"delay": 5})
    system.submit(_order("fibre-1g"))
    assert system.cancel("o1") is True
    assert system.poll_updates() == []
    other = SimulatedOrderSystem({"delay": 0})
    other.submit(_order("fibre-hold-nocancel"))
    assert other.cancel("o1") is False


def test_unavailable_system_raises_southbound_errors():
    system = SimulatedOrderSystem({"unavailable": True})
    with pytest.raises(SouthboundUnavailable):
        system.submit(_order("fibre-1g"))


def test_feasibility_marker():
    check = SimulatedFeasibility()
    assert check.assess({}, {"productOffering": {"id": "fibre-feasibility"}}) is None
    assert "cannot be delivered" in check.assess({}, {"productOffering": {"id": "x-infeasible"}})


def test_adapter_offers_fulfilment_and_feasibility():
    adapter = create_adapter({"fulfilment": {"delay": 0}})
    assert isinstance(adapter.fulfilment, SimulatedOrderSystem)
    assert adapter.fulfilment.delay == 0
    assert isinstance(adapter.feasibility, SimulatedFeasibility)
