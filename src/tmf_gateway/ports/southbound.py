"""The southbound ports: legacy order, ticket and customer systems, and the optional extras an
adapter may offer (resumable feeds, callbacks, health, state of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class ItemUpdate:
    """A legacy order system's news about one order item (state, and why; optionally a new
    committed completion date for the order, ISO 8601)."""

    order_id: str
    item_id: str
    state: str
    reason: str = ""
    expected_completion: str = ""


class OrderFulfilment(Protocol):
    """The legacy order system: takes orders and cancellations; the gateway polls its news."""

    def submit(self, order: dict[str, Any]) -> str | None:
        """Start (or resume) work on the order's unfinished items; SouthboundError if refused.
        Returns the completion date the legacy system commits to (ISO 8601 date-time), or None
        when it gives none (the order's `expectedCompletionDate` is left as it is)."""
        ...

    def cancel(self, order_id: str) -> bool:
        """Stop work on an order: True when accepted, False when the legacy system refuses."""
        ...

    def poll_updates(self) -> list[ItemUpdate]:
        """Item state changes since the last poll, oldest first; each is returned once."""
        ...


class ResumableFeed(Protocol):
    """Optional, next to `poll_updates()`: a legacy feed read with an integer cursor. The gateway
    stores the position after it applied a poll's updates and hands it back after a restart, so
    the feed is not read again from the start."""

    def feed_position(self) -> int | None:
        """Where the next poll starts (None: nothing worth keeping yet)."""
        ...

    def resume_feed(self, position: int) -> None:
        """Continue from a position an earlier `feed_position()` returned."""
        ...


class OrderStatus(Protocol):
    """Optional, next to `submit()`: whether the legacy system has an order, asked for orders in
    progress that stopped moving (services/reconcile.py)."""

    def knows(self, order_id: str) -> bool:
        """True when the legacy system has the order (it is working on it); False when it does
        not (it lost it: the gateway submits it again)."""
        ...


class AdapterState(Protocol):
    """JSON values by key, in scopes, kept in the gateway's store (storage/southbound_state)."""

    def load(self, scope: str) -> dict[str, Any]: ...

    def save(self, scope: str, values: dict[str, Any]) -> None: ...

    def remove(self, scope: str, keys: list[str]) -> None: ...


class KeepsState(Protocol):
    """Optional, on any capability: state of its own that must survive a restart."""

    def bind_state(self, state: AdapterState) -> None:
        """Called once at start, before any other call: load what was saved, save from now on."""
        ...


class UpdateCallback(Protocol):
    """Optional, next to `poll_updates()`: the legacy system POSTs its news to the gateway
    (`POST /tmf-gateway/v1/southbound/{adapter}/callback`, body signed with HMAC-SHA256)
    instead of, or as well as, being polled."""

    def callback_secret(self) -> bytes | None:
        """The key shared with the legacy system; None turns the callback off (404)."""
        ...

    def parse_callback(self, body: Any) -> list[ItemUpdate]:
        """The item updates in one decoded JSON callback body, oldest first; SouthboundError
        when the body is malformed (the gateway answers 400 and applies none of it)."""
        ...


class HealthCheck(Protocol):
    """Optional, on any capability: whether its legacy system answers (`/health/ready`)."""

    def check_health(self) -> None:
        """Return when the legacy system can be reached; raise SouthboundUnavailable, naming
        what is wrong, when it cannot. Called on every readiness probe: keep it cheap."""
        ...


class FeasibilityCheck(Protocol):
    """Assesses whether an order item can be delivered (special handling of orders)."""

    def assess(self, order: dict[str, Any], item: dict[str, Any]) -> str | None:
        """None when feasible, else the reason it is not."""
        ...


@dataclass(frozen=True)
class TicketUpdate:
    """A status change reported back by the legacy ticket desk for one of our tickets."""

    ticket_id: str
    status: str
    reason: str = ""


class TicketDesk(Protocol):
    """The legacy ticketing system: takes our new tickets, reports their status changes."""

    def forward(self, ticket: dict[str, Any]) -> str:
        """Hand a new ticket over; returns the desk's own reference. Raises SouthboundError."""
        ...

    def poll_updates(self) -> list[TicketUpdate]:
        """Status changes since the last poll, oldest first. Raises SouthboundError."""
        ...


@dataclass(frozen=True)
class DirectoryEntry:
    """The legacy CRM's record of one customer, in TMF629 terms."""

    legacy_id: str  # the CRM's own id for the customer
    customer: dict[str, Any]  # a TMF629 Customer fragment; `id` is ours when the CRM knows it


class CustomerDirectory(Protocol):
    """The legacy CRM's customer records: look one up, and keep it in step with our Customers."""

    def lookup(self, customer_id: str) -> DirectoryEntry | None:
        """The CRM's record of a customer, by our Customer id or the CRM's own id; None when
        the CRM has no such customer. Raises SouthboundError."""
        ...

    def push(self, customer: dict[str, Any]) -> str:
        """Create or update the CRM's record of one of our TMF629 Customers (idempotent: keyed
        by our id); returns the CRM's own id. SouthboundRejected when the CRM refuses it."""
        ...

    def remove(self, customer_id: str) -> None:
        """Delete the CRM's record of a Customer deleted here, by our id (idempotent: a CRM
        without such a record is fine). SouthboundRejected when the CRM keeps it."""
        ...
