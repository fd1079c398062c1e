"""The domain's composite order decisions, without I/O: a legacy update walked through the item
machine, the order settled on its items, a client's answer to a pending order, and what a
cancellation does to an order and its items."""

from __future__ import annotations

import copy

import pytest

from tmf_gateway.domain import cancel_states, order_states
from tmf_gateway.errors import IllegalTransition

NOW = "2026-03-01T10:00:00.000Z"


def order(state: str, *item_states: str) -> dict:
    """An order whose history holds how it and its items reached their states."""
    items = [{"id": str(n), "action": "add", "state": s} for n, s in enumerate(item_states, 1)]
    reached = [{"state": i["state"], "changeDate": NOW, "productOrderItemId": i["id"]}
               for i in items]
    return {"id": "o1", "state": state, "productOrderItem": items,
            "stateChange": [{"state": state, "changeDate": NOW}, *reached]}


def history(doc: dict, item_id: str | None = None) -> list[str]:
    return [e["state"] for e in doc["stateChange"] if e.get("productOrderItemId") == item_id]


def test_a_legacy_update_walks_the_item_through_every_step_then_the_order_follows():
    doc = order("acknowledged", "acknowledged")
    moves = order_states.walk_item(doc, "1", "completed", now=NOW)
    assert [m.target for m in moves.moves] == ["inProgress", "completed"]
    assert doc["stateChange"][-1]["changeReason"] == "order system: completed"
    settled = order_states.settle(doc, "item 1: completed", now=NOW)
    assert settled.moves.targets("ProductOrder") == ["inProgress", "completed"]
    assert [s["state"] for s in settled.snapshots] == ["inProgress", "completed"]
    assert settled.moves.events == ["ProductOrderStateChangeEvent"] * 2
    assert doc["completionDate"] == NOW


def test_a_legacy_update_with_no_legal_path_is_refused_and_changes_nothing():
    doc = order("completed", "completed")
    before = copy.deepcopy(doc)
    with pytest.raises(IllegalTransition):
        order_states.walk_item(doc, "1", "inProgress", now=NOW)
    assert doc == before


def test_settling_on_a_pending_item_implies_the_information_required_event():
    doc = order("inProgress", "pending", "inProgress")
    settled = order_states.settle(doc, "information required", now=NOW)
    assert settled.moves.events == ["ProductOrderStateChangeEvent",
                                    "ProductOrderInformationRequiredEvent"]


def test_the_customer_accepting_a_delivery_completes_the_pending_items_and_the_order():
    doc = order("pending", "pending", "completed")
    order_states.client_move(doc, "pending", "completed", "acceptance", now=NOW)
    assert history(doc, "1")[-2:] == ["inProgress", "completed"]
    assert history(doc)[-2:] == ["inProgress", "completed"]
    assert doc["completionDate"] == NOW


def test_accepting_while_another_item_is_still_delivered_leaves_the_order_in_progress():
    doc = order("pending", "pending", "inProgress")
    order_states.client_move(doc, "pending", "completed", "acceptance", now=NOW)
    assert history(doc) == ["pending", "inProgress"]
    assert "completionDate" not in doc


@pytest.mark.parametrize(("awaiting", "reason"), [("information", "information supplied"),
                                                  ("acceptance", "delivery refused")])
def test_a_client_resumes_a_pending_order(awaiting, reason):
    doc = order("pending", "pending", "inProgress")
    order_states.client_move(doc, "pending", "inProgress", awaiting, now=NOW)
    assert doc["state"] == doc["productOrderItem"][0]["state"] == "inProgress"
    assert doc["stateChange"][-1]["changeReason"] == reason


@pytest.mark.parametrize(("current", "target"), [("pending", "held"), ("inProgress", "held"),
                                                 ("acknowledged", "completed"),
                                                 ("pending", "completed")])
def test_a_client_cannot_make_the_moves_that_are_the_process_s(current, target):
    doc = order(current, current)
    before = copy.deepcopy(doc)
    with pytest.raises(IllegalTransition):
        order_states.client_move(doc, current, target, "information", now=NOW)
    assert doc == before


def test_a_cancellation_assesses_then_cancels_the_order_and_its_open_items():
    doc = order("inProgress", "inProgress", "completed")
    cancel_states.assess(doc, "changed my mind", now=NOW)
    assert [i["state"] for i in doc["productOrderItem"]] == ["assessingCancellation",
                                                             "completed"]
    items = cancel_states.assessed_items(doc)
    for step, why in cancel_states.ACCEPTED_STEPS:
        cancel_states.accepted_step(doc, step, why, items, now=NOW)
    assert history(doc)[-3:] == ["assessingCancellation", "pendingCancellation", "cancelled"]
    assert doc["cancellationDate"] == NOW and doc["cancellationReason"] == "changed my mind"


def test_a_refused_cancellation_puts_order_and_items_back_where_they_were():
    doc = order("held", "held", "inProgress")
    cancel_states.assess(doc, "why", now=NOW)
    moves = cancel_states.refuse(doc, now=NOW)
    assert doc["state"] == "held"
    assert [i["state"] for i in doc["productOrderItem"]] == ["held", "inProgress"]
    assert moves.targets("ProductOrder") == ["held"]


def test_a_cancel_task_ends_with_its_reason_or_its_date():
    failed, done = {"state": "inProgress"}, {"state": "inProgress"}
    cancel_states.fail_task(failed, "refused", now=NOW)
    cancel_states.finish_task(done, now=NOW)
    assert failed["state"] == "terminatedWithError"
    assert failed["errorMessage"]["message"] == "refused"
    assert done == {"state": "done", "effectiveCancellationDate": NOW}
    with pytest.raises(IllegalTransition):
        cancel_states.finish_task(failed, now=NOW)
