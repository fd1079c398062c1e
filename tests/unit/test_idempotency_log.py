"""The memory store's Idempotency-Key log: the first claim wins, later ones see what it left."""

from __future__ import annotations

import time

from tmf_gateway.ports import IN_PROGRESS
from tmf_gateway.storage.memoryside import MemoryIdempotencyLog


def test_claim_complete_release_and_expiry():
    log = MemoryIdempotencyLog()
    assert log.claim("k", "body-1") is None  # ours now
    seen = log.claim("k", "body-2")
    assert seen is not None and (seen.request, seen.status) == ("body-1", IN_PROGRESS)
    log.complete("k", 201, '{"status":201}')
    done = log.claim("k", "body-1")
    assert done is not None and (done.status, done.response) == (201, '{"status":201}')
    log.release("k")
    assert log.claim("k", "body-3") is None  # a released key is free again
    log.forget_before(time.time() + 1)
    assert log.claim("k", "body-4") is None  # and an expired one
