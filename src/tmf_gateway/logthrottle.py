"""Rate-limited warnings for repeated southbound failures, so an outage is not a log flood."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

WINDOW_SECONDS = 60.0  # the same failure again is logged at most this often


def adapter_name(component: object) -> str:
    """The adapter a southbound component comes from (its top-level package)."""
    return type(component).__module__.split(".")[0]


class ThrottledLog:
    """The first failure of a kind (adapter and cause) is logged; repeats within the window are
    only counted, and the next line after it says how many were left out."""

    def __init__(
        self, logger: logging.Logger, window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger, self.window, self.clock = logger, window, clock
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}  # key -> (logged at, left out)
        self._lock = threading.Lock()

    def warning(
        self, adapter: str, cause: str, msg: str, *args: Any, exc_info: bool = False
    ) -> bool:
        """Log `msg` unless the same (adapter, cause) was logged less than a window ago;
        returns whether it was logged."""
        now = self.clock()
        key = (adapter, cause)
        with self._lock:
            logged_at, left_out = self._seen.get(key, (float("-inf"), 0))
            if now - logged_at < self.window:
                self._seen[key] = (logged_at, left_out + 1)
                return False
            self._seen[key] = (now, 0)
        if left_out:
            msg += " (%d more like this since the last such line)"
            args = (*args, left_out)
        self.logger.warning(msg, *args, exc_info=exc_info)
        return True
