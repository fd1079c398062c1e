"""Work claims with an expiry, kept in the store, so that of several gateway processes on one
database only one does a piece of southbound work (an order's submission) at a time."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from typing import Any

from sqlalchemy import Column, Float, MetaData, String, Table, delete

from ..storage.sqldelivery import upsert

_METADATA = MetaData()
WORK_CLAIM = Table(
    "work_claim",
    _METADATA,
    Column("name", String(200), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("expires", Float, nullable=False),  # unix time; after it anyone may take the work
)


def process_owner() -> str:
    """A name for this process's claims, unique across hosts, processes and restarts."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class MemoryClaims:
    """Claims of one process (the memory store is one process's)."""

    def __init__(self) -> None:
        self._claims: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def take(self, name: str, owner: str, seconds: float) -> bool:
        now = time.time()
        with self._lock:
            holder, expires = self._claims.get(name, (owner, 0.0))
            if holder != owner and expires > now:
                return False
            self._claims[name] = (owner, now + seconds)
            return True

    def release(self, name: str, owner: str) -> None:
        with self._lock:
            if self._claims.get(name, ("", 0.0))[0] == owner:
                del self._claims[name]


class SqlClaims:
    """One row per claimed piece of work; taking it is one conditional upsert, so of two
    processes taking the same name at once exactly one gets it (the database decides)."""

    def __init__(self, store: Any) -> None:
        self._store = store
        # Revision 0005 creates the table on every migrated database; a store built directly
        # from metadata (tests, benchmarks) gets it here, idempotently.
        _METADATA.create_all(store.engine, checkfirst=True)

    def take(self, name: str, owner: str, seconds: float) -> bool:
        now = time.time()
        with self._store.unit_of_work(write=True) as uow:
            conn = uow._conn  # the store's writer lock and transaction
            stmt = upsert(conn, WORK_CLAIM).values(name=name, owner=owner, expires=now + seconds)
            stmt = stmt.on_conflict_do_update(
                index_elements=["name"],
                set_={"owner": owner, "expires": now + seconds},
                where=(WORK_CLAIM.c.expires < now) | (WORK_CLAIM.c.owner == owner),
            )
            # a row comes back when it was inserted or taken over, none when someone holds it
            return conn.execute(stmt.returning(WORK_CLAIM.c.name)).first() is not None

    def release(self, name: str, owner: str) -> None:
        with self._store.unit_of_work(write=True) as uow:
            uow._conn.execute(
                delete(WORK_CLAIM).where(WORK_CLAIM.c.name == name, WORK_CLAIM.c.owner == owner)
            )


Claims = MemoryClaims | SqlClaims


def for_store(store: Any) -> Claims:
    """The claims of this store (SQL stores have an engine; the memory store not)."""
    return SqlClaims(store) if hasattr(store, "engine") else MemoryClaims()
