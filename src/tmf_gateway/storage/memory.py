"""In-memory store: the reference semantics for the contract suite, and a fast test fake."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..domain.resources import ResourceType
from ..errors import PreconditionFailed
from ..ports import AuditEntry, Page, Stored
from ..ports.storage import Port
from ..tmf import evaluate
from ..tmf.query import Query
from .memorydelivery import DeliveryState, MemoryDeliveryMixin
from .memoryoutbox import MemoryOutboxMixin
from .memoryside import memory_sides


class _Table:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[int, int, dict[str, Any]]] = {}  # id -> (seq, version, doc)


class MemoryUnitOfWork(MemoryOutboxMixin, MemoryDeliveryMixin):
    """Applies changes directly and undoes them if the block raises."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._undo: list[Any] = []

    def _table(self, kind: str) -> _Table:
        return self._store.tables[kind]

    def get(self, kind: str, resource_id: str) -> Stored | None:
        row = self._table(kind).rows.get(resource_id)
        return Stored(copy.deepcopy(row[2]), row[1]) if row else None

    def get_for_update(self, kind: str, resource_id: str) -> Stored | None:
        return self.get(kind, resource_id)  # every unit of work holds the store's lock

    def add(self, kind: str, doc: dict[str, Any]) -> Stored:
        table = self._table(kind)
        self._store.seq += 1
        table.rows[doc["id"]] = (self._store.seq, 1, copy.deepcopy(doc))
        self._undo.append(lambda: table.rows.pop(doc["id"], None))
        return Stored(doc, 1)

    def replace(
        self, kind: str, resource_id: str, doc: dict[str, Any], expected_version: int
    ) -> Stored:
        table = self._table(kind)
        old = table.rows.get(resource_id)
        if old is None or old[1] != expected_version:
            raise PreconditionFailed(f"{kind} {resource_id} was changed by someone else")
        table.rows[resource_id] = (old[0], old[1] + 1, copy.deepcopy(doc))
        self._undo.append(lambda: table.rows.__setitem__(resource_id, old))
        return Stored(doc, old[1] + 1)

    def delete(self, kind: str, resource_id: str) -> bool:
        table = self._table(kind)
        old = table.rows.pop(resource_id, None)
        if old is not None:
            self._undo.append(lambda: table.rows.__setitem__(resource_id, old))
        return old is not None

    def query(self, kind: str, query: Query) -> Page:
        rows = [(seq, doc) for seq, _, doc in self._table(kind).rows.values()]
        selected = [(seq, doc) for seq, doc in rows if evaluate.matches(doc, query)]
        ordered = evaluate.order(selected, query.sort)
        window = ordered[query.offset : query.offset + query.limit]
        return Page([copy.deepcopy(doc) for doc in window], len(ordered))

    def iterate(self, kind: str, batch: int = 500) -> Iterator[dict[str, Any]]:
        rows = sorted(self._table(kind).rows.values(), key=lambda row: row[0])
        for _, _, doc in rows:
            yield copy.deepcopy(doc)

    def record_audit(self, entry: AuditEntry) -> None:
        self._store.audit.append(entry)
        self._undo.append(self._store.audit.pop)

    def audit_trail(self, kind: str, resource_id: str) -> list[AuditEntry]:
        return [e for e in self._store.audit if e.kind == kind and e.resource_id == resource_id]

    def rollback(self) -> None:
        for undo in reversed(self._undo):
            undo()


class MemoryStore:
    """Everything in dictionaries behind one lock; lost when the process ends."""

    def __init__(self, resources: Sequence[ResourceType]) -> None:
        self.tables = {rt.kind: _Table() for rt in resources}
        self.outbox: list[dict[str, Any]] = []
        self.audit: list[AuditEntry] = []
        self.delivery = DeliveryState()
        self.seq = 0
        self._lock = threading.RLock()
        self._sides = memory_sides()

    def side(self, port: type[Port]) -> Port | None:
        """Every side-data port, in this process's memory."""
        return self._sides.get(port)

    @classmethod
    def from_url(cls, url: str, resources: Sequence[ResourceType]) -> MemoryStore:
        return cls(resources)

    @contextmanager
    def unit_of_work(self, write: bool = False) -> Iterator[MemoryUnitOfWork]:
        with self._lock:
            uow = MemoryUnitOfWork(self)
            try:
                yield uow
            except BaseException:
                uow.rollback()
                raise

    def close(self) -> None:
        return None
