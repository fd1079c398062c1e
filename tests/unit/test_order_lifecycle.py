"""The order's final states, the order state derived from its items, and paths through the
machine (every single move is checked against the official table in test_lifecycles.py)."""

from __future__ import annotations

import pytest

from tests.lifecycles import official
from tmf_gateway.domain.lifecycle import PRODUCT_ORDER, PRODUCT_ORDER_ITEM
from tmf_gateway.domain.order_states import derive_order_state, path_to
from tmf_gateway.errors import IllegalTransition

FINAL = sorted(official()["ProductOrder"].final)


@pytest.mark.parametrize("final", FINAL)
def test_final_order_states_have_no_way_out(final):
    assert PRODUCT_ORDER.is_final(final)
    with pytest.raises(IllegalTransition, match=r"none \(final state\)"):
        PRODUCT_ORDER.check(final, "inProgress")


@pytest.mark.parametrize(
    ("items", "current", "expected"),
    [
        (["completed", "completed"], "inProgress", "completed"),
        (["failed", "failed"], "inProgress", "failed"),
        (["completed", "failed"], "inProgress", "partial"),
        (["completed", "cancelled"], "inProgress", "partial"),
        (["cancelled", "cancelled"], "inProgress", "cancelled"),
        (["inProgress", "completed"], "inProgress", "inProgress"),
        (["pending", "completed"], "inProgress", "pending"),
        (["held", "inProgress"], "inProgress", "held"),
        (["acknowledged"], "acknowledged", "acknowledged"),
        (["inProgress", "acknowledged"], "acknowledged", "inProgress"),
        ([], "inProgress", "inProgress"),
    ],
)
def test_order_state_derived_from_items(items, current, expected):
    assert derive_order_state(items, current) == expected


def test_path_goes_through_allowed_moves_only():
    assert path_to(PRODUCT_ORDER, "acknowledged", "completed") == ["inProgress", "completed"]
    assert path_to(PRODUCT_ORDER, "acknowledged", "partial") == ["inProgress", "partial"]
    assert path_to(PRODUCT_ORDER, "inProgress", "inProgress") == []
    assert path_to(PRODUCT_ORDER, "completed", "inProgress") is None
    assert path_to(PRODUCT_ORDER_ITEM, "pending", "completed") == ["inProgress", "completed"]
