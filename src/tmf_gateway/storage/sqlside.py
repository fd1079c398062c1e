"""The side data of the SQL stores (ports/side.py), in their own tables (side_tables.py), each
write in the store's write transaction so its writer lock applies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import jsoncodec
from ..ports.side import (
    IN_PROGRESS,
    Access,
    AccessLog,
    AdapterState,
    CallbackLog,
    IdempotencyEntry,
    IdempotencyLog,
    KeyRecord,
    KeyStore,
    WorkClaims,
)
from .side_tables import (
    ACCESS_LOG,
    API_KEY,
    CALLBACK_SIGNATURE,
    IDEMPOTENCY_KEY,
    SOUTHBOUND_STATE,
    WORK_CLAIM,
)
from .sqlbuild import upsert


class SqlHost(Protocol):
    """What side data needs of its SQL store: reads on the engine, writes in its transaction."""

    engine: Engine

    def writing(self) -> AbstractContextManager[Connection]: ...


class SqlKeyStore:
    """API keys, one row each; revoking stamps the row, nothing is deleted."""

    def __init__(self, store: SqlHost) -> None:
        self._store = store

    def _read(self, statement: Any) -> list[Any]:
        with self._store.engine.connect() as conn:
            return conn.execute(statement).all()

    def add_key(self, record: KeyRecord) -> None:
        with self._store.writing() as conn:
            conn.execute(API_KEY.insert().values(**asdict(record)))

    def get_key(self, key_id: str) -> KeyRecord | None:
        rows = self._read(select(API_KEY).where(API_KEY.c.key_id == key_id))
        return KeyRecord(**rows[0]._mapping) if rows else None

    def list_keys(self) -> list[KeyRecord]:
        return [KeyRecord(**row._mapping) for row in self._read(select(API_KEY))]

    def revoke_key(self, key_id: str, at: str) -> bool:
        with self._store.writing() as conn:
            result = conn.execute(
                update(API_KEY)
                .where(API_KEY.c.key_id == key_id, API_KEY.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
            return bool(result.rowcount)


class SqlAccessLog:
    """The access log, append-only, read back in pages of a thousand."""

    def __init__(self, store: SqlHost) -> None:
        self._store = store

    def append(self, entry: Access) -> None:
        with self._store.writing() as conn:
            conn.execute(ACCESS_LOG.insert().values(**asdict(entry)))

    def append_many(self, entries: list[Access]) -> None:
        if entries:
            with self._store.writing() as conn:
                conn.execute(ACCESS_LOG.insert(), [asdict(e) for e in entries])

    def accesses(self, since: str = "", customer_id: str | None = None) -> Iterator[Access]:
        last = 0
        while True:
            query = select(ACCESS_LOG).where(ACCESS_LOG.c.seq > last, ACCESS_LOG.c.at >= since)
            if customer_id is not None:
                query = query.where(ACCESS_LOG.c.customer_id == customer_id)
            with self._store.engine.connect() as conn:
                rows = conn.execute(query.order_by(ACCESS_LOG.c.seq).limit(1000)).all()
            if not rows:
                return
            for row in rows:
                last = row.seq
                fields = dict(row._mapping)
                fields.pop("seq")
                yield Access(**fields)


class SqlCallbackLog:
    """Applied callback signatures, so every gateway process on the database knows them."""

    def __init__(self, store: SqlHost) -> None:
        self._store = store

    def __len__(self) -> int:
        with self._store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(CALLBACK_SIGNATURE)).scalar_one()

    def seen(self, digest: str) -> bool:
        with self._store.engine.connect() as conn:
            query = select(CALLBACK_SIGNATURE.c.digest).where(
                CALLBACK_SIGNATURE.c.digest == digest)
            return conn.execute(query).first() is not None

    def remember(self, digest: str, stamp: int, oldest: float) -> None:
        try:
            with self._store.writing() as conn:
                conn.execute(delete(CALLBACK_SIGNATURE).where(CALLBACK_SIGNATURE.c.stamp < oldest))
                if not conn.execute(select(CALLBACK_SIGNATURE.c.digest).where(
                        CALLBACK_SIGNATURE.c.digest == digest)).first():
                    conn.execute(CALLBACK_SIGNATURE.insert().values(digest=digest, stamp=stamp))
        except IntegrityError:
            pass  # another process applied the same callback and remembered it first


class SqlIdempotencyLog:
    """Its own short write transactions: a claim commits before the request runs."""

    def __init__(self, store: SqlHost) -> None:
        self._store = store

    def claim(self, key: str, request: str) -> IdempotencyEntry | None:
        try:
            with self._store.writing() as conn:
                conn.execute(IDEMPOTENCY_KEY.insert().values(
                    key=key, request=request, status=IN_PROGRESS, response=None,
                    created_at=time.time()))
            return None
        except IntegrityError:
            with self._store.engine.connect() as conn:
                row = conn.execute(
                    select(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.c.key == key)
                ).mappings().first()
            if row is None:
                return None
            return IdempotencyEntry(row["request"], row["status"], row["response"],
                                    row["created_at"])

    def complete(self, key: str, status: int, response: str) -> None:
        with self._store.writing() as conn:
            conn.execute(IDEMPOTENCY_KEY.update().where(IDEMPOTENCY_KEY.c.key == key)
                         .values(status=status, response=response))

    def release(self, key: str) -> None:
        with self._store.writing() as conn:
            conn.execute(delete(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.c.key == key))

    def forget_before(self, oldest: float) -> None:
        with self._store.writing() as conn:
            conn.execute(delete(IDEMPOTENCY_KEY).where(IDEMPOTENCY_KEY.c.created_at < oldest))


class SqlWorkClaims:
    """One row per claimed piece of work; taking it is one conditional upsert, so of two
    processes taking the same name at once exactly one gets it (the database decides)."""

    def __init__(self, store: SqlHost) -> None:
        self._store = store

    def take(self, name: str, owner: str, seconds: float) -> bool:
        now = time.time()
        with self._store.writing() as conn:
            stmt = upsert(conn, WORK_CLAIM).values(name=name, owner=owner, expires=now + seconds)
            stmt = stmt.on_conflict_do_update(
                index_elements=["name"],
                set_={"owner": owner, "expires": now + seconds},
                where=(WORK_CLAIM.c.expires < now) | (WORK_CLAIM.c.owner == owner),
            )
            # a row comes back when it was inserted or taken over, none when someone holds it
            return conn.execute(stmt.returning(WORK_CLAIM.c.name)).first() is not None

    def release(self, name: str, owner: str) -> None:
        with self._store.writing() as conn:
            conn.execute(
                delete(WORK_CLAIM).where(WORK_CLAIM.c.name == name, WORK_CLAIM.c.owner == owner)
            )


class SqlAdapterState:
    """One row per key, JSON values: the southbound adapters' state."""

    def __init__(self, store: SqlHost) -> None:
        self._store = store

    def load(self, scope: str) -> dict[str, Any]:
        with self._store.engine.connect() as conn:
            rows = conn.execute(select(SOUTHBOUND_STATE.c.key, SOUTHBOUND_STATE.c.value)
                                .where(SOUTHBOUND_STATE.c.scope == scope))
            return {key: jsoncodec.loads(value) for key, value in rows}

    def save(self, scope: str, values: dict[str, Any]) -> None:
        if not values:
            return
        with self._store.writing() as conn:
            for key, value in values.items():
                stmt = upsert(conn, SOUTHBOUND_STATE).values(
                    scope=scope, key=key, value=jsoncodec.dumps(value))
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["scope", "key"], set_={"value": stmt.excluded.value}))

    def remove(self, scope: str, keys: list[str]) -> None:
        if not keys:
            return
        with self._store.writing() as conn:
            conn.execute(delete(SOUTHBOUND_STATE).where(
                SOUTHBOUND_STATE.c.scope == scope, SOUTHBOUND_STATE.c.key.in_(keys)))


def sql_sides(store: SqlHost) -> dict[type[Any], Any]:
    """Every side-data port a SQL store offers, by port."""
    return {
        KeyStore: SqlKeyStore(store),
        AccessLog: SqlAccessLog(store),
        CallbackLog: SqlCallbackLog(store),
        IdempotencyLog: SqlIdempotencyLog(store),
        WorkClaims: SqlWorkClaims(store),
        AdapterState: SqlAdapterState(store),
    }
