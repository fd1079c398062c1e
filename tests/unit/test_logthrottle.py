"""Repeated failures of one adapter and cause are logged once a window, with a count."""

from __future__ import annotations

import logging

from tmf_gateway.logthrottle import ThrottledLog


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_same_failure_is_logged_once_a_window_with_how_many_were_left_out(caplog):
    clock = Clock()
    throttled = ThrottledLog(logging.getLogger("test.throttle"), window=60, clock=clock)
    with caplog.at_level(logging.WARNING, logger="test.throttle"):
        for n in range(500):  # an outage: every order fails the same way
            throttled.warning("legacy-rest", "SouthboundUnavailable", "order %s failed", n)
        throttled.warning("legacy-rest", "SouthboundRejected", "order %s refused", "x")
        throttled.warning("simulator", "SouthboundUnavailable", "order %s failed", "y")
        clock.now = 61
        throttled.warning("legacy-rest", "SouthboundUnavailable", "order %s failed", 500)
    assert [r.getMessage() for r in caplog.records] == [
        "order 0 failed",
        "order x refused",  # another cause
        "order y failed",  # another adapter
        "order 500 failed (499 more like this since the last such line)",
    ]
