"""The ports services depend on: small Protocols with no framework or driver imports."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from .tmf.query import Query


@dataclass(frozen=True)
class Stored:
    """A stored document and its version (the ETag)."""

    doc: dict[str, Any]
    version: int


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int


@dataclass(frozen=True)
class AuditEntry:
    """Who changed what, when: one row of a resource's change history."""

    kind: str
    resource_id: str
    version: int
    at: str
    actor: str
    action: str
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class OutboxEvent:
    """One committed event of the outbox, in commit order (`seq`)."""

    seq: int
    event_id: str
    event_type: str
    resource_kind: str
    resource_id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Delivery:
    """One event owed to one hub subscription, and where its delivery stands."""

    id: int
    event_seq: int
    event_id: str
    event_type: str
    subscription_id: str
    hub_kind: str
    callback: str
    status: str  # pending, delivered, parked, dropped
    attempts: int
    next_attempt_at: float
    last_status: int | None = None
    last_error: str | None = None
    created_at: str = ""
    updated_at: str = ""
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class DeliveryAttempt:
    """One HTTP POST of an event to a listener: its answer (or error) and how long it took."""

    delivery_id: int
    attempt: int
    at: str
    status_code: int | None
    error: str | None
    duration_ms: float


class UnitOfWork(Protocol):
    """Everything one service call reads and writes, committed or rolled back as one."""

    def get(self, kind: str, resource_id: str) -> Stored | None: ...

    def get_for_update(self, kind: str, resource_id: str) -> Stored | None:
        """`get`, and no other writer changes the resource until this unit of work ends
        (PostgreSQL: a row lock; stores with one writer at a time hold that already)."""

    def add(self, kind: str, doc: dict[str, Any]) -> Stored: ...

    def replace(
        self, kind: str, resource_id: str, doc: dict[str, Any], expected_version: int
    ) -> Stored:
        """Store `doc` if the version is still `expected_version`, else PreconditionFailed."""
        ...

    def delete(self, kind: str, resource_id: str) -> bool: ...

    def query(self, kind: str, query: Query) -> Page: ...

    def iterate(self, kind: str, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every document of a kind in insertion order, fetched in batches."""
        ...

    def record_event(self, event: dict[str, Any], kind: str, resource_id: str) -> None:
        """Append an event to the outbox in this same transaction."""
        ...

    def record_audit(self, entry: AuditEntry) -> None: ...

    def audit_trail(self, kind: str, resource_id: str) -> list[AuditEntry]: ...

    # Event delivery bookkeeping (events/dispatcher.py); times are UNIX seconds.

    def outbox_after(
        self, seq: int, limit: int, kinds: Sequence[str] | None = None
    ) -> list[OutboxEvent]:
        """Outbox events with a sequence number above `seq`, oldest first; with `kinds`, only
        the events of those resource kinds."""
        ...

    def outbox_count_after(self, seq: int, kinds: Sequence[str] | None = None) -> int: ...

    def outbox_last_seq(self) -> int:
        """The sequence number of the newest event (0 when there is none)."""
        ...

    def get_cursor(self, name: str, lock: bool = False) -> int:
        """A named outbox position (0 when never set); `lock`: held by this write transaction
        until it ends, so processes moving the same cursor take turns."""
        ...

    def set_cursor(self, name: str, seq: int) -> None: ...

    def add_deliveries(self, deliveries: list[Delivery]) -> None:
        """Owe these events to these subscriptions (ids are assigned by the store)."""
        ...

    def claim_deliveries(
        self, now: float, lease: float, limit: int, subscription_id: str | None = None
    ) -> list[Delivery]:
        """Lease the oldest pending delivery of each subscription (or of this one) that is due
        and not leased; the claimed deliveries carry their event's payload."""
        ...

    def record_attempt(
        self, attempt: DeliveryAttempt, status: str, next_attempt_at: float
    ) -> None:
        """Log an attempt and move its delivery on (pending again, delivered or parked)."""
        ...

    def park_pending(self, subscription_id: str, reason: str) -> int:
        """Park every pending delivery of a subscription (its listener is down for good)."""
        ...

    def drop_pending(self, subscription_id: str) -> int:
        """Forget pending deliveries of a subscription that was removed."""
        ...

    def list_deliveries(
        self,
        status: str | None = None,
        subscription_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Delivery]: ...

    def get_delivery(self, delivery_id: int) -> Delivery | None: ...

    def delivery_attempts(self, delivery_id: int) -> list[DeliveryAttempt]: ...

    def replay(
        self, now: float, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        """Put parked deliveries (these, or all of a subscription, or all) back in line."""
        ...

    def delivery_counts(self) -> dict[str, int]:
        """How many deliveries are in each status."""
        ...

    def resource_events(self, kind: str, resource_id: str, limit: int) -> list[OutboxEvent]:
        """The newest `limit` events of one resource, oldest first (the ops console)."""
        ...

    def event_deliveries(self, seqs: list[int]) -> list[Delivery]:
        """Every delivery of these outbox events (without payloads), by id."""
        ...


class Store(Protocol):
    """A storage plugin: opens units of work over its resources, outbox and audit log."""

    def unit_of_work(self, write: bool = False) -> AbstractContextManager[UnitOfWork]: ...

    def close(self) -> None: ...


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


@dataclass(frozen=True)
class Offering:
    """What the product catalog says about one product offering (TMF620 terms)."""

    id: str
    name: str = ""
    sellable: bool = True  # lifecycleStatus Launched/Active and isSellable
    actions: tuple[str, ...] = ("add", "modify", "delete", "noChange")  # item actions it takes
    characteristics: tuple[str, ...] | None = None  # names allowed; None = any
    needs_install_address: bool = False
    needs_feasibility: bool = False
    needs_acceptance: bool = False
    price: str | None = None  # its ProductOfferingPrice id


class ProductCatalog(Protocol):
    """The product catalog (TMF620): which offerings exist, are sellable, and what they need."""

    def offering(self, offering_id: str) -> Offering | None:
        """The offering, or None when the catalog has no such offering. Raises
        SouthboundError when the catalog cannot be read."""
        ...


class ProductInventory(Protocol):
    """The product inventory (TMF637): the products customers own, as TMF637 Product bodies
    (`productOffering`, `relatedParty` with the Customer, `status`, `realizingResource`)."""

    def product(self, product_id: str) -> dict[str, Any] | None:
        """One product, whatever its status; None when there is none. Raises SouthboundError."""
        ...

    def products_of(self, customer_id: str) -> list[dict[str, Any]]:
        """Every product whose relatedParty names this customer, oldest first."""
        ...

    def products_using(self, what: str, ref_id: str) -> list[dict[str, Any]]:
        """Active products a fault on a `resource`, `product` or `productOffering` with this id
        touches (realizingResource, the product itself, its offering)."""
        ...

    def save(self, products: list[dict[str, Any]]) -> None:
        """Create or replace these products, keyed by their `id` (idempotent: completion of one
        order item always produces the same id). Raises SouthboundError."""
        ...


class Notifier(Protocol):
    """Tells a customer about their order: acknowledged, in jeopardy, completed
    (services/notices.py decides what and to whom; the built-in sends email over SMTP)."""

    def send(self, to: str, subject: str, text: str) -> None:
        """Hand one notice over for delivery to the address `to`. SouthboundUnavailable when
        it could not be handed over (the notice is tried again), SouthboundRejected when the
        address is refused (it is skipped)."""
        ...
