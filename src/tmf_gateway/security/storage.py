"""Where the security code keeps API keys and the access log: the store's `KeyStore` and
`AccessLog` side-data ports (tables and SQL in storage/), handed over as one object."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..ports.side import Access, AccessLog, KeyRecord, KeyStore, require_side

__all__ = ["Access", "KeyRecord", "SecurityStore", "for_store"]


class SecurityStore:
    """A store's API keys and access log, as the key service, the middleware and the CLI use
    them."""

    def __init__(self, keys: KeyStore, log: AccessLog) -> None:
        self.keys, self.log = keys, log

    def add_key(self, record: KeyRecord) -> None:
        self.keys.add_key(record)

    def get_key(self, key_id: str) -> KeyRecord | None:
        return self.keys.get_key(key_id)

    def list_keys(self) -> list[KeyRecord]:
        return self.keys.list_keys()

    def revoke_key(self, key_id: str, at: str) -> bool:
        return self.keys.revoke_key(key_id, at)

    def append(self, entry: Access) -> None:
        self.log.append(entry)

    def append_many(self, entries: list[Access]) -> None:
        self.log.append_many(entries)

    def accesses(self, since: str = "", customer_id: str | None = None) -> Iterator[Access]:
        return self.log.accesses(since, customer_id)


def for_store(store: Any) -> SecurityStore:
    """The security side data of this store; ConfigurationError when the store keeps none."""
    return SecurityStore(require_side(store, KeyStore), require_side(store, AccessLog))
