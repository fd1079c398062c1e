"""The simulator's fault switches: a stand-in legacy system can be down, slow or garbled."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from tmf_gateway.errors import SouthboundError, SouthboundUnavailable


class SimulatedFaults:
    """Options (and attributes, for tests to flip): `unavailable` (every call raises
    SouthboundUnavailable, as a down system would); `latency` (seconds each call takes);
    `timeout` (seconds a call may take, default 5: a slower one gives up after `timeout` with
    SouthboundUnavailable, as an HTTP adapter's read timeout would); `malformed` (every answer
    is garbage: SouthboundError, as an adapter that cannot parse its answer raises)."""

    system_name = "the simulated legacy system"
    unavailable: bool
    latency: float
    timeout: float
    malformed: bool

    def _init_faults(self, options: Mapping[str, Any]) -> None:
        self.unavailable = bool(options.get("unavailable", False))
        self.latency = float(options.get("latency", 0.0))
        self.timeout = float(options.get("timeout", 5.0))
        self.malformed = bool(options.get("malformed", False))

    def check_health(self) -> None:
        """ports.HealthCheck: down while `unavailable` is set (latency and garbling aside)."""
        if self.unavailable:
            raise SouthboundUnavailable(f"{self.system_name} is unavailable")

    def _check_up(self) -> None:
        """Call first in every operation: down, slow or garbled as the switches say."""
        if self.unavailable:
            raise SouthboundUnavailable(f"{self.system_name} is unavailable")
        if self.latency > self.timeout:
            time.sleep(self.timeout)
            raise SouthboundUnavailable(
                f"{self.system_name} did not answer within {self.timeout} s")
        if self.latency > 0:
            time.sleep(self.latency)
        if self.malformed:
            raise SouthboundError(f"{self.system_name} answered with a malformed body")
