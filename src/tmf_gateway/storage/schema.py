"""The SQL tables: one per resource type (document + indexed columns), outbox, audit log."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.types import TypeEngine

from ..domain.resources import INDEX_COLUMNS, ResourceType


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
    Table(
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
    return metadata
