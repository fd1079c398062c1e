"""A simulated feasibility assessment: offerings whose id contains a marker are infeasible."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class SimulatedFeasibility:
    """Option `infeasible` (default "infeasible"): word in an offering id that fails the check."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.marker = str((options or {}).get("infeasible", "infeasible"))

    def assess(self, order: dict[str, Any], item: dict[str, Any]) -> str | None:
        offering = item.get("productOffering") or {}
        offering_id = offering.get("id", "") if isinstance(offering, dict) else ""
        if self.marker and self.marker in offering_id.lower():
            return f"offering '{offering_id}' cannot be delivered at this address"
        return None
