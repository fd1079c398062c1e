"""The OrderFulfilment contract: what every order-system adapter must do, as pytest tests."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any

import pytest

from ..domain.lifecycle import PRODUCT_ORDER_ITEM
from ..domain.ordering import path_to
from ..errors import SouthboundError, SouthboundRejected, SouthboundUnavailable
from ..ports import ItemUpdate, OrderFulfilment
from .faults import LegacyFaults
from .kit import AdapterContract, available

# The outcomes a harness is asked to produce orders for (FulfilmentHarness.order).
COMPLETE, FAIL, REJECT, REFUSE_CANCEL = "complete", "fail", "reject", "refuseCancel"


class FulfilmentHarness(LegacyFaults, ABC):
    """What the contract needs from an adapter author: the adapter, orders with known outcomes
    and ways to break the legacy system. Faults you cannot produce skip their tests."""

    timeout: float = 5.0  # seconds the adapter may take to give up on a slow system
    settle_seconds: float = 15.0  # how long an order may take to reach final item states

    @abstractmethod
    def adapter(self) -> OrderFulfilment:
        """A fresh adapter talking to the legacy system (or its stand-in)."""

    @abstractmethod
    def order(self, outcome: str) -> dict[str, Any] | None:
        """A new TMF ProductOrder (unique id) that the legacy system will take to `outcome`:
        'complete', 'fail', 'reject' (refused at submit), 'refuseCancel'; None if impossible."""


def settle(
    adapter: OrderFulfilment,
    order: dict[str, Any],
    seconds: float,
    interval: float = 0.05,
    others: list[ItemUpdate] | None = None,
) -> list[ItemUpdate]:
    """Poll until every item of `order` reached a final state; the order's updates, in order
    (the updates of other orders polled meanwhile are appended to `others`)."""
    items = {item["id"] for item in order.get("productOrderItem", [])}
    state = {item_id: "acknowledged" for item_id in items}
    seen: list[ItemUpdate] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for update in adapter.poll_updates():
            if update.order_id == order["id"]:
                seen.append(update)
                state[update.item_id] = update.state
            elif others is not None:
                others.append(update)
        if all(PRODUCT_ORDER_ITEM.is_final(s) for s in state.values()):
            return seen
        time.sleep(interval)
    raise AssertionError(f"order {order['id']} did not settle in {seconds}s: {state}")


def _order(harness: FulfilmentHarness, outcome: str) -> dict[str, Any]:
    return available(harness.order(outcome), f"order that ends in '{outcome}'")


class OrderFulfilmentContract(AdapterContract, adapter_fixture="fulfilment"):
    """Importable tests of ports.OrderFulfilment; provide the `harness` fixture."""

    def test_an_accepted_order_completes_through_allowed_item_states(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        fulfilment.submit(order)
        updates = settle(fulfilment, order, harness.settle_seconds)
        current: dict[str, str] = {}
        for update in updates:
            assert update.item_id in {i["id"] for i in order["productOrderItem"]}, update
            before = current.get(update.item_id, "acknowledged")
            assert update.state in PRODUCT_ORDER_ITEM.states, f"unknown item state {update}"
            assert not PRODUCT_ORDER_ITEM.is_final(before), f"update after a final state {update}"
            assert path_to(PRODUCT_ORDER_ITEM, before, update.state) is not None, (
                f"{before} -> {update.state} is not reachable for an order item"
            )
            current[update.item_id] = update.state
        assert set(current.values()) == {"completed"}

    def test_each_update_is_returned_once(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        fulfilment.submit(order)
        settle(fulfilment, order, harness.settle_seconds)
        again = [u for u in fulfilment.poll_updates() if u.order_id == order["id"]]
        assert again == []

    def test_submitting_twice_is_harmless(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        fulfilment.submit(order)
        fulfilment.submit(order)
        updates = settle(fulfilment, order, harness.settle_seconds)
        finals = [u for u in updates if PRODUCT_ORDER_ITEM.is_final(u.state)]
        assert len(finals) == len(order["productOrderItem"])

    def test_a_failing_order_reports_failed_items(self, harness, fulfilment):
        order = _order(harness, FAIL)
        fulfilment.submit(order)
        updates = settle(fulfilment, order, harness.settle_seconds)
        assert "failed" in {u.state for u in updates}

    def test_a_refused_order_raises_southbound_rejected(self, harness, fulfilment):
        order = _order(harness, REJECT)
        with pytest.raises(SouthboundRejected):
            fulfilment.submit(order)

    def test_cancel_is_accepted_or_refused_with_a_bool(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        fulfilment.submit(order)
        assert fulfilment.cancel(order["id"]) is True
        refused = harness.order(REFUSE_CANCEL)
        if refused is not None:
            fulfilment.submit(refused)
            assert fulfilment.cancel(refused["id"]) is False

    def test_a_cancelled_order_makes_no_further_progress(self, harness, fulfilment):
        """A twin order submitted alongside and left alone completes: by then the cancelled
        one would have completed too, had the cancellation not stopped it."""
        order, twin = _order(harness, COMPLETE), _order(harness, COMPLETE)
        fulfilment.submit(order)
        fulfilment.submit(twin)
        assert fulfilment.cancel(order["id"]) is True
        others: list[ItemUpdate] = []
        settle(fulfilment, twin, harness.settle_seconds, others=others)
        states = [u.state for u in others if u.order_id == order["id"]]
        assert "completed" not in states
        assert set(states) <= {"inProgress", "cancelled"}

    def test_a_down_system_raises_southbound_unavailable(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        with harness.down():
            for call in (lambda: fulfilment.submit(order), lambda: fulfilment.cancel(order["id"]),
                         fulfilment.poll_updates):
                with pytest.raises(SouthboundUnavailable):
                    call()

    def test_a_down_system_loses_nothing_once_it_returns(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        with harness.down(), pytest.raises(SouthboundUnavailable):
            fulfilment.submit(order)
        self._eventually(fulfilment.submit, order, harness.settle_seconds)
        updates = settle(fulfilment, order, harness.settle_seconds)
        assert {u.state for u in updates if PRODUCT_ORDER_ITEM.is_final(u.state)} == {"completed"}

    def test_a_slow_system_times_out_as_southbound_unavailable(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        fulfilment.submit(order)
        with harness.slow():
            started = time.monotonic()
            with pytest.raises(SouthboundUnavailable):
                fulfilment.cancel(order["id"])
            assert time.monotonic() - started < harness.timeout

    def test_malformed_answers_raise_southbound_errors(self, harness, fulfilment):
        order = _order(harness, COMPLETE)
        fulfilment.submit(order)
        with harness.garbled(), pytest.raises(SouthboundError):
            fulfilment.poll_updates()

    @staticmethod
    def _eventually(call: Any, order: dict[str, Any], seconds: float) -> None:
        """Retry as the gateway does: an unavailable system (or an open breaker) is waited out."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                call(order)
                return
            except SouthboundUnavailable:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
