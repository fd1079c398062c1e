"""Event delivery bookkeeping in SQL: which events are owed to which subscription, their
attempts, and what operators read of them (any SQL dialect)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, or_, select

from ..ports import Delivery, DeliveryAttempt
from ..tmf.values import now_iso
from .sqlbuild import JsonDialect, SqlTables

PARKED_BEHIND = "parked behind an earlier parked event of this subscription"


class SqlDeliveryMixin:
    """The delivery methods of the SQL unit of work; claims lock rows where the database can."""

    _store: SqlTables
    _conn: Connection
    _dialect: JsonDialect

    def _t(self, name: str) -> Table:
        return self._store.tables[name]

    def event_deliveries(self, seqs: list[int]) -> list[Delivery]:
        if not seqs:
            return []
        d = self._t("delivery")
        rows = self._conn.execute(
            self._select_deliveries().where(d.c.event_seq.in_(seqs)).order_by(d.c.id)
        ).mappings()
        return [self._delivery(r) for r in rows]

    def add_deliveries(self, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        now = now_iso()
        table = self._t("delivery")
        parked = set(self._conn.execute(
            select(table.c.subscription_id).distinct().where(
                table.c.status == "parked",
                table.c.subscription_id.in_({d.subscription_id for d in deliveries}),
            )
        ).scalars())
        self._conn.execute(
            table.insert(),
            [
                {
                    "event_seq": d.event_seq,
                    "subscription_id": d.subscription_id,
                    "hub_kind": d.hub_kind,
                    "callback": d.callback,
                    # a subscription's events queue behind its parked ones, parked too
                    "status": "parked" if d.subscription_id in parked else "pending",
                    "last_error": PARKED_BEHIND if d.subscription_id in parked else None,
                    "attempts": 0,
                    "next_attempt_at": d.next_attempt_at,
                    "created_at": now,
                    "updated_at": now,
                }
                for d in deliveries
            ],
        )

    def _select_deliveries(self, with_payload: bool = False) -> Any:
        d, outbox = self._t("delivery"), self._t("outbox")
        columns = [d, outbox.c.event_id, outbox.c.event_type]
        if with_payload:
            columns.append(outbox.c.payload)
        return select(*columns).select_from(d.join(outbox, outbox.c.seq == d.c.event_seq))

    def _delivery(self, row: Any) -> Delivery:
        payload = row.get("payload")
        return Delivery(
            id=row["id"],
            event_seq=row["event_seq"],
            event_id=row["event_id"],
            event_type=row["event_type"],
            subscription_id=row["subscription_id"],
            hub_kind=row["hub_kind"],
            callback=row["callback"],
            status=row["status"],
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"],
            last_status=row["last_status"],
            last_error=row["last_error"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            payload=self._dialect.decode(payload) if payload is not None else None,
        )

    def claim_deliveries(
        self, now: float, lease: float, limit: int, subscription_id: str | None = None
    ) -> list[Delivery]:
        d = self._t("delivery")
        # the head of a line is its oldest undelivered event: while it is parked, the events
        # owed after it wait (order per subscription), until a replay puts it back first
        heads = select(func.min(d.c.id)).where(d.c.status.in_(("pending", "parked")))
        if subscription_id is not None:
            heads = heads.where(d.c.subscription_id == subscription_id)
        heads = heads.group_by(d.c.subscription_id)
        stmt = (
            self._select_deliveries(with_payload=True)
            .where(
                d.c.id.in_(heads),
                d.c.status == "pending",
                d.c.next_attempt_at <= now,
                or_(d.c.lease_until.is_(None), d.c.lease_until <= now),
            )
            .order_by(d.c.id)
            .limit(limit)
        )
        if self._store.lock_claimed_rows:
            stmt = stmt.with_for_update(of=d, skip_locked=True)
        claimed = [self._delivery(r) for r in self._conn.execute(stmt).mappings()]
        if claimed:
            self._conn.execute(
                d.update()
                .where(d.c.id.in_([c.id for c in claimed]))
                .values(lease_until=now + lease)
            )
        return claimed

    def record_attempt(
        self, attempt: DeliveryAttempt, status: str, next_attempt_at: float
    ) -> None:
        d = self._t("delivery")
        self._conn.execute(
            self._t("delivery_attempt").insert().values(
                delivery_id=attempt.delivery_id,
                attempt=attempt.attempt,
                at=attempt.at,
                status_code=attempt.status_code,
                error=attempt.error,
                duration_ms=attempt.duration_ms,
            )
        )
        self._conn.execute(
            d.update()
            .where(d.c.id == attempt.delivery_id, d.c.status == "pending")
            .values(
                status=status,
                attempts=d.c.attempts + 1,
                next_attempt_at=next_attempt_at,
                lease_until=None,
                last_status=attempt.status_code,
                last_error=attempt.error,
                updated_at=attempt.at,
            )
        )

    def _set_pending_status(self, subscription_id: str, status: str, reason: str | None) -> int:
        d = self._t("delivery")
        values: dict[str, Any] = {"status": status, "lease_until": None, "updated_at": now_iso()}
        if reason is not None:
            values["last_error"] = reason
        return self._conn.execute(
            d.update()
            .where(d.c.subscription_id == subscription_id, d.c.status == "pending")
            .values(**values)
        ).rowcount

    def park_pending(self, subscription_id: str, reason: str) -> int:
        return self._set_pending_status(subscription_id, "parked", reason)

    def drop_pending(self, subscription_id: str) -> int:
        return self._set_pending_status(subscription_id, "dropped", None)

    def list_deliveries(
        self,
        status: str | None = None,
        subscription_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Delivery]:
        d = self._t("delivery")
        stmt = self._select_deliveries()
        if status is not None:
            stmt = stmt.where(d.c.status == status)
        if subscription_id is not None:
            stmt = stmt.where(d.c.subscription_id == subscription_id)
        rows = self._conn.execute(stmt.order_by(d.c.id).offset(offset).limit(limit)).mappings()
        return [self._delivery(r) for r in rows]

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        d = self._t("delivery")
        row = self._conn.execute(self._select_deliveries().where(d.c.id == delivery_id))
        found = row.mappings().first()
        return self._delivery(found) if found is not None else None

    def delivery_attempts(self, delivery_id: int) -> list[DeliveryAttempt]:
        a = self._t("delivery_attempt")
        rows = self._conn.execute(
            select(a).where(a.c.delivery_id == delivery_id).order_by(a.c.seq)
        ).mappings()
        return [
            DeliveryAttempt(
                r["delivery_id"], r["attempt"], r["at"], r["status_code"], r["error"],
                r["duration_ms"],
            )
            for r in rows
        ]

    def replay(
        self, now: float, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        d = self._t("delivery")
        stmt = d.update().where(d.c.status == "parked")
        if delivery_ids is not None:
            stmt = stmt.where(d.c.id.in_(delivery_ids))
        if subscription_id is not None:
            stmt = stmt.where(d.c.subscription_id == subscription_id)
        return self._conn.execute(
            stmt.values(
                status="pending", attempts=0, next_attempt_at=now, lease_until=None,
                updated_at=now_iso(),
            )
        ).rowcount

    def delivery_counts(self) -> dict[str, int]:
        d = self._t("delivery")
        rows = self._conn.execute(select(d.c.status, func.count()).group_by(d.c.status)).all()
        counts = {"pending": 0, "delivered": 0, "parked": 0, "dropped": 0}
        counts.update({status: count for status, count in rows})
        return counts
