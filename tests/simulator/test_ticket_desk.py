"""The simulated ticket desk honours the TicketDesk port."""

from __future__ import annotations

import pytest

from tmf_gateway.errors import SouthboundError
from tmf_gateway.ports import TicketDesk, TicketUpdate
from tmf_gateway.simulator import create_adapter
from tmf_gateway.simulator.ticket_desk import SimulatedTicketDesk


def test_adapter_offers_a_ticket_desk():
    desk = create_adapter({}).ticket_desk
    assert isinstance(desk, SimulatedTicketDesk)
    port: TicketDesk = desk  # type-checks against the Protocol
    assert port.poll_updates() == []


def test_forward_is_idempotent_and_returns_the_desk_reference():
    desk = SimulatedTicketDesk(prefix="INC")
    first = desk.forward({"id": "t1", "description": "a"})
    again = desk.forward({"id": "t1", "description": "b"})
    other = desk.forward({"id": "t2"})
    assert first == again == "INC-000001" and other == "INC-000002"
    assert desk.tickets["t1"]["description"] == "b"


def test_updates_are_drained_in_order():
    desk = SimulatedTicketDesk()
    desk.report("t1", "inProgress", "started")
    desk.report("t1", "resolved")
    assert desk.poll_updates() == [
        TicketUpdate("t1", "inProgress", "started"),
        TicketUpdate("t1", "resolved", ""),
    ]
    assert desk.poll_updates() == []


def test_a_down_desk_raises_southbound_errors():
    desk = SimulatedTicketDesk()
    desk.down = True
    with pytest.raises(SouthboundError):
        desk.forward({"id": "t1"})
    with pytest.raises(SouthboundError):
        desk.poll_updates()
