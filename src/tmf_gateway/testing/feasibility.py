"""The FeasibilityCheck contract: what every feasibility adapter must do, as pytest tests."""

from __future__ import annotations

import copy
import time
from abc import ABC, abstractmethod
from typing import Any

import pytest

from ..errors import SouthboundError, SouthboundUnavailable
from ..ports import FeasibilityCheck
from .faults import LegacyFaults
from .kit import AdapterContract

# The outcomes a harness is asked to produce cases for (FeasibilityHarness.case).
FEASIBLE, INFEASIBLE = "feasible", "infeasible"
Case = tuple[dict[str, Any], dict[str, Any]]  # (order, item)


class FeasibilityHarness(LegacyFaults, ABC):
    """The adapter, an order item with a known verdict, and ways to break the legacy system.
    Faults you cannot produce skip their tests."""

    timeout: float = 5.0  # seconds the adapter may take to give up on a slow system

    @abstractmethod
    def adapter(self) -> FeasibilityCheck:
        """A fresh adapter talking to the legacy system (or its stand-in)."""

    @abstractmethod
    def case(self, outcome: str) -> Case:
        """A TMF ProductOrder and one of its items that the legacy system finds `outcome`:
        'feasible' or 'infeasible'."""


class FeasibilityContract(AdapterContract, adapter_fixture="feasibility"):
    """Importable tests of ports.FeasibilityCheck; provide the `harness` fixture."""

    def test_a_feasible_item_is_none(self, harness, feasibility):
        order, item = harness.case(FEASIBLE)
        assert feasibility.assess(order, item) is None

    def test_an_infeasible_item_gives_a_reason(self, harness, feasibility):
        order, item = harness.case(INFEASIBLE)
        reason = feasibility.assess(order, item)
        assert isinstance(reason, str) and reason.strip(), reason

    def test_assessing_leaves_the_order_untouched_and_answers_the_same_twice(
        self, harness, feasibility
    ):
        for outcome in (FEASIBLE, INFEASIBLE):
            order, item = harness.case(outcome)
            before = copy.deepcopy((order, item))
            first = feasibility.assess(order, item)
            assert feasibility.assess(order, item) == first
            assert (order, item) == before

    def test_a_down_system_raises_southbound_unavailable(self, harness, feasibility):
        order, item = harness.case(FEASIBLE)
        with harness.down(), pytest.raises(SouthboundUnavailable):
            feasibility.assess(order, item)
        assert feasibility.assess(order, item) is None  # and it answers again once back

    def test_a_slow_system_times_out_as_southbound_unavailable(self, harness, feasibility):
        order, item = harness.case(FEASIBLE)
        with harness.slow():
            started = time.monotonic()
            with pytest.raises(SouthboundUnavailable):
                feasibility.assess(order, item)
            assert time.monotonic() - started < harness.timeout

    def test_malformed_answers_raise_southbound_errors(self, harness, feasibility):
        order, item = harness.case(FEASIBLE)
        with harness.garbled(), pytest.raises(SouthboundError):
            feasibility.assess(order, item)
