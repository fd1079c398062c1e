"""The ProductOrder and ProductOrderItem state machines: every change of an order's or an item's
`state` is decided here, recorded in `stateChange`, and reported as Moves with their events."""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import IllegalTransition, NotFound
from .lifecycle import PRODUCT_ORDER, PRODUCT_ORDER_ITEM, Lifecycle
from .moves import Move, Moves

ORDER, ITEM = "ProductOrder", "ProductOrderItem"
STATE_EVENT = "ProductOrderStateChangeEvent"
# the event of entering a state, after its StateChange (the order process needs information)
ENTRY_EVENTS = {"pending": "ProductOrderInformationRequiredEvent"}
FINAL_ITEM_STATES = frozenset({"completed", "failed", "cancelled", "rejected"})


def derive_order_state(item_states: list[str], current: str) -> str:
    """The order state its items imply (LIFECYCLES.md); `current` when nothing is implied."""
    if not item_states:
        return current
    states = set(item_states)
    if states <= FINAL_ITEM_STATES:
        if states == {"completed"}:
            return "completed"
        if states == {"cancelled"}:
            return "cancelled"
        return "partial" if "completed" in states else "failed"
    for waiting in ("pending", "held"):
        if waiting in states:
            return waiting
    if states & {"inProgress", "completed", "failed"}:
        return "inProgress"
    return current


def path_to(lifecycle: Lifecycle, current: str, target: str) -> list[str] | None:
    """The shortest chain of allowed moves from `current` to `target` (excluding current)."""
    if current == target:
        return []
    queue: deque[tuple[str, list[str]]] = deque([(current, [])])
    seen = {current}
    while queue:
        state, path = queue.popleft()
        for nxt in lifecycle.allowed(state):
            if nxt == target:
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, [*path, nxt]))
    return None


def _item(doc: dict[str, Any], item_id: str) -> dict[str, Any]:
    for item in doc.get("productOrderItem", []):
        if item.get("id") == item_id:
            return item
    raise NotFound(f"order '{doc.get('id')}' has no item '{item_id}'")


def _record(doc: dict[str, Any], target: str, reason: str, now: str, item_id: str | None) -> None:
    entry: dict[str, Any] = {"state": target, "changeDate": now}
    if reason:
        entry["changeReason"] = reason
    if item_id:
        entry["productOrderItemId"] = item_id
    doc.setdefault("stateChange", []).append(entry)


def receive_order(doc: dict[str, Any], rejection: str = "", *, now: str) -> Moves:
    """A new order (the "(new order)" rows): acknowledged with its items, or, when `rejection`
    says why, rejected with them (stored, so the request can be found and told why)."""
    target = "rejected" if rejection else PRODUCT_ORDER.initial
    for item in doc.get("productOrderItem", []):
        item["state"] = target
    doc["state"] = target
    reason = rejection or "business consistency check passed"
    _record(doc, target, reason, now, None)
    return Moves().add(Move(ORDER, "new", target, reason))


def order_transition(
    doc: dict[str, Any], target: str, reason: str = "", *, item_id: str | None = None, now: str
) -> Moves:
    """Move the order (or, with `item_id`, that item) to `target` if its lifecycle allows it,
    IllegalTransition (409) otherwise; staying in the same state is no move. Appends the move
    to `stateChange`; an order entering completed gets its `completionDate`."""
    subject = _item(doc, item_id) if item_id else doc
    lifecycle = PRODUCT_ORDER_ITEM if item_id else PRODUCT_ORDER
    current = subject.get("state", lifecycle.initial)
    if current == target:
        return Moves()
    lifecycle.check(current, target)
    subject["state"] = target
    _record(doc, target, reason, now, item_id)
    if item_id:
        return Moves().add(Move(ITEM, current, target, reason, item_id))
    if target == "completed":
        doc["completionDate"] = now
    entry = (ENTRY_EVENTS[target],) if target in ENTRY_EVENTS else ()
    return Moves().add(Move(ORDER, current, target, reason), STATE_EVENT, *entry)


