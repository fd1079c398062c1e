"""The audit log in SQL: who changed which resource, when, and how (a JSON Patch)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from .. import jsoncodec
from ..ports import AuditEntry
from .sqlbuild import SqlTables


class SqlAuditMixin:
    """The audit methods of the SQL unit of work."""

    _store: SqlTables
    _conn: Connection

    def record_audit(self, entry: AuditEntry) -> None:
        self._conn.execute(
            self._store.statement(("add", "audit_log"), self._store.tables["audit_log"].insert),
            {
                "kind": entry.kind,
                "resource_id": entry.resource_id,
                "version": entry.version,
                "at": entry.at,
                "actor": entry.actor,
                "action": entry.action,
                "changes": jsoncodec.dumps(entry.changes),
            },
        )

    def audit_trail(self, kind: str, resource_id: str) -> list[AuditEntry]:
        audit = self._store.tables["audit_log"]
        rows = self._conn.execute(
            select(audit)
            .where(audit.c.kind == kind, audit.c.resource_id == resource_id)
            .order_by(audit.c.seq)
        ).mappings()
        return [
            AuditEntry(
                kind=r["kind"],
                resource_id=r["resource_id"],
                version=r["version"],
                at=r["at"],
                actor=r["actor"],
                action=r["action"],
                changes=jsoncodec.loads(r["changes"]),
            )
            for r in rows
        ]
