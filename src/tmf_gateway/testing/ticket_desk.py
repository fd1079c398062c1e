"""The TicketDesk contract: what every ticketing-system adapter must do, as pytest tests."""

from __future__ import annotations

import itertools
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from ..errors import SouthboundError
from ..ports import TicketDesk, TicketUpdate
from .kit import AdapterContract

_ids = itertools.count(1)


class TicketDeskHarness(ABC):
    """The adapter, and a way to make the legacy desk report a status change."""

    settle_seconds: float = 5.0

    @abstractmethod
    def adapter(self) -> TicketDesk:
        """A fresh adapter talking to the ticket desk (or its stand-in)."""

    @abstractmethod
    def report(self, desk: TicketDesk, ticket_id: str, status: str, reason: str = "") -> None:
        """Make the legacy desk change one of our forwarded tickets' status."""

    def ticket(self) -> dict[str, Any]:
        """A new TMF TroubleTicket with a unique id."""
        return {"id": f"contract-{time.time_ns()}-{next(_ids)}", "status": "acknowledged",
                "description": "no dial tone", "severity": "Major", "ticketType": "Fault"}

    @contextmanager
    def down(self, desk: TicketDesk) -> Iterator[None]:
        """The ticket desk is unreachable inside the block."""
        pytest.skip("this harness cannot take the ticket desk down")
        yield


def _updates(desk: TicketDesk, ticket_id: str, count: int, seconds: float) -> list[TicketUpdate]:
    seen: list[TicketUpdate] = []
    deadline = time.monotonic() + seconds
    while len(seen) < count and time.monotonic() < deadline:
        seen += [u for u in desk.poll_updates() if u.ticket_id == ticket_id]
        time.sleep(0.02)
    return seen


class TicketDeskContract(AdapterContract, adapter_fixture="desk"):
    """Importable tests of ports.TicketDesk; provide the `harness` fixture."""

    def test_forward_returns_the_desk_reference(self, harness, desk):
        reference = desk.forward(harness.ticket())
        assert isinstance(reference, str) and reference

    def test_status_changes_come_back_oldest_first_and_once(self, harness, desk):
        ticket = harness.ticket()
        desk.forward(ticket)
        harness.report(desk, ticket["id"], "inProgress", "an agent took it")
        harness.report(desk, ticket["id"], "resolved")
        updates = _updates(desk, ticket["id"], 2, harness.settle_seconds)
        assert [(u.status, u.reason) for u in updates] == [
            ("inProgress", "an agent took it"), ("resolved", "")]
        assert [u for u in desk.poll_updates() if u.ticket_id == ticket["id"]] == []

    def test_a_down_desk_raises_southbound_errors(self, harness, desk):
        with harness.down(desk):
            with pytest.raises(SouthboundError):
                desk.forward(harness.ticket())
            with pytest.raises(SouthboundError):
                desk.poll_updates()
