"""The circuit opens on slow answers and timeouts within a time window, not only on failures in
a row: a system that answers, but too slowly, is treated as failing."""

from __future__ import annotations

import time

import pytest
from legacy_crm import API_KEY
from tests_support import HungServer
from tmf_gateway_legacy_rest import LegacyHttp

from tmf_gateway.errors import SouthboundUnavailable

OPTIONS = {"headers": {"X-Api-Key": API_KEY}, "timeout": 0.5, "connect_timeout": 0.5,
           "retries": 0, "breaker_fail_max": 3, "breaker_window_seconds": 30,
           "slow_call_seconds": 0.2}


def test_slow_answers_within_the_window_open_the_circuit(crm):
    http = LegacyHttp(crm.url, OPTIONS)
    crm.fault, crm.slow_seconds = "slow", 0.3  # answers, within the timeout, but slowly
    for _ in range(3):
        status, _ = http.request("GET", "/crm/v2/feed")
        assert status == 200
    assert http.breaker_state == "open"
    started = time.monotonic()
    with pytest.raises(SouthboundUnavailable, match="circuit breaker open"):
        http.request("GET", "/crm/v2/feed")
    assert time.monotonic() - started < 0.1  # refused at once, the network is not touched
    http.close()


def test_fast_answers_keep_it_closed(crm):
    http = LegacyHttp(crm.url, OPTIONS)
    for _ in range(10):
        http.request("GET", "/crm/v2/feed")
    assert http.breaker_state == "closed"
    http.close()


def test_a_hung_system_costs_one_timeout_per_call_then_the_circuit_opens():
    hung = HungServer().start()
    try:
        http = LegacyHttp(hung.url, {**OPTIONS, "retries": 2})
        for _ in range(3):
            started = time.monotonic()
            with pytest.raises(SouthboundUnavailable, match=r"timed out|breaker open"):
                http.request("POST", "/crm/v2/orders", json={})
            assert time.monotonic() - started < 0.9  # one read timeout, not one per retry
        assert http.breaker_state == "open"
        http.close()
    finally:
        hung.stop()
