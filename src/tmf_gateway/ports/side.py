"""The side-data ports: what the gateway keeps in the store beside resources, outbox and audit
(API keys, the access log, applied callback signatures, Idempotency-Keys, work claims, the
adapters' state). A store offers each through `Store.side(port)`, or declares it unsupported;
`require_side` turns a missing one into a start-up error rather than a silent fallback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import ConfigurationError
from .southbound import AdapterState
from .storage import Port

IN_PROGRESS = 0  # the status of an Idempotency-Key whose first request still runs


@dataclass(frozen=True)
class KeyRecord:
    """One API key: its id, whose it is, what it may do; only a hash of the secret is kept."""

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


@dataclass(frozen=True)
class IdempotencyEntry:
    """What is recorded under one Idempotency-Key: the request's digest, and its answer once
    there is one (status IN_PROGRESS until then)."""

    request: str
    status: int
    response: str | None
    created_at: float


class KeyStore(Protocol):
    """The API keys of the gateway's clients."""

    def add_key(self, record: KeyRecord) -> None: ...

    def get_key(self, key_id: str) -> KeyRecord | None: ...

    def list_keys(self) -> list[KeyRecord]: ...

    def revoke_key(self, key_id: str, at: str) -> bool:
        """False when there is no such key or it was revoked already."""
        ...


class AccessLog(Protocol):
    """Who read or changed which customer's data: append-only."""

    def append(self, entry: Access) -> None: ...

    def append_many(self, entries: list[Access]) -> None:
        """Several entries in one transaction (a list or an export: one per customer)."""
        ...

    def accesses(self, since: str = "", customer_id: str | None = None) -> Iterator[Access]:
        """Entries at or after `since` (ISO 8601), of one customer or all, oldest first."""
        ...


class CallbackLog(Protocol):
    """Signatures of the southbound callbacks applied, so a replayed one is refused."""

    def __len__(self) -> int: ...

    def seen(self, digest: str) -> bool: ...

    def remember(self, digest: str, stamp: int, oldest: float) -> None:
        """Keep `digest`, and forget every signature signed before `oldest` (expired)."""
        ...


class IdempotencyLog(Protocol):
    """Idempotency-Keys of POST requests: claimed before the request runs, then its answer."""

    def claim(self, key: str, request: str) -> IdempotencyEntry | None:
        """None when `key` is now ours (committed before the request runs); else what is
        recorded under it."""
        ...

    def complete(self, key: str, status: int, response: str) -> None: ...

    def release(self, key: str) -> None: ...

    def forget_before(self, oldest: float) -> None: ...


class WorkClaims(Protocol):
    """Claims with an expiry: of several gateway processes one does a piece of work at a time."""

    def take(self, name: str, owner: str, seconds: float) -> bool:
        """True when `owner` holds `name` for `seconds` from now (taken, renewed or taken over
        from an expired claim); False while someone else holds it."""
        ...

    def release(self, name: str, owner: str) -> None:
        """Let go of `name` if `owner` holds it."""
        ...


SIDE_PORTS: tuple[type[Any], ...] = (
    KeyStore, AccessLog, CallbackLog, IdempotencyLog, WorkClaims, AdapterState)


def require_side(store: Any, port: type[Port]) -> Port:
    """The store's implementation of `port`; a store without one stops start-up, naming both."""
    side = getattr(store, "side", None)
    found = side(port) if side is not None else None
    if found is None:
        name = f"{type(store).__module__}.{type(store).__qualname__}"
        raise ConfigurationError(
            f"store {name} does not support the side-data port {port.__name__}, which this"
            " configuration needs (implement `side()` for it: docs/developing.md)")
    return found
