"""API keys: `tmfk_<id>_<secret>`, shown once; only a SHA-256 of the secret is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import BadRequest
from .storage import KeyRecord, SecurityStore

PREFIX = "tmfk"


@dataclass(frozen=True)
class Principal:
    """An authenticated client and the scopes it holds."""

    client: str
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _hash(secret: str) -> str:
    # the secret has 256 bits of entropy: a fast hash is enough, no password stretching needed
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(text: str) -> list[str]:
    scopes = sorted({s.strip() for s in text.replace(" ", ",").split(",") if s.strip()})
    if not scopes:
        raise BadRequest("a key needs at least one scope (e.g. customer:read)")
    return scopes


class KeyService:
    def __init__(self, store: SecurityStore) -> None:
        self.store = store

    def create(self, client: str, scopes: list[str]) -> tuple[KeyRecord, str]:
        """A new key for `client`; the returned plaintext is never stored or shown again."""
        key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        record = KeyRecord(key_id, client, ",".join(scopes), _hash(secret), now())
        self.store.add_key(record)
        return record, f"{PREFIX}_{key_id}_{secret}"

    def revoke(self, key_id: str) -> bool:
        return self.store.revoke_key(key_id, now())

    def verify(self, presented: str) -> Principal | None:
        """The key's client and scopes, or None for an unknown, malformed or revoked key."""
        prefix, _, rest = presented.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != PREFIX or not key_id or not secret:
            return None
        record = self.store.get_key(key_id)
        if record is None or record.revoked_at:
            return None
        if not hmac.compare_digest(record.secret_hash, _hash(secret)):
            return None
        return Principal(record.client, frozenset(record.scopes.split(",")))
