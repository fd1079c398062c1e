"""The outbox in memory: events in commit order and the cursors readers keep over them; the
reference semantics of the SQL outbox."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ..ports import OutboxEvent
from .memorydelivery import DeliveryState


class MemoryOutboxMixin:
    """The outbox and cursor methods of the memory unit of work (undone on rollback)."""

    _store: Any
    _undo: list[Any]

    @property
    def _state(self) -> DeliveryState:
        return self._store.delivery

    def record_event(self, event: dict[str, Any], kind: str, resource_id: str) -> None:
        self._store.outbox.append(copy.deepcopy(event))
        self._store.delivery.outbox_refs.append((kind, resource_id))
        self._undo.append(self._store.outbox.pop)
        self._undo.append(self._store.delivery.outbox_refs.pop)

    def outbox_after(
        self, seq: int, limit: int, kinds: Sequence[str] | None = None
    ) -> list[OutboxEvent]:
        events = self._store.outbox
        refs = self._state.outbox_refs
        found: list[OutboxEvent] = []
        for index in range(seq, len(events)):
            if len(found) >= limit:
                break
            if kinds is None or refs[index][0] in kinds:
                e = events[index]
                found.append(OutboxEvent(index + 1, e["eventId"], e["eventType"], refs[index][0],
                                         refs[index][1], copy.deepcopy(e)))
        return found

    def resource_events(self, kind: str, resource_id: str, limit: int) -> list[OutboxEvent]:
        refs = self._state.outbox_refs
        seqs = [i for i, ref in enumerate(refs) if ref == (kind, resource_id)][-limit:]
        return [
            OutboxEvent(i + 1, self._store.outbox[i]["eventId"], self._store.outbox[i]["eventType"],
                        kind, resource_id, copy.deepcopy(self._store.outbox[i]))
            for i in seqs
        ]

    def outbox_count_after(self, seq: int, kinds: Sequence[str] | None = None) -> int:
        if kinds is None:
            return max(0, len(self._store.outbox) - seq)
        return sum(1 for kind, _ in self._state.outbox_refs[seq:] if kind in kinds)

    def outbox_last_seq(self) -> int:
        return len(self._store.outbox)

    def get_cursor(self, name: str, lock: bool = False) -> int:
        return self._state.cursors.get(name, 0)

    def set_cursor(self, name: str, seq: int) -> None:
        cursors = self._state.cursors
        old = cursors.get(name)
        cursors[name] = seq
        self._undo.append(
            lambda: cursors.pop(name, None) if old is None else cursors.__setitem__(name, old))
