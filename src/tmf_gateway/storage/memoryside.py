"""The memory store's side data (ports/side.py): kept as long as the process, like everything
in that store, each behind its own lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

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


class MemoryKeyStore:
    def __init__(self) -> None:
        self._keys: dict[str, KeyRecord] = {}
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
            self._keys[key_id] = replace(record, revoked_at=at)
            return True


class MemoryAccessLog:
    def __init__(self) -> None:
        self._log: list[Access] = []
        self._lock = threading.Lock()

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


class MemoryCallbackLog:
    def __init__(self) -> None:
        self._stamps: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._stamps)

    def seen(self, digest: str) -> bool:
        with self._lock:
            return digest in self._stamps

    def remember(self, digest: str, stamp: int, oldest: float) -> None:
        with self._lock:
            for old in [d for d, s in self._stamps.items() if s < oldest]:
                del self._stamps[old]
            self._stamps[digest] = stamp


class MemoryIdempotencyLog:
    def __init__(self) -> None:
        self._entries: dict[str, IdempotencyEntry] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, request: str) -> IdempotencyEntry | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self._entries[key] = IdempotencyEntry(request, IN_PROGRESS, None, time.time())
            return found

    def complete(self, key: str, status: int, response: str) -> None:
        with self._lock:
            self._entries[key] = replace(self._entries[key], status=status, response=response)

    def release(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def forget_before(self, oldest: float) -> None:
        with self._lock:
            for key in [k for k, e in self._entries.items() if e.created_at < oldest]:
                del self._entries[key]


class MemoryWorkClaims:
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


class MemoryAdapterState:
    """JSON values by scope and key, stored encoded so a caller's later change is not kept."""

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


def memory_sides() -> dict[type[Any], Any]:
    """Every side-data port the memory store offers, by port."""
    return {
        KeyStore: MemoryKeyStore(),
        AccessLog: MemoryAccessLog(),
        CallbackLog: MemoryCallbackLog(),
        IdempotencyLog: MemoryIdempotencyLog(),
        WorkClaims: MemoryWorkClaims(),
        AdapterState: MemoryAdapterState(),
    }
