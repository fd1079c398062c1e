"""Idempotency-Key on POST: which keys were used, for which request, with which answer; kept by
the store (the `IdempotencyLog` port) so that every gateway process sees them.

A key is claimed before the request runs (status 0), so a concurrent or later retry with the
same key never creates a second resource: it gets the stored answer once there is one, a 409
while the first is still running, and a 422 when it carries another body."""

from __future__ import annotations

from typing import Any

from ..ports.side import IN_PROGRESS, IdempotencyEntry, IdempotencyLog, require_side

Entry = IdempotencyEntry
KeyLog = IdempotencyLog
__all__ = ["IN_PROGRESS", "Entry", "KeyLog", "for_store"]


def for_store(store: Any) -> IdempotencyLog:
    """The key log of this store; ConfigurationError when the store keeps none."""
    return require_side(store, IdempotencyLog)
