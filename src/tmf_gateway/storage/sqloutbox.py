"""The outbox in SQL: events written in the change's transaction, read in commit order, and
the named cursors that readers keep over it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from ..ports import OutboxEvent
from ..tmf.values import now_iso
from .sqlbuild import JsonDialect, SqlTables, upsert


class SqlOutboxMixin:
    """The outbox and cursor methods of the SQL unit of work."""

    _store: SqlTables
    _conn: Connection
    _dialect: JsonDialect

    def record_event(self, event: dict[str, Any], kind: str, resource_id: str) -> None:
        self._conn.execute(
            self._store.statement(("add", "outbox"), self._store.tables["outbox"].insert),
            {
                "event_id": event.get("eventId") or uuid.uuid4().hex,
                "event_type": event["eventType"],
                "resource_kind": kind,
                "resource_id": resource_id,
                "created_at": event.get("eventTime") or now_iso(),
                "payload": self._dialect.encode(event),
            },
        )

    def outbox_after(
        self, seq: int, limit: int, kinds: Sequence[str] | None = None
    ) -> list[OutboxEvent]:
        outbox = self._store.tables["outbox"]
        stmt = select(outbox).where(outbox.c.seq > seq)
        if kinds is not None:
            stmt = stmt.where(outbox.c.resource_kind.in_(kinds))
        rows = self._conn.execute(stmt.order_by(outbox.c.seq).limit(limit)).mappings()
        return [
            OutboxEvent(
                r["seq"], r["event_id"], r["event_type"], r["resource_kind"], r["resource_id"],
                self._dialect.decode(r["payload"]),
            )
            for r in rows
        ]

    def resource_events(self, kind: str, resource_id: str, limit: int) -> list[OutboxEvent]:
        outbox = self._store.tables["outbox"]
        rows = self._conn.execute(
            select(outbox)
            .where(outbox.c.resource_kind == kind, outbox.c.resource_id == resource_id)
            .order_by(outbox.c.seq.desc()).limit(limit)
        ).mappings()
        return [
            OutboxEvent(
                r["seq"], r["event_id"], r["event_type"], r["resource_kind"], r["resource_id"],
                self._dialect.decode(r["payload"]),
            )
            for r in rows
        ][::-1]

    def outbox_count_after(self, seq: int, kinds: Sequence[str] | None = None) -> int:
        outbox = self._store.tables["outbox"]
        stmt = select(func.count()).select_from(outbox).where(outbox.c.seq > seq)
        if kinds is not None:
            stmt = stmt.where(outbox.c.resource_kind.in_(kinds))
        return self._conn.execute(stmt).scalar_one()

    def outbox_last_seq(self) -> int:
        outbox = self._store.tables["outbox"]
        return int(self._conn.execute(select(func.max(outbox.c.seq))).scalar() or 0)

    def get_cursor(self, name: str, lock: bool = False) -> int:
        """With `lock` (in a write transaction), the cursor is this transaction's until it ends:
        of several processes moving it (the fan-out), one at a time reads and moves it, so no
        two owe the same events twice. The row is created first if missing (a fresh database)."""
        cursor = self._store.tables["dispatch_cursor"]
        query = select(cursor.c.seq).where(cursor.c.name == name)
        if lock and self._store.lock_claimed_rows:
            self._conn.execute(
                upsert(self._conn, cursor).values(name=name, seq=0).on_conflict_do_nothing()
            )
            query = query.with_for_update()
        value = self._conn.execute(query).scalar()
        return int(value or 0)

    def set_cursor(self, name: str, seq: int) -> None:
        """An upsert: two processes starting on a fresh database both create the same cursor,
        and an update-then-insert would fail one of them on the primary key."""
        cursor = self._store.tables["dispatch_cursor"]
        stmt = upsert(self._conn, cursor).values(name=name, seq=seq)
        self._conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"seq": seq}))
