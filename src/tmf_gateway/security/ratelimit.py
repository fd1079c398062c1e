"""Rate limits per client, counted by the `limits` library in a storage chosen by URI.

`memory://` counts in this process; `redis://host:6379` shares the counts between every worker
process and host that points at the same Redis, so a client's limit holds for the whole gateway.
"""

from __future__ import annotations

import logging
import math
import time

import limits
from limits.errors import ConfigurationError as LimitsConfigurationError
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..errors import ConfigurationError

log = logging.getLogger(__name__)
NAMESPACE = "tmf-gateway"


def window(rate: float, burst: int) -> limits.RateLimitItem:
    """A token bucket of `rate` calls/s and `burst` as a moving window: at most rate x window
    calls in any `burst / rate` seconds (whole seconds, at least one)."""
    seconds = max(1, math.ceil(max(burst, 1) / rate))
    return limits.RateLimitItemPerSecond(max(1, round(rate * seconds)), seconds, NAMESPACE)


class RateLimiter:
    """`retry_after(client)`: 0 to go ahead, else the seconds to wait before the next call."""

    def __init__(
        self,
        rate: float,
        burst: int,
        per_client: dict[str, float],
        storage_uri: str = "memory://",
    ) -> None:
        self.rate, self.burst, self.per_client = rate, burst, per_client
        try:
            # wrapped: a Redis outage raises StorageError, not the driver's own errors
            self.storage = storage_from_string(storage_uri, wrap_exceptions=True)
        except LimitsConfigurationError as exc:
            hint = " (redis:// needs the redis extra)" if storage_uri.startswith("redis") else ""
            raise ConfigurationError(f"rate_limit_storage '{storage_uri}': {exc}{hint}") from exc
        self.shared = not storage_uri.startswith("memory://")  # network I/O: off the loop
        self._limiter = MovingWindowRateLimiter(self.storage)
        self._failing = False

    def retry_after(self, client: str) -> int:
        rate = float(self.per_client.get(client, self.rate))
        if rate <= 0:
            return 0
        item = window(rate, self.burst)
        try:
            if self._limiter.hit(item, client):
                self._recovered()
                return 0
            reset, _remaining = self._limiter.get_window_stats(item, client)
        except StorageError as exc:
            # fail open: an unreachable counter store must not take the whole gateway down
            if not self._failing:
                log.warning("rate limit storage unavailable, calls are not limited: %s", exc)
            self._failing = True
            return 0
        self._recovered()
        return max(1, math.ceil(reset - time.time()))

    def _recovered(self) -> None:
        if self._failing:
            log.warning("rate limit storage reachable again, limits apply")
            self._failing = False
