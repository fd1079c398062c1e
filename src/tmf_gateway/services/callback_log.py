"""Which signed southbound callbacks were applied, kept in the store so that every gateway
process on it knows (the `CallbackLog` port; each store implements it)."""

from __future__ import annotations

from typing import Any

from ..ports.side import CallbackLog, require_side

SignatureLog = CallbackLog


def for_store(store: Any) -> CallbackLog:
    """The signature log of this store; ConfigurationError when the store keeps none."""
    return require_side(store, CallbackLog)
