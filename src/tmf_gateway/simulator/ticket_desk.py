"""A simulated legacy ticketing system: keeps forwarded tickets, reports status changes."""

from __future__ import annotations

import itertools
import threading
from typing import Any

from tmf_gateway.errors import SouthboundUnavailable
from tmf_gateway.ports import TicketUpdate


class SimulatedTicketDesk:
    """Implements ports.TicketDesk in memory. Tests (and demos) drive it: take it `down`,
    or `report` a status change as if an agent had worked on the ticket."""

    def __init__(self, prefix: str = "DESK") -> None:
        self.prefix = prefix
        self.down = False
        self.tickets: dict[str, dict[str, Any]] = {}  # our ticket id -> forwarded copy
        self.references: dict[str, str] = {}  # our ticket id -> desk reference
        self._updates: list[TicketUpdate] = []
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def forward(self, ticket: dict[str, Any]) -> str:
        with self._lock:
            self._check_up()
            if ticket["id"] not in self.references:  # forwarding twice is harmless
                self.references[ticket["id"]] = f"{self.prefix}-{next(self._numbers):06d}"
            self.tickets[ticket["id"]] = dict(ticket)
            return self.references[ticket["id"]]

    def poll_updates(self) -> list[TicketUpdate]:
        with self._lock:
            self._check_up()
            updates, self._updates = self._updates, []
            return updates

    def report(self, ticket_id: str, status: str, reason: str = "") -> None:
        """Queue a status change for one of the tickets the desk holds."""
        with self._lock:
            self._updates.append(TicketUpdate(ticket_id, status, reason))

    def _check_up(self) -> None:
        if self.down:
            raise SouthboundUnavailable("the simulated ticket desk is down")
