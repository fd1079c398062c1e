"""Which signed southbound callbacks were applied, kept in the store beside its own tables so
that every gateway process on it knows, or in memory for the memory store."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import BigInteger, Column, MetaData, String, Table, delete, func, select
from sqlalchemy.exc import IntegrityError

_METADATA = MetaData()
CALLBACK_SIGNATURE = Table(
    "callback_signature",
    _METADATA,
    Column("digest", String(64), primary_key=True),
    Column("stamp", BigInteger, nullable=False, index=True),  # the signed unix time
)


class MemorySignatureLog:
    def __init__(self) -> None:
        self._stamps: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._stamps)

    def seen(self, digest: str) -> bool:
        with self._lock:
            return digest in self._stamps

    def remember(self, digest: str, stamp: int, oldest: float) -> None:
        """Keep `digest`, and forget every signature signed before `oldest` (expired)."""
        with self._lock:
            for old in [d for d, s in self._stamps.items() if s < oldest]:
                del self._stamps[old]
            self._stamps[digest] = stamp


class SqlSignatureLog:
    """Writes through the store's write unit of work (its writer lock and transaction)."""

    def __init__(self, store: Any) -> None:
        self._store = store
        # Revision 0003 creates the table on every migrated database; a store built directly
        # from metadata (tests, benchmarks) gets it here, idempotently.
        _METADATA.create_all(store.engine, checkfirst=True)

    def __len__(self) -> int:
        with self._store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(CALLBACK_SIGNATURE)).scalar_one()

    def seen(self, digest: str) -> bool:
        with self._store.engine.connect() as conn:
            query = select(CALLBACK_SIGNATURE.c.digest).where(
                CALLBACK_SIGNATURE.c.digest == digest)
            return conn.execute(query).first() is not None

    def remember(self, digest: str, stamp: int, oldest: float) -> None:
        """Keep `digest`, and forget every signature signed before `oldest` (expired)."""
        try:
            with self._store.unit_of_work(write=True) as uow:
                conn = uow._conn  # same transaction and writer lock
                conn.execute(delete(CALLBACK_SIGNATURE).where(CALLBACK_SIGNATURE.c.stamp < oldest))
                if not conn.execute(select(CALLBACK_SIGNATURE.c.digest).where(
                        CALLBACK_SIGNATURE.c.digest == digest)).first():
                    conn.execute(CALLBACK_SIGNATURE.insert().values(digest=digest, stamp=stamp))
        except IntegrityError:
            pass  # another process applied the same callback and remembered it first


SignatureLog = MemorySignatureLog | SqlSignatureLog


def for_store(store: Any) -> SignatureLog:
    """The signature log of this store (SQL stores have an engine; the memory store not)."""
    return SqlSignatureLog(store) if hasattr(store, "engine") else MemorySignatureLog()
