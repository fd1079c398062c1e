"""Cancelling a product order: the CancelProductOrder task's state machine, and the moves the
cancellation makes its order and items take (assessingCancellation, then cancelled or back)."""

from __future__ import annotations

from typing import Any

from .lifecycle import CANCEL_PRODUCT_ORDER, PRODUCT_ORDER_ITEM
from .moves import Move, Moves
from .order_states import move_items, order_transition, sources_of

TASK = "CancelProductOrder"
TASK_EVENT = "CancelProductOrderStateChangeEvent"
SERVER_SET = ("state", "effectiveCancellationDate", "errorMessage")
# the order's moves once the order system accepted the cancellation, each stored on its own
ACCEPTED_STEPS = (("pendingCancellation", "cancellation accepted"),
                  ("cancelled", "cancellation carried out"))


def open_task(task: dict[str, Any]) -> Moves:
    """A new task: server-set fields dropped, acknowledged (its CreateEvent is the store's)."""
    for name in SERVER_SET:
        task.pop(name, None)
    task["state"] = CANCEL_PRODUCT_ORDER.initial
    return Moves().add(Move(TASK, "new", CANCEL_PRODUCT_ORDER.initial))


def task_transition(task: dict[str, Any], target: str, reason: str = "") -> Moves:
    """Move the task to `target` if its lifecycle allows it (IllegalTransition otherwise)."""
    current = task.get("state", CANCEL_PRODUCT_ORDER.initial)
    if current == target:
        return Moves()
    CANCEL_PRODUCT_ORDER.check(current, target)
    task["state"] = target
    return Moves().add(Move(TASK, current, target, reason), TASK_EVENT)


def fail_task(task: dict[str, Any], reason: str, *, now: str) -> Moves:
    """The task ends terminatedWithError, its errorMessage saying why."""
    moves = task_transition(task, "terminatedWithError", reason)
    task["errorMessage"] = {"code": "ERR409", "reason": "Cancellation not carried out",
                            "message": reason, "timestamp": now}
    return moves


def finish_task(task: dict[str, Any], *, now: str) -> Moves:
    moves = task_transition(task, "done", "cancellation carried out")
    task["effectiveCancellationDate"] = now
    return moves


def withdraw(order: dict[str, Any], *, now: str) -> Moves:
    """An acknowledged order (not submitted yet) takes the path LIFECYCLES.md gives to a
    cancellation: acknowledged -> inProgress (treatment starts, with the cancellation)."""
    why = "treatment starts: cancellation requested"
    moves = move_items(order, "inProgress", why, now=now, states=("acknowledged",))
    return moves.extend(order_transition(order, "inProgress", why, now=now))


def assess(order: dict[str, Any], reason: str, *, now: str) -> Moves:
    """The order and every item that can go there move to assessingCancellation."""
    moves = move_items(order, "assessingCancellation", reason, now=now,
                       states=sources_of("assessingCancellation", PRODUCT_ORDER_ITEM))
    moves.extend(order_transition(order, "assessingCancellation", reason, now=now))
    order["cancellationReason"] = reason
    return moves


def accepted_step(order: dict[str, Any], step: str, reason: str, items: list[str], *,
                  now: str) -> Moves:
    """One of ACCEPTED_STEPS for the assessed `items` and the order; cancelled sets the date."""
    moves = Moves()
    for item_id in items:
        moves.extend(order_transition(order, step, reason, item_id=item_id, now=now))
    moves.extend(order_transition(order, step, reason, now=now))
    if step == "cancelled":
        order["cancellationDate"] = now
    return moves


def assessed_items(order: dict[str, Any]) -> list[str]:
    return [i["id"] for i in order.get("productOrderItem", [])
            if i.get("state") == "assessingCancellation"]


def previous_state(doc: dict[str, Any], item_id: str = "") -> str | None:
    """The state held before the latest move to assessingCancellation (for a refusal)."""
    entries = [e for e in doc.get("stateChange", []) if e.get("productOrderItemId", "") == item_id]
    for index in range(len(entries) - 1, 0, -1):
        if entries[index]["state"] == "assessingCancellation":
            return entries[index - 1]["state"]
    return None


def refuse(order: dict[str, Any], *, now: str) -> Moves:
    """The order system refused: the assessed items and the order go back where they were."""
    why = "cancellation refused"
    moves = Moves()
    for item_id in assessed_items(order):
        moves.extend(order_transition(order, previous_state(order, item_id) or "inProgress",
                                      why, item_id=item_id, now=now))
    return moves.extend(order_transition(order, previous_state(order) or "inProgress", why,
                                         now=now))