def move_items(
    doc: dict[str, Any], target: str, reason: str = "", *, now: str,
    states: Iterable[str] | None = None,
) -> Moves:
    """Move every item whose state is one of `states` (every item when None) to `target`."""
    wanted = None if states is None else set(states)
    moves = Moves()
    for item in doc.get("productOrderItem", []):
        if wanted is None or item.get("state") in wanted:
            moves.extend(order_transition(doc, target, reason, item_id=item["id"], now=now))
    return moves


def sources_of(target: str, lifecycle: Lifecycle = PRODUCT_ORDER_ITEM) -> frozenset[str]:
    """The states from which `lifecycle` allows a move to `target`."""
    return frozenset(s for s in lifecycle.states if lifecycle.can(s, target))


def walk_item(
    doc: dict[str, Any], item_id: str, target: str, reason: str = "", *, now: str
) -> Moves:
    """Move an item to `target` through the shortest chain of legal moves (a legacy system says
    where an item is now, not every step it took); IllegalTransition when there is none."""
    current = _item(doc, item_id).get("state", PRODUCT_ORDER_ITEM.initial)
    steps = path_to(PRODUCT_ORDER_ITEM, current, target)
    if steps is None:
        PRODUCT_ORDER_ITEM.check(current, target)
    moves = Moves()
    for step in steps or []:
        moves.extend(order_transition(doc, step, reason or f"order system: {step}",
                                      item_id=item_id, now=now))
    return moves


@dataclass
class Settled:
    """The order moved to the state its items imply: the moves, and the order as it was after
    each one (each is stored as its own version, so each move has its own event)."""

    moves: Moves
    snapshots: list[dict[str, Any]]


def settle(doc: dict[str, Any], reason: str, *, now: str) -> Settled:
    """Move the order through the legal chain to the state its items imply (no move when there
    is no such chain, e.g. from a final state)."""
    current = doc.get("state", PRODUCT_ORDER.initial)
    derived = derive_order_state([i.get("state", "") for i in doc.get("productOrderItem", [])],
                                 current)
    moves, snapshots = Moves(), []
    for step in path_to(PRODUCT_ORDER, current, derived) or []:
        moves.extend(order_transition(doc, step, reason, now=now))
        snapshots.append(copy.deepcopy(doc))
    return Settled(moves, snapshots)


def client_move(
    doc: dict[str, Any], current: str, target: str, awaiting: str | None, *, now: str
) -> Moves:
    """A client's PATCH of `state` answers a pending order: delivery accepted (completed),
    information supplied or delivery refused (inProgress), or the order given up (cancelled).
    Any other requested state is an IllegalTransition; `doc` is the patched order."""
    doc["state"] = current
    moves = Moves()
    if current == "pending" and awaiting == "acceptance" and target == "completed":
        for item in doc.get("productOrderItem", []):
            if item.get("state") == "pending":
                for step in ("inProgress", "completed"):
                    moves.extend(order_transition(doc, step, "delivery accepted",
                                                  item_id=item["id"], now=now))
        moves.extend(order_transition(doc, "inProgress",
                                      "customer confirmed satisfactory delivery", now=now))
        derived = derive_order_state([i.get("state", "") for i in doc["productOrderItem"]],
                                     "inProgress")
        return moves.extend(order_transition(doc, derived, "delivery accepted", now=now))
    PRODUCT_ORDER.check(current, target)
    if current == "pending" and target == "inProgress":
        reason = "delivery refused" if awaiting == "acceptance" else "information supplied"
    elif current == "pending" and target == "cancelled":
        reason = "information cannot be supplied"
    else:
        raise IllegalTransition("state", current, str(target),
                                ["inProgress", "cancelled"] if current == "pending" else [])
    moves.extend(move_items(doc, target, reason, now=now, states=("pending",)))
    return moves.extend(order_transition(doc, target, reason, now=now))


def carry_item_states(old: dict[str, Any], new: dict[str, Any]) -> None:
    """A client's PATCH of `productOrderItem` (allowed before work starts) cannot set item
    states: rewritten items keep theirs, added ones take the order's."""
    before = {i.get("id"): i.get("state") for i in old.get("productOrderItem", [])}
    state = old.get("state", PRODUCT_ORDER.initial)
    for item in new.get("productOrderItem", []):
        item["state"] = before.get(item.get("id")) or state
