"""The values stores hand back: documents with their version, pages, audit entries, outbox
events and the event deliveries' bookkeeping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
