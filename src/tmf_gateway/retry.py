"""The one backoff formula: how long to wait after the n-th failure before trying again.

Used by event delivery (events.delivery.RetryPolicy), order submission to the legacy order
system (services.fulfilment) and ticket forwarding (services.ticket_desk). Imports nothing of
ours, so any layer may use it. The legacy-rest adapter's HTTP retries are urllib3's `Retry`
(it does the sleeping inside the request); its `backoff_factor` doubles the same way.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """`base * 2**(failures-1)` seconds, never more than `cap`. With `jitter`, a random point
    in the upper half of that, so clients coming back after an outage are not hit in lockstep."""

    base: float = 1.0
    cap: float = 300.0
    jitter: bool = False

    def __post_init__(self) -> None:
        if self.base < 0 or self.cap < 0:
            raise ValueError(f"backoff base and cap must not be negative: {self}")

    def ceiling(self, failures: int) -> float:
        """The un-jittered delay after `failures` failures (the first failure waits `base`)."""
        exponent = max(0, failures - 1)
        if exponent >= 64:  # 2**64 * base is past any cap we use, and floats would overflow
            return self.cap
        return min(self.cap, self.base * 2**exponent)

    def delay(self, failures: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait after `failures` failed attempts."""
        ceiling = self.ceiling(failures)
        if not self.jitter:
            return ceiling
        return ceiling / 2 + rng() * ceiling / 2
