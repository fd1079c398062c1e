"""The ports services depend on: small Protocols with no framework or driver imports."""

from __future__ import annotations

from collections.abc import Iterator
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


class UnitOfWork(Protocol):
    """Everything one service call reads and writes, committed or rolled back as one."""

    def get(self, kind: str, resource_id: str) -> Stored | None: ...

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


class Store(Protocol):
    """A storage plugin: opens units of work over its resources, outbox and audit log."""

    def unit_of_work(self, write: bool = False) -> AbstractContextManager[UnitOfWork]: ...

    def close(self) -> None: ...


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
