"""Where API keys and the access log live: tables next to the store's, or in memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, select, update

_METADATA = MetaData()
API_KEY = Table(
    "api_key",
    _METADATA,
    Column("key_id", String(32), primary_key=True),
    Column("client", String(255), nullable=False),
    Column("scopes", String(2000), nullable=False),
    Column("secret_hash", String(128), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
)
ACCESS_LOG = Table(
    "access_log",
    _METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False, index=True),
    Column("client", String(255), nullable=False),
    Column("operation", String(128), nullable=False),
    Column("customer_id", String(64), index=True),
    Column("status", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
)


@dataclass(frozen=True)
class KeyRecord:
    key_id: str
    client: str
    scopes: str  # comma separated
    secret_hash: str
    created_at: str
    revoked_at: str | None = None


@dataclass(frozen=True)
class Access:
    """One call recorded in the append-only access log."""

    at: str
    client: str
    operation: str
    customer_id: str | None
    status: int
    bytes: int


class MemorySecurityStore:
    def __init__(self) -> None:
        self._keys: dict[str, KeyRecord] = {}
        self._log: list[Access] = []
        self._lock = threading.Lock()

    def add_key(self, record: KeyRecord) -> None:
        with self._lock:
            self._keys[record.key_id] = record

    def get_key(self, key_id: str) -> KeyRecord | None:
        return self._keys.get(key_id)

    def list_keys(self) -> list[KeyRecord]:
        return list(self._keys.values())

    def revoke_key(self, key_id: str, at: str) -> bool:
        with self._lock:
            record = self._keys.get(key_id)
            if record is None or record.revoked_at:
                return False
            self._keys[key_id] = KeyRecord(**{**asdict(record), "revoked_at": at})
            return True

    def append(self, entry: Access) -> None:
        with self._lock:
            self._log.append(entry)

    def append_many(self, entries: list[Access]) -> None:
        with self._lock:
            self._log.extend(entries)

    def accesses(self, since: str = "", customer_id: str | None = None) -> Iterator[Access]:
        for entry in list(self._log):
            if entry.at >= since and (customer_id is None or entry.customer_id == customer_id):
                yield entry


class SqlSecurityStore:
    """Uses the store's write unit of work, so its writer lock and transaction apply."""

    def __init__(self, store: Any) -> None:
        self._store = store
        # Revision 0002 creates these on every migrated database; a store built directly from
        # metadata (tests, benchmarks) gets them here, idempotently, touching no other table.
        _METADATA.create_all(store.engine, checkfirst=True)

    def _write(self, statement: Any, rows: Any = None) -> Any:
        with self._store.unit_of_work(write=True) as uow:
            return uow._conn.execute(statement, rows)  # same transaction and writer lock

    def _read(self, statement: Any) -> list[Any]:
        with self._store.engine.connect() as conn:
            return conn.execute(statement).all()

    def add_key(self, record: KeyRecord) -> None:
        self._write(API_KEY.insert().values(**asdict(record)))

    def get_key(self, key_id: str) -> KeyRecord | None:
        rows = self._read(select(API_KEY).where(API_KEY.c.key_id == key_id))
        return KeyRecord(**rows[0]._mapping) if rows else None

    def list_keys(self) -> list[KeyRecord]:
        return [KeyRecord(**row._mapping) for row in self._read(select(API_KEY))]

    def revoke_key(self, key_id: str, at: str) -> bool:
        result = self._write(
            update(API_KEY)
            .where(API_KEY.c.key_id == key_id, API_KEY.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(result.rowcount)

    def append(self, entry: Access) -> None:
        self._write(ACCESS_LOG.insert().values(**asdict(entry)))

    def append_many(self, entries: list[Access]) -> None:
        """Several entries in one transaction (a list or an export: one per customer)."""
        if entries:
            self._write(ACCESS_LOG.insert(), [asdict(e) for e in entries])

    def accesses(self, since: str = "", customer_id: str | None = None) -> Iterator[Access]:
        last = 0
        while True:
            query = select(ACCESS_LOG).where(ACCESS_LOG.c.seq > last, ACCESS_LOG.c.at >= since)
            if customer_id is not None:
                query = query.where(ACCESS_LOG.c.customer_id == customer_id)
            rows = self._read(query.order_by(ACCESS_LOG.c.seq).limit(1000))
            if not rows:
                return
            for row in rows:
                last = row.seq
                fields = dict(row._mapping)
                fields.pop("seq")
                yield Access(**fields)


SecurityStore = MemorySecurityStore | SqlSecurityStore


def for_store(store: Any) -> SecurityStore:
    """The security tables of this store (SQL stores have an engine; the memory store not)."""
    return SqlSecurityStore(store) if hasattr(store, "engine") else MemorySecurityStore()
