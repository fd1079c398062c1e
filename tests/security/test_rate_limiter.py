"""The rate limiter on its own: windows per client, storage URIs, and failing open."""

from __future__ import annotations

import logging

import pytest

from tmf_gateway.errors import ConfigurationError
from tmf_gateway.security.ratelimit import RateLimiter, window


def test_window_keeps_the_rate_and_the_burst():
    assert (window(0.5, 3).amount, window(0.5, 3).get_expiry()) == (3, 6)
    assert (window(50, 100).amount, window(50, 100).get_expiry()) == (100, 2)
    assert (window(200, 20).amount, window(200, 20).get_expiry()) == (200, 1)


def test_each_client_has_its_own_budget_and_named_clients_their_own_rate():
    limiter = RateLimiter(1.0, 2, {"bulk": 3.0, "open": 0})
    assert [limiter.retry_after("a") for _ in range(3)] == [0, 0, 2]
    assert limiter.retry_after("b") == 0
    assert [limiter.retry_after("bulk") for _ in range(4)] == [0, 0, 0, 1]
    assert [limiter.retry_after("open") for _ in range(50)] == [0] * 50


def test_an_unknown_storage_stops_start_up():
    with pytest.raises(ConfigurationError, match="unknown storage scheme"):
        RateLimiter(1.0, 2, {}, "nosuch://127.0.0.1")


def test_an_unreachable_redis_fails_open_and_says_so(caplog):
    limiter = RateLimiter(1.0, 1, {}, "redis://127.0.0.1:1")  # nothing listens on port 1
    assert limiter.shared
    with caplog.at_level(logging.WARNING, logger="tmf_gateway.security.ratelimit"):
        assert [limiter.retry_after("a") for _ in range(3)] == [0, 0, 0]
    warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(warnings) == 1  # once, not once per call
