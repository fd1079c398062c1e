"""Event delivery bookkeeping in memory: which events are owed to which subscription, their
attempts, and what operators read of them; the reference semantics of the SQL tables."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from ..ports import Delivery, DeliveryAttempt
from ..tmf.values import now_iso
from .sqldelivery import PARKED_BEHIND


@dataclass
class DeliveryState:
    """What the memory store keeps for the dispatcher."""

    outbox_refs: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) per event
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    leases: dict[int, float] = field(default_factory=dict)
    attempts: list[DeliveryAttempt] = field(default_factory=list)
    cursors: dict[str, int] = field(default_factory=dict)
    next_id: int = 0


class MemoryDeliveryMixin:
    """The delivery methods of the memory unit of work (its changes are undone on rollback)."""

    _store: Any
    _undo: list[Any]

    @property
    def _state(self) -> DeliveryState:
        return self._store.delivery

    def _remember(self) -> None:
        """Snapshot before the first delivery change of this unit of work, to undo it whole."""
        if getattr(self, "_delivery_snapshot", None) is None:
            state = self._state
            snapshot = (dict(state.deliveries), dict(state.leases), len(state.attempts),
                        state.next_id)
            self._delivery_snapshot = snapshot

            def undo() -> None:
                state.deliveries, state.leases, count, state.next_id = snapshot
                del state.attempts[count:]

            self._undo.append(undo)

    def event_deliveries(self, seqs: list[int]) -> list[Delivery]:
        wanted = set(seqs)
        return [d for _, d in sorted(self._state.deliveries.items()) if d.event_seq in wanted]

    def add_deliveries(self, deliveries: list[Delivery]) -> None:
        self._remember()
        state = self._state
        now = now_iso()
        parked = {d.subscription_id for d in state.deliveries.values() if d.status == "parked"}
        for d in deliveries:
            state.next_id += 1
            event = self._store.outbox[d.event_seq - 1]
            behind = d.subscription_id in parked  # queued behind its parked events, parked too
            state.deliveries[state.next_id] = replace(
                d, id=state.next_id, event_id=event["eventId"], event_type=event["eventType"],
                status="parked" if behind else "pending", attempts=0, created_at=now,
                updated_at=now, payload=None, last_error=PARKED_BEHIND if behind else None,
            )

    def _with_payload(self, d: Delivery) -> Delivery:
        return replace(d, payload=copy.deepcopy(self._store.outbox[d.event_seq - 1]))

    def claim_deliveries(
        self, now: float, lease: float, limit: int, subscription_id: str | None = None
    ) -> list[Delivery]:
        self._remember()
        state = self._state
        heads: dict[str, Delivery] = {}
        for d in sorted(state.deliveries.values(), key=lambda d: d.id):
            if subscription_id is not None and d.subscription_id != subscription_id:
                continue
            if d.status in ("pending", "parked") and d.subscription_id not in heads:
                heads[d.subscription_id] = d  # a parked head holds back its line (sqldelivery)
        claimed = [
            d for d in heads.values()
            if d.status == "pending" and d.next_attempt_at <= now
            and state.leases.get(d.id, 0.0) <= now
        ][:limit]
        for d in claimed:
            state.leases[d.id] = now + lease
        return [self._with_payload(d) for d in claimed]

    def record_attempt(
        self, attempt: DeliveryAttempt, status: str, next_attempt_at: float
    ) -> None:
        self._remember()
        state = self._state
        state.attempts.append(attempt)
        d = state.deliveries.get(attempt.delivery_id)
        if d is None or d.status != "pending":
            return
        state.leases.pop(d.id, None)
        state.deliveries[d.id] = replace(
            d, status=status, attempts=d.attempts + 1, next_attempt_at=next_attempt_at,
            last_status=attempt.status_code, last_error=attempt.error, updated_at=attempt.at,
        )

    def _set_pending_status(self, subscription_id: str, status: str, reason: str | None) -> int:
        self._remember()
        state = self._state
        changed = 0
        for d in list(state.deliveries.values()):
            if d.subscription_id == subscription_id and d.status == "pending":
                state.leases.pop(d.id, None)
                state.deliveries[d.id] = replace(
                    d, status=status, last_error=reason if reason is not None else d.last_error,
                    updated_at=now_iso(),
                )
                changed += 1
        return changed

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
        selected = [
            d for d in sorted(self._state.deliveries.values(), key=lambda d: d.id)
            if (status is None or d.status == status)
            and (subscription_id is None or d.subscription_id == subscription_id)
        ]
        return selected[offset : offset + limit]

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        return self._state.deliveries.get(delivery_id)

    def delivery_attempts(self, delivery_id: int) -> list[DeliveryAttempt]:
        return [a for a in self._state.attempts if a.delivery_id == delivery_id]

    def replay(
        self, now: float, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        self._remember()
        state = self._state
        changed = 0
        for d in list(state.deliveries.values()):
            if d.status != "parked":
                continue
            if delivery_ids is not None and d.id not in delivery_ids:
                continue
            if subscription_id is not None and d.subscription_id != subscription_id:
                continue
            state.leases.pop(d.id, None)
            state.deliveries[d.id] = replace(
                d, status="pending", attempts=0, next_attempt_at=now, updated_at=now_iso()
            )
            changed += 1
        return changed

    def delivery_counts(self) -> dict[str, int]:
        counts = {"pending": 0, "delivered": 0, "parked": 0, "dropped": 0}
        for d in self._state.deliveries.values():
            counts[d.status] = counts.get(d.status, 0) + 1
        return counts
