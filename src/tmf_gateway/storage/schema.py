"""The SQL tables: one per resource type (document + indexed columns), outbox, audit log,
the event delivery bookkeeping, and the side data (side_tables.py)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from ..domain.resources import INDEX_COLUMNS, ResourceType
from .side_tables import add_side_tables


def build_metadata(
    resources: Sequence[ResourceType], doc_type: TypeEngine | type[TypeEngine] = Text
) -> MetaData:
    """Tables for these resource types; `doc_type` is Text on SQLite and JSONB on PostgreSQL."""
    metadata = MetaData()
    for rt in resources:
        table = Table(
            rt.kind,
            metadata,
            Column("seq", Integer, primary_key=True, autoincrement=True),
            Column("id", String(64), nullable=False, unique=True),
            Column("version", Integer, nullable=False),
            *(Column(name, String(255)) for name in INDEX_COLUMNS),
            Column("doc", doc_type, nullable=False),
        )
        for column in rt.indexed.values():
            Index(f"ix_{rt.kind}_{column}", table.c[column])
    outbox = Table(
        "outbox",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(128), nullable=False),
        Column("resource_kind", String(64), nullable=False),
        Column("resource_id", String(64), nullable=False),
        Column("created_at", String(32), nullable=False),
        Column("payload", doc_type, nullable=False),
    )
    Index("ix_outbox_resource", outbox.c.resource_kind, outbox.c.resource_id)
    audit = Table(
        "audit_log",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("kind", String(64), nullable=False),
        Column("resource_id", String(64), nullable=False),
        Column("version", Integer, nullable=False),
        Column("at", String(32), nullable=False),
        Column("actor", String(255), nullable=False),
        Column("action", String(32), nullable=False),
        Column("changes", Text, nullable=False),
    )
    Index("ix_audit_log_resource", audit.c.kind, audit.c.resource_id)
    _delivery_tables(metadata)
    add_side_tables(metadata)
    return metadata


def _delivery_tables(metadata: MetaData) -> None:
    """Which events are owed to which subscription, every attempt, and the fan-out cursor."""
    delivery = Table(
        "delivery",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_seq", Integer, nullable=False),
        Column("subscription_id", String(64), nullable=False),
        Column("hub_kind", String(64), nullable=False),
        Column("callback", Text, nullable=False),
        Column("status", String(16), nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("next_attempt_at", Float, nullable=False),
        Column("lease_until", Float),
        Column("last_status", Integer),
        Column("last_error", Text),
        Column("created_at", String(32), nullable=False),
        Column("updated_at", String(32), nullable=False),
        UniqueConstraint("event_seq", "subscription_id", name="uq_delivery_event_subscription"),
    )
    Index("ix_delivery_line", delivery.c.status, delivery.c.subscription_id, delivery.c.id)
    attempt = Table(
        "delivery_attempt",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("delivery_id", Integer, nullable=False),
        Column("attempt", Integer, nullable=False),
        Column("at", String(32), nullable=False),
        Column("status_code", Integer),
        Column("error", Text),
        Column("duration_ms", Float, nullable=False),
    )
    Index("ix_delivery_attempt_delivery", attempt.c.delivery_id)
    Table(
        "dispatch_cursor",
        metadata,
        Column("name", String(64), primary_key=True),
        Column("seq", Integer, nullable=False),
    )
