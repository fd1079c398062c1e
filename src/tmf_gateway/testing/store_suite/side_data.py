"""Side data beside the resources (API keys, the access log, Idempotency-Keys, the adapters'
state): every store offers every side port, and each behaves alike on every store."""

from __future__ import annotations

import pytest

from tmf_gateway.ports import (
    IN_PROGRESS,
    SIDE_PORTS,
    Access,
    AccessLog,
    AdapterState,
    IdempotencyLog,
    KeyRecord,
    KeyStore,
    require_side,
)


@pytest.mark.parametrize("port", SIDE_PORTS, ids=lambda port: port.__name__)
def test_every_side_port_is_one_object_per_store(store, port):
    assert require_side(store, port) is require_side(store, port)


def test_keys_are_found_listed_and_revoked_once(store):
    keys = require_side(store, KeyStore)
    assert keys.get_key("k-1") is None and keys.list_keys() == []
    record = KeyRecord("k-1", "alice", "read,write", "hash", "2024-01-01T00:00:00Z")
    keys.add_key(record)
    keys.add_key(KeyRecord("k-2", "bob", "read", "hash2", "2024-01-02T00:00:00Z"))
    assert keys.get_key("k-1") == record
    assert sorted(k.key_id for k in keys.list_keys()) == ["k-1", "k-2"]
    assert keys.revoke_key("k-1", "2024-02-01T00:00:00Z")
    assert not keys.revoke_key("k-1", "2024-03-01T00:00:00Z")  # revoked already
    assert not keys.revoke_key("nobody", "2024-03-01T00:00:00Z")
    assert keys.get_key("k-1").revoked_at == "2024-02-01T00:00:00Z"
    assert keys.get_key("k-2").revoked_at is None


def test_the_access_log_reads_back_in_order_by_time_and_customer(store):
    log = require_side(store, AccessLog)
    first = Access("2024-01-01T00:00:00Z", "alice", "listCustomer", None, 200, 10)
    log.append(first)
    log.append_many([
        Access("2024-01-02T00:00:00Z", "alice", "retrieveCustomer", "c1", 200, 5),
        Access("2024-01-03T00:00:00Z", "bob", "retrieveCustomer", "c2", 404, 0),
    ])
    log.append_many([])  # nothing to log is fine
    assert [a.customer_id for a in log.accesses()] == [None, "c1", "c2"]
    assert next(log.accesses()) == first
    assert [a.client for a in log.accesses(since="2024-01-02")] == ["alice", "bob"]
    assert [a.status for a in log.accesses(customer_id="c2")] == [404]


def test_an_idempotency_key_is_claimed_once_then_answered_then_forgotten(store):
    log = require_side(store, IdempotencyLog)
    assert log.claim("key-1", "body-1") is None  # ours now
    running = log.claim("key-1", "body-1")
    assert running is not None and (running.request, running.status) == ("body-1", IN_PROGRESS)
    log.complete("key-1", 201, '{"id": "1"}')
    done = log.claim("key-1", "body-2")
    assert done is not None and (done.request, done.status, done.response) == (
        "body-1", 201, '{"id": "1"}')
    log.release("key-1")
    assert log.claim("key-1", "body-3") is None  # released: free again
    log.forget_before(done.created_at - 60)  # older entries only: this one stays
    assert log.claim("key-1", "body-4") is not None
    log.forget_before(float("inf"))
    assert log.claim("key-1", "body-5") is None


def test_adapter_state_keeps_json_values_by_scope(store):
    state = require_side(store, AdapterState)
    assert state.load("sim") == {}
    state.save("sim", {"o-1": {"items": ["a", "b"], "n": 2}, "o-2": None})
    state.save("other", {"o-1": 1})
    state.save("sim", {"o-2": "done"})  # a key saved again is replaced
    state.save("sim", {})
    assert state.load("sim") == {"o-1": {"items": ["a", "b"], "n": 2}, "o-2": "done"}
    state.remove("sim", ["o-1", "missing"])
    state.remove("sim", [])
    assert state.load("sim") == {"o-2": "done"} and state.load("other") == {"o-1": 1}
