"""A simulated feasibility assessment: offerings whose id contains a marker are infeasible."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .faults import SimulatedFaults


class SimulatedFeasibility(SimulatedFaults):
    """Option `infeasible` (default "infeasible"): word in an offering id that fails the check;
    and the fault switches of SimulatedFaults."""

    system_name = "the simulated feasibility system"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        options = options or {}
        self.marker = str(options.get("infeasible", "infeasible"))
        self._init_faults(options)

    def assess(self, order: dict[str, Any], item: dict[str, Any]) -> str | None:
        self._check_up()
        offering = item.get("productOffering") or {}
        offering_id = offering.get("id", "") if isinstance(offering, dict) else ""
        if self.marker and self.marker in offering_id.lower():
            return f"offering '{offering_id}' cannot be delivered at this address"
        return None
