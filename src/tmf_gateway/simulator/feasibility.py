"""A simulated feasibility assessment: offerings whose id contains a marker are infeasible."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmf_gateway.errors import SouthboundUnavailable


class SimulatedFeasibility:
    """Option `infeasible` (default "infeasible"): word in an offering id that fails the check;
    `unavailable` (true: every call raises SouthboundUnavailable, as a down system would)."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        self.marker = str(options.get("infeasible", "infeasible"))
        self.unavailable = bool(options.get("unavailable", False))

    def check_health(self) -> None:
        """ports.HealthCheck: down while `unavailable` is set."""
        if self.unavailable:
            raise SouthboundUnavailable("simulated feasibility system is unavailable")

    def assess(self, order: dict[str, Any], item: dict[str, Any]) -> str | None:
        self.check_health()
        offering = item.get("productOffering") or {}
        offering_id = offering.get("id", "") if isinstance(offering, dict) else ""
        if self.marker and self.marker in offering_id.lower():
            return f"offering '{offering_id}' cannot be delivered at this address"
        return None
