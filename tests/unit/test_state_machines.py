"""One table per resource: every (state, target) pair of every state machine, legal or not, run
through the domain function that decides it (domain/order_states.py, cancel_states.py,
ticket_states.py). The pairs come from the gateway's tables, cross-checked against the official
ones (tests/data/lifecycles.yaml)."""

from __future__ import annotations

import copy
import itertools

import pytest

from tests.lifecycles import official
from tmf_gateway.domain import cancel_states, order_states, ticket_states
from tmf_gateway.domain.lifecycle import (
    CANCEL_PRODUCT_ORDER,
    PRODUCT_ORDER,
    PRODUCT_ORDER_ITEM,
    TROUBLE_TICKET,
    Lifecycle,
)
from tmf_gateway.errors import IllegalTransition

NOW = "2026-03-01T10:00:00.000Z"
# the one move the gateway allows beyond the official tables (tests/unit/test_lifecycles.py)
DEVIATIONS = {("CancelProductOrder", "acknowledged", "terminatedWithError")}


def pairs(machine: Lifecycle, legal: bool) -> list[tuple[str, str]]:
    every = itertools.permutations(sorted(machine.states), 2)
    return [(s, t) for s, t in every if machine.can(s, t) == legal]


@pytest.mark.parametrize("machine",
                         [PRODUCT_ORDER, PRODUCT_ORDER_ITEM, CANCEL_PRODUCT_ORDER, TROUBLE_TICKET],
                         ids=lambda m: m.name)
def test_the_tables_are_the_official_ones(machine):
    table = official()[machine.name]
    legal = set(pairs(machine, legal=True))
    deviations = {(s, t) for name, s, t in DEVIATIONS if name == machine.name}
    assert legal == set(table.legal) | deviations
    assert set(pairs(machine, legal=False)) == set(table.illegal) - deviations


def order(state: str, item_state: str = "inProgress") -> dict:
    return {"id": "o1", "state": state, "stateChange": [{"state": state, "changeDate": NOW}],
            "productOrderItem": [{"id": "1", "action": "add", "state": item_state}]}


# -- ProductOrder ----------------------------------------------------------------------------
@pytest.mark.parametrize(("current", "target"), pairs(PRODUCT_ORDER, legal=True))
def test_order_legal_moves(current, target):
    doc = order(current)
    moves = order_states.order_transition(doc, target, "why", now=NOW)
    assert doc["state"] == target
    assert doc["stateChange"][-1] == {"state": target, "changeDate": NOW, "changeReason": "why"}
    assert [(m.source, m.target) for m in moves.moves] == [(current, target)]
    entry = ["ProductOrderInformationRequiredEvent"] if target == "pending" else []
    assert moves.events == ["ProductOrderStateChangeEvent", *entry]
    assert ("completionDate" in doc) == (target == "completed")


@pytest.mark.parametrize(("current", "target"), pairs(PRODUCT_ORDER, legal=False))
def test_order_illegal_moves_are_refused_and_change_nothing(current, target):
    doc = order(current)
    before = copy.deepcopy(doc)
    with pytest.raises(IllegalTransition) as refused:
        order_states.order_transition(doc, target, now=NOW)
    assert refused.value.status == 409
    assert refused.value.allowed == PRODUCT_ORDER.allowed(current)
    assert doc == before


# -- ProductOrderItem ------------------------------------------------------------------------
@pytest.mark.parametrize(("current", "target"), pairs(PRODUCT_ORDER_ITEM, legal=True))
def test_item_legal_moves(current, target):
    doc = order("inProgress", item_state=current)
    moves = order_states.order_transition(doc, target, "why", item_id="1", now=NOW)
    assert doc["productOrderItem"][0]["state"] == target
    assert doc["state"] == "inProgress"  # an item's move is not the order's
    assert doc["stateChange"][-1] == {"state": target, "changeDate": NOW, "changeReason": "why",
                                      "productOrderItemId": "1"}
    assert [(m.resource, m.item_id) for m in moves.moves] == [("ProductOrderItem", "1")]
    assert moves.events == []  # TMF622 v4 has no item event: the order's own moves announce


@pytest.mark.parametrize(("current", "target"), pairs(PRODUCT_ORDER_ITEM, legal=False))
def test_item_illegal_moves_are_refused_and_change_nothing(current, target):
    doc = order("inProgress", item_state=current)
    before = copy.deepcopy(doc)
    with pytest.raises(IllegalTransition) as refused:
        order_states.order_transition(doc, target, item_id="1", now=NOW)
    assert refused.value.allowed == PRODUCT_ORDER_ITEM.allowed(current)
    assert doc == before


# -- CancelProductOrder ----------------------------------------------------------------------
@pytest.mark.parametrize(("current", "target"), pairs(CANCEL_PRODUCT_ORDER, legal=True))
def test_cancel_task_legal_moves(current, target):
    task = {"id": "c1", "state": current, "productOrder": {"id": "o1"}}
    moves = cancel_states.task_transition(task, target)
    assert task["state"] == target
    assert moves.events == ["CancelProductOrderStateChangeEvent"]


@pytest.mark.parametrize(("current", "target"), pairs(CANCEL_PRODUCT_ORDER, legal=False))
def test_cancel_task_illegal_moves_are_refused_and_change_nothing(current, target):
    task = {"id": "c1", "state": current, "productOrder": {"id": "o1"}}
    with pytest.raises(IllegalTransition) as refused:
        cancel_states.task_transition(task, target)
    assert refused.value.allowed == CANCEL_PRODUCT_ORDER.allowed(current)
    assert task["state"] == current


# -- TroubleTicket ---------------------------------------------------------------------------
@pytest.mark.parametrize(("current", "target"), pairs(TROUBLE_TICKET, legal=True))
def test_ticket_legal_moves(current, target):
    old = {"id": "t1", "status": current, "statusChange": []}
    new = copy.deepcopy(old)
    moves = ticket_states.ticket_transition(old, new, target, NOW, "why")
    assert new["status"] == target and new["statusChange"][-1]["status"] == target
    entry = {"resolved": ["TroubleTicketResolvedEvent"],
             "pending": ["TroubleTicketInformationRequiredEvent"]}.get(target, [])
    assert moves.events == ["TroubleTicketStatusChangeEvent", *entry]


@pytest.mark.parametrize(("current", "target"), pairs(TROUBLE_TICKET, legal=False))
def test_ticket_illegal_moves_are_refused_and_change_nothing(current, target):
    old = {"id": "t1", "status": current, "statusChange": []}
    new = copy.deepcopy(old)
    with pytest.raises(IllegalTransition) as refused:
        ticket_states.ticket_transition(old, new, target, NOW)
    assert refused.value.allowed == TROUBLE_TICKET.allowed(current)
    assert new == old


# -- same state, creation ----------------------------------------------------------------------
@pytest.mark.parametrize("state", sorted(PRODUCT_ORDER.states))
def test_staying_in_a_state_is_no_move(state):
    doc = order(state)
    before = copy.deepcopy(doc)
    assert not order_states.order_transition(doc, state, now=NOW)
    assert doc == before


def test_a_new_order_is_acknowledged_or_rejected_with_its_items():
    accepted, rejected = order("x"), order("x")
    order_states.receive_order(accepted, now=NOW)
    order_states.receive_order(rejected, "date in the past", now=NOW)
    assert accepted["state"] == accepted["productOrderItem"][0]["state"] == "acknowledged"
    assert rejected["state"] == rejected["productOrderItem"][0]["state"] == "rejected"
    assert rejected["stateChange"][-1]["changeReason"] == "date in the past"
