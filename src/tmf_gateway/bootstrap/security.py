"""The security parts: the key store and access log, the idempotency log, the authenticator."""

from __future__ import annotations

from ..built import SecurityParts
from ..config import Settings
from ..ports import Store
from ..security import setup as security
from ..security.storage import for_store as security_store
from ..services.idempotency import for_store as idempotency_log


def build_security(settings: Settings, store: Store) -> SecurityParts:
    keys = security_store(store)
    return SecurityParts(keys, idempotency_log(store), security.build_authenticator(settings, keys))
