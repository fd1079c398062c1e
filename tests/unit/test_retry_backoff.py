"""The one backoff formula every retrying job uses: growth, cap, jitter bounds."""

from __future__ import annotations

import random

import pytest

from tmf_gateway.retry import Backoff


def test_the_delay_doubles_from_the_base_after_each_failure():
    backoff = Backoff(base=0.5, cap=1000.0)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0]


def test_no_failure_yet_waits_the_base():
    assert Backoff(base=3.0, cap=10.0).delay(0) == 3.0


def test_the_delay_never_passes_the_cap_even_after_very_many_failures():
    backoff = Backoff(base=1.0, cap=15.0)
    assert [backoff.delay(n) for n in (4, 5, 6, 10_000)] == [8.0, 15.0, 15.0, 15.0]


def test_jitter_stays_in_the_upper_half_of_the_delay():
    backoff = Backoff(base=1.0, cap=300.0, jitter=True)
    assert backoff.delay(4, rng=lambda: 0.0) == 4.0  # half of 8
    assert backoff.delay(4, rng=lambda: 1.0) == 8.0
    rng = random.Random(7).random
    delays = [backoff.delay(4, rng) for _ in range(500)]
    assert all(4.0 <= d <= 8.0 for d in delays)
    assert len(set(delays)) > 400  # spread out, not in lockstep


def test_jitter_respects_the_cap():
    backoff = Backoff(base=1.0, cap=10.0, jitter=True)
    assert 5.0 <= backoff.delay(50, rng=lambda: 0.999) <= 10.0


def test_a_negative_base_or_cap_is_refused():
    with pytest.raises(ValueError, match="negative"):
        Backoff(base=-1.0)
    with pytest.raises(ValueError, match="negative"):
        Backoff(cap=-1.0)
