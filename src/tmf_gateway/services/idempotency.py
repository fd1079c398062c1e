"""Idempotency-Key on POST: which keys were used, for which request, with which answer; in the
store beside its own tables (every gateway process sees them) or in memory for the memory store.

A key is claimed before the request runs (status 0), so a concurrent or later retry with the
same key never creates a second resource: it gets the stored answer once there is one, a 409
while the first is still running, and a 422 when it carries another body."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select
from sqlalchemy.exc import IntegrityError

IN_PROGRESS = 0
_METADATA = MetaData()
IDEMPOTENCY_KEY = Table(
    "idempotency_key",
    _METADATA,
    Column("key", String(64), primary_key=True),  # digest of client, path and header value
    Column("request", String(64), nullable=False),  # digest of the body
    Column("status", Integer, nullable=False),  # 0 while the first request runs
    Column("response", Text),  # JSON: the answer's headers and body
    Column("created_at", Float, nullable=False, index=True),
)


@dataclass(frozen=True)
class Entry:
    request: str
    status: int
    response: str | None
    created_at: float


class MemoryKeyLog:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, request: str) -> Entry | None:
        """None when `key` is now ours; else what is recorded under it."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self._entries[key] = Entry(request, IN_PROGRESS, None, time.time())
            return found

    def complete(self, key: str, status: int, response: str) -> None:
        with self._lock:
            entry = self._entries[key]
            self._entries[key] = Entry(entry.request, status, response, entry.created_at)

    def release(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def forget_before(self, oldest: float) -> None:
        with self._lock:
            for key in [k for k, e in self._entries.items() if e.created_at < oldest]:
                del self._entries[key]


class SqlKeyLog:
    """Its own short write transactions through the store (its writer lock on SQLite): a claim
    commits before the request runs."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._engine = store.engine
        # revision 0004 creates the table; a store built from metadata (tests) gets it here
        _METADATA.create_all(store.engine, checkfirst=True)

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        with self._store.unit_of_work(write=True) as uow:
            yield uow._conn  # the unit of work's own connection and transaction

    def _read(self, conn: Any, key: str) -> Entry | None:
        row = conn.execute(
            select(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.c.key == key)
        ).mappings().first()
        if row is None:
            return None
        return Entry(row["request"], row["status"], row["response"], row["created_at"])

    def claim(self, key: str, request: str) -> Entry | None:
        try:
            with self._writing() as conn:
                conn.execute(IDEMPOTENCY_KEY.insert().values(
                    key=key, request=request, status=IN_PROGRESS, response=None,
                    created_at=time.time()))
            return None
        except IntegrityError:
            with self._engine.connect() as conn:
                return self._read(conn, key)

    def complete(self, key: str, status: int, response: str) -> None:
        with self._writing() as conn:
            conn.execute(IDEMPOTENCY_KEY.update().where(IDEMPOTENCY_KEY.c.key == key)
                         .values(status=status, response=response))

    def release(self, key: str) -> None:
        with self._writing() as conn:
            conn.execute(delete(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.c.key == key))

    def forget_before(self, oldest: float) -> None:
        with self._writing() as conn:
            conn.execute(delete(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.c.created_at < oldest))


KeyLog = MemoryKeyLog | SqlKeyLog


def for_store(store: Any) -> KeyLog:
    """The key log of this store (SQL stores have an engine; the memory store not)."""
    return SqlKeyLog(store) if hasattr(store, "engine") else MemoryKeyLog()
