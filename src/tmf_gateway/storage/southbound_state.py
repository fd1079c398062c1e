"""Small state a southbound adapter keeps in the gateway's store (the simulator's orders in
flight), so that it survives a restart and is shared by every gateway process on the store."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, Text, delete, select

from .. import jsoncodec
from .sqldelivery import upsert

_METADATA = MetaData()
SOUTHBOUND_STATE = Table(
    "southbound_state",
    _METADATA,
    Column("scope", String(100), primary_key=True),  # e.g. "simulator.fulfilment"
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)


class MemoryState:
    """For the memory store: kept as long as the process (like everything in that store)."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def load(self, scope: str) -> dict[str, Any]:
        with self._lock:
            return {k: jsoncodec.loads(v) for k, v in self._data.get(scope, {}).items()}

    def save(self, scope: str, values: dict[str, Any]) -> None:
        with self._lock:
            self._data.setdefault(scope, {}).update(
                {k: jsoncodec.dumps(v) for k, v in values.items()})

    def remove(self, scope: str, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._data.get(scope, {}).pop(key, None)


class SqlState:
    """One row per key, JSON values, written through the store's write unit of work."""

    def __init__(self, store: Any) -> None:
        self._store = store
        # Revision 0005 creates the table on every migrated database; a store built directly
        # from metadata (tests, benchmarks) gets it here, idempotently.
        _METADATA.create_all(store.engine, checkfirst=True)

    def load(self, scope: str) -> dict[str, Any]:
        with self._store.engine.connect() as conn:
            rows = conn.execute(select(SOUTHBOUND_STATE.c.key, SOUTHBOUND_STATE.c.value)
                                .where(SOUTHBOUND_STATE.c.scope == scope))
            return {key: jsoncodec.loads(value) for key, value in rows}

    def save(self, scope: str, values: dict[str, Any]) -> None:
        if not values:
            return
        with self._store.unit_of_work(write=True) as uow:
            conn = uow._conn  # the store's writer lock and transaction
            for key, value in values.items():
                stmt = upsert(conn, SOUTHBOUND_STATE).values(
                    scope=scope, key=key, value=jsoncodec.dumps(value))
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["scope", "key"], set_={"value": stmt.excluded.value}))

    def remove(self, scope: str, keys: list[str]) -> None:
        if not keys:
            return
        with self._store.unit_of_work(write=True) as uow:
            uow._conn.execute(delete(SOUTHBOUND_STATE).where(
                SOUTHBOUND_STATE.c.scope == scope, SOUTHBOUND_STATE.c.key.in_(keys)))


SouthboundState = MemoryState | SqlState


def for_store(store: Any) -> SouthboundState:
    """The adapter state of this store (SQL stores have an engine; the memory store not)."""
    return SqlState(store) if hasattr(store, "engine") else MemoryState()
