"""Every allowed and every forbidden move of the ProductOrder, item and CancelProductOrder
machines (LIFECYCLES.md), and the order state derived from its items."""

from __future__ import annotations

import itertools

import pytest

from tmf_gateway.domain.lifecycle import CANCEL_PRODUCT_ORDER, PRODUCT_ORDER, PRODUCT_ORDER_ITEM
from tmf_gateway.domain.ordering import derive_order_state, path_to
from tmf_gateway.errors import IllegalTransition

ORDER_ALLOWED = {
    ("acknowledged", "inProgress"), ("acknowledged", "pending"), ("acknowledged", "rejected"),
    ("inProgress", "pending"), ("pending", "inProgress"), ("pending", "cancelled"),
    ("inProgress", "held"), ("held", "inProgress"), ("held", "cancelled"),
    ("inProgress", "assessingCancellation"), ("pending", "assessingCancellation"),
    ("held", "assessingCancellation"), ("assessingCancellation", "inProgress"),
    ("assessingCancellation", "pending"), ("assessingCancellation", "held"),
    ("assessingCancellation", "pendingCancellation"), ("pendingCancellation", "cancelled"),
    ("inProgress", "completed"), ("inProgress", "failed"), ("inProgress", "partial"),
}
ORDER_STATES = [
    "acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed",
    "failed", "partial", "assessingCancellation", "pendingCancellation",
]
ITEM_ALLOWED = {pair for pair in ORDER_ALLOWED if "partial" not in pair}
ITEM_STATES = [s for s in ORDER_STATES if s != "partial"]
CANCEL_ALLOWED = {
    ("acknowledged", "inProgress"), ("acknowledged", "terminatedWithError"),
    ("inProgress", "done"), ("inProgress", "terminatedWithError"),
}
CANCEL_STATES = ["acknowledged", "inProgress", "done", "terminatedWithError"]

CASES = [
    (machine, a, b, (a, b) in allowed)
    for machine, states, allowed in (
        (PRODUCT_ORDER, ORDER_STATES, ORDER_ALLOWED),
        (PRODUCT_ORDER_ITEM, ITEM_STATES, ITEM_ALLOWED),
        (CANCEL_PRODUCT_ORDER, CANCEL_STATES, CANCEL_ALLOWED),
    )
    for a, b in itertools.permutations(states, 2)
]


def test_machines_know_exactly_the_official_states():
    assert PRODUCT_ORDER.states == set(ORDER_STATES)
    assert PRODUCT_ORDER_ITEM.states == set(ITEM_STATES)
    assert CANCEL_PRODUCT_ORDER.states == set(CANCEL_STATES)


@pytest.mark.parametrize(
    ("machine", "source", "target", "allowed"),
    CASES,
    ids=[f"{m.name}:{a}->{b}" for m, a, b, _ in CASES],
)
def test_every_transition(machine, source, target, allowed):
    assert machine.can(source, target) is allowed
    if allowed:
        machine.check(source, target)
    else:
        with pytest.raises(IllegalTransition) as info:
            machine.check(source, target)
        assert info.value.status == 409
        assert info.value.allowed == machine.allowed(source)
        for state in machine.allowed(source):
            assert state in info.value.message


@pytest.mark.parametrize("final", ["rejected", "cancelled", "completed", "failed", "partial"])
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
