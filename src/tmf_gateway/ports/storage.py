"""The storage ports: a store opens units of work; a unit of work is the sum of small ports by
concern (resources, audit, outbox, cursors, deliveries, the operator's delivery reads), so a
caller can ask for only the part it uses."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from ..tmf.query import Query
from .records import AuditEntry, Delivery, DeliveryAttempt, OutboxEvent, Page, Stored

Port = TypeVar("Port")  # a side-data port (ports/side.py), as Store.side() is asked for one


class Resources(Protocol):
    """The resource documents of each kind, with their versions."""

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


class Audit(Protocol):
    """Who changed which resource, when, and how."""

    def record_audit(self, entry: AuditEntry) -> None: ...

    def audit_trail(self, kind: str, resource_id: str) -> list[AuditEntry]: ...


class Outbox(Protocol):
    """The transactional outbox: events written with the change that caused them."""

    def record_event(self, event: dict[str, Any], kind: str, resource_id: str) -> None:
        """Append an event to the outbox in this same transaction."""
        ...

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

    def resource_events(self, kind: str, resource_id: str, limit: int) -> list[OutboxEvent]:
        """The newest `limit` events of one resource, oldest first (the ops console)."""
        ...


class Cursors(Protocol):
    """Named positions in the outbox (the dispatcher's fan-out, jobs reading events)."""

    def get_cursor(self, name: str, lock: bool = False) -> int:
        """A named outbox position (0 when never set); `lock`: held by this write transaction
        until it ends, so processes moving the same cursor take turns."""
        ...

    def set_cursor(self, name: str, seq: int) -> None: ...


class Deliveries(Protocol):
    """Event delivery bookkeeping (events/dispatcher.py); times are UNIX seconds."""

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

    def replay(
        self, now: float, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        """Put parked deliveries (these, or all of a subscription, or all) back in line."""
        ...


class DeliveryReads(Protocol):
    """What operators read about deliveries (the hub's admin API, the console, the CLI)."""

    def list_deliveries(
        self,
        status: str | None = None,
        subscription_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Delivery]: ...

    def get_delivery(self, delivery_id: int) -> Delivery | None: ...

    def delivery_attempts(self, delivery_id: int) -> list[DeliveryAttempt]: ...

    def delivery_counts(self) -> dict[str, int]:
        """How many deliveries are in each status."""
        ...

    def event_deliveries(self, seqs: list[int]) -> list[Delivery]:
        """Every delivery of these outbox events (without payloads), by id."""
        ...


class UnitOfWork(Resources, Audit, Outbox, Cursors, Deliveries, DeliveryReads, Protocol):
    """Everything one service call reads and writes, committed or rolled back as one."""


class Store(Protocol):
    """A storage plugin: opens units of work over its resources, outbox and audit log, and
    offers the side data (ports/side.py) it keeps beside them."""

    def unit_of_work(self, write: bool = False) -> AbstractContextManager[UnitOfWork]: ...

    def side(self, port: type[Port]) -> Port | None:
        """This store's implementation of a side-data port (`KeyStore`, `WorkClaims`, ...), the
        same object on every call; None declares the port unsupported by this store."""
        ...

    def close(self) -> None: ...
