"""The log of applied callback signatures: every store keeps it alike."""

from __future__ import annotations

from tmf_gateway.ports import CallbackLog, require_side


def test_remembered_signatures_are_seen_until_they_expire(store):
    log = require_side(store, CallbackLog)
    assert not log.seen("a" * 64)
    log.remember("a" * 64, 1000, oldest=700)
    log.remember("a" * 64, 1000, oldest=700)  # twice (two processes, one callback) is fine
    log.remember("b" * 64, 1200, oldest=900)
    assert log.seen("a" * 64) and log.seen("b" * 64) and len(log) == 2
    log.remember("c" * 64, 1400, oldest=1100)  # "a" was signed before the oldest time kept
    assert not log.seen("a" * 64) and log.seen("b" * 64) and len(log) == 2
