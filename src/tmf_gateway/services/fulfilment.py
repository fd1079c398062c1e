"""Track & Manage Customer Order Handling (eTOM 1.3.3.3): southbound submission, item updates,
cancellation and jeopardy, all through the same state machines as client changes."""

from __future__ import annotations

import copy
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ..domain import lifecycle
from ..domain import ordering as rules
from ..domain.resources import PRODUCT_ORDER
from ..errors import GatewayError, IllegalTransition, NotFound, PreconditionFailed
from ..events.envelope import build_event
from ..ports import FeasibilityCheck, ItemUpdate, OrderFulfilment, Stored, UnitOfWork
from ..tmf.query import Query, parse_query
from ..tmf.schema import ResourceSchema
from ..tmf.values import now_iso
from .context import Caller
from .feed import FeedCursor
from .ordering import (
    GATEWAY_ACTOR,
    OrderContext,
    add_note,
    complete_customers,
    information_required,
    now,
    set_state,
    without,
)
from .resources import ResourceService

log = logging.getLogger(__name__)
RETRIES = 5
FEED_CURSOR = "southbound.fulfilment"  # where the legacy status feed's poll position is kept


def previous_state(doc: dict[str, Any], item_id: str = "") -> str | None:
    """The state held before the latest move to assessingCancellation (for a refusal)."""
    entries = [e for e in doc.get("stateChange", []) if e.get("productOrderItemId", "") == item_id]
    for index in range(len(entries) - 1, 0, -1):
        if entries[index]["state"] == "assessingCancellation":
            return entries[index - 1]["state"]
    return None


class OrderProcessor:
    """Background work on orders; each step is one unit of work, retried on a version clash."""

    def __init__(
        self,
        ctx: OrderContext,
        orders: ResourceService,
        cancels: ResourceService,
        schema: ResourceSchema,
        cancel_schema: ResourceSchema,
        fulfilment: OrderFulfilment | None,
        feasibility: FeasibilityCheck | None,
        base_url: str = "http://127.0.0.1:8080",
    ) -> None:
        self.ctx = ctx
        self.orders = orders
        self.cancels = cancels
        self.schema = schema
        self.cancel_schema = cancel_schema
        self.fulfilment = fulfilment
        self.feasibility = feasibility
        self.caller = Caller(GATEWAY_ACTOR, base_url)
        self.store = orders.store
        self.feed = FeedCursor(self.store, FEED_CURSOR, fulfilment)

    # -- helpers -------------------------------------------------------------------------
    def _find(self, service: ResourceService, schema: ResourceSchema, **filters: str) -> list:
        query: Query = parse_query(list(filters.items()), schema, 1000, 1000)
        return [doc["id"] for doc in service.list(query).items]

    def _change(self, order_id: str, change: Callable[[UnitOfWork, Stored], None]) -> None:
        for _ in range(RETRIES):
            try:
                with self.store.unit_of_work(write=True) as uow:
                    stored = uow.get(PRODUCT_ORDER.kind, order_id)
                    if stored is None:
                        raise NotFound(f"ProductOrder '{order_id}' does not exist")
                    change(uow, stored)
                return
            except PreconditionFailed:
                continue

    def settle(self, uow: UnitOfWork, stored: Stored, doc: dict[str, Any], reason: str) -> Stored:
        """Store `doc` after moving the order to the state its items imply, one event per step."""
        current = doc.get("state", "acknowledged")
        derived = rules.derive_order_state(
            [i.get("state", "") for i in doc.get("productOrderItem", [])], current
        )
        steps = rules.path_to(lifecycle.PRODUCT_ORDER, current, derived) or []
        snapshots = []
        for step in steps:
            set_state(doc, step, reason)
            if step == "completed":
                doc["completionDate"] = now_iso()
            snapshots.append(copy.deepcopy(doc))
        for snapshot in snapshots or [doc]:
            stored = self.orders.update(uow, stored, snapshot, self.caller)
            if snapshot.get("state") == "pending" and "pending" in steps:
                uow.record_event(information_required(snapshot, reason), PRODUCT_ORDER.kind,
                                 snapshot["id"])
        if "completed" in steps:
            complete_customers(uow, self.ctx, stored.doc, self.caller)
        return stored

    def _retry_delay(self, attempts: int) -> float:
        """Seconds before the next submission of an order that failed `attempts` times."""
        base = float(self.ctx.options.get("submit_retry_base_seconds", 1.0))
        cap = float(self.ctx.options.get("submit_retry_max_seconds", 15.0))
        return min(cap, base * 2 ** max(attempts - 1, 0))

    def _record_error(self, order_id: str, exc: Exception) -> None:
        """Keep the error on the order and space the retries out: while a legacy system is down
        each retry is an update (an event to every listener), so they back off, and the same
        error again only refreshes the last entry's timestamp."""

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            status = doc.setdefault("fulfilment", {})
            status["attempts"] = status.get("attempts", 0) + 1
            retry_at = now() + timedelta(seconds=self._retry_delay(status["attempts"]))
            status["retryAt"] = retry_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            entry = {"code": getattr(exc, "code", "ERR"), "reason": type(exc).__name__,
                     "message": str(exc), "timestamp": now_iso()}
            errors = doc.setdefault("productOrderErrorMessage", [])
            last = errors[-1] if errors else {}
            if all(last.get(key) == entry[key] for key in ("code", "reason", "message")):
                last["timestamp"] = entry["timestamp"]
            else:
                errors.append(entry)
            self.orders.update(uow, stored, doc, self.caller)

        self._change(order_id, change)

    def _due(self, order_id: str) -> bool:
        """Whether an order waiting for the legacy system may be submitted again now."""
        retry_at = (self.orders.get(order_id).doc.get("fulfilment") or {}).get("retryAt")
        return not retry_at or datetime.fromisoformat(retry_at.replace("Z", "+00:00")) <= now()

    # -- submission ------------------------------------------------------------------------
    def submit_pending(self) -> None:
        """Send acknowledged (or resumed) orders to the legacy system; failures are retried."""
        if self.fulfilment is None:
            return
        for order_id in self._find(
            self.orders, self.schema, state="acknowledged,inProgress",
            **{"fulfilment.submitted": "false"},
        ):
            if not self._due(order_id):
                continue
            try:
                self.submit(order_id)
            except GatewayError as exc:
                log.warning("order %s not submitted: %s", order_id, exc)
                self._record_error(order_id, exc)

    def submit(self, order_id: str) -> None:
        order = self.orders.get(order_id).doc
        if order.get("state") not in ("acknowledged", "inProgress"):
            return
        status = order.get("fulfilment") or {}
        if status.get("awaiting") == "feasibility":
            infeasible = self._assess(order)
            if infeasible:
                self._reject(order_id, infeasible)
                return
        assert self.fulfilment is not None
        self.fulfilment.submit(order)

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            fulfilment = without(without(doc.get("fulfilment") or {}, "awaiting"), "retryAt")
            fulfilment["attempts"] = fulfilment.get("attempts", 0) + 1
            fulfilment["submitted"] = True
            if status.get("awaiting") == "feasibility":
                add_note(doc, "feasibility assessment passed")
            doc["fulfilment"] = fulfilment
            if doc.get("state") == "acknowledged":
                set_state(doc, "inProgress", "accepted by the order system")
            self.orders.update(uow, stored, doc, self.caller)

        self._change(order_id, change)

    def retry(self, order_id: str) -> None:
        """Submit one waiting order now (an operator's retry); a failure is recorded and raised."""
        try:
            self.submit(order_id)
        except GatewayError as exc:
            self._record_error(order_id, exc)
            raise

    def _assess(self, order: dict[str, Any]) -> str | None:
        if self.feasibility is None:
            return None
        wanted = set(rules.needs_feasibility(order, self.ctx.catalogue))
        for item in order.get("productOrderItem", []):
            if item.get("id") in wanted:
                reason = self.feasibility.assess(order, item)
                if reason:
                    return f"item '{item['id']}' is not feasible: {reason}"
        return None

    def _reject(self, order_id: str, reason: str) -> None:
        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            for item in doc.get("productOrderItem", []):
                set_state(doc, "rejected", reason, item["id"])
            set_state(doc, "rejected", reason)
            doc["fulfilment"] = without(doc.get("fulfilment") or {}, "awaiting")
            self.orders.update(uow, stored, doc, self.caller)

        self._change(order_id, change)

    # -- updates from the legacy system ---------------------------------------------------
    def poll(self) -> None:
        if self.fulfilment is None:
            return
        self.feed.resume()
        for update in self.fulfilment.poll_updates():
            try:
                self.apply_update(update)
            except GatewayError as exc:  # an illegal or unknown update changes nothing
                log.warning("southbound update %s ignored: %s", update, exc)
        self.feed.save()  # only now: a crash before this re-reads updates, which are no-ops

    def apply_update(self, update: ItemUpdate) -> None:
        """One item state change from the legacy system, through the item and order machines."""

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            item = next(
                (i for i in doc.get("productOrderItem", []) if i.get("id") == update.item_id),
                None,
            )
            if item is None:
                raise NotFound(f"order '{update.order_id}' has no item '{update.item_id}'")
            current, target, reason = item.get("state", "acknowledged"), update.state, update.reason
            offering = rules.offering_id(item)
            if target == "completed" and self.ctx.catalogue.rules(offering).needs_acceptance:
                target, reason = "pending", "delivered; awaiting customer acceptance"
                doc["fulfilment"] = {**(doc.get("fulfilment") or {}), "awaiting": "acceptance"}
            elif target == "pending":
                doc["fulfilment"] = {**(doc.get("fulfilment") or {}), "awaiting": "information"}
            if doc.get("state") in ("assessingCancellation", "pendingCancellation"):
                raise IllegalTransition("state", current, target, [])
            steps = rules.path_to(lifecycle.PRODUCT_ORDER_ITEM, current, target)
            if steps is None:
                lifecycle.PRODUCT_ORDER_ITEM.check(current, target)
            for step in steps or []:
                set_state(doc, step, reason or f"order system: {step}", update.item_id)
            self.settle(uow, stored, doc, reason or f"item {update.item_id}: {target}")

        self._change(update.order_id, change)

    # -- cancellation -----------------------------------------------------------------------
    def process_cancellations(self) -> None:
        if self.fulfilment is None:
            return
        for task_id in self._find(self.cancels, self.cancel_schema, state="acknowledged"):
            try:
                self.cancel(task_id)
            except GatewayError as exc:
                log.warning("cancellation %s not processed yet: %s", task_id, exc)

    def cancel(self, task_id: str) -> None:
        task = self.cancels.get(task_id).doc
        order_id = task["productOrder"]["id"]
        assert self.fulfilment is not None
        accepted = self.fulfilment.cancel(order_id)
        with self.store.unit_of_work(write=True) as uow:
            stored_task = self.cancels.require(uow, task_id)
            stored = self.orders.require(uow, order_id)
            doc = copy.deepcopy(stored.doc)
            new_task = copy.deepcopy(stored_task.doc)
            open_items = [
                i["id"] for i in doc.get("productOrderItem", [])
                if i.get("state") == "assessingCancellation"
            ]
            if accepted:
                for item_id in open_items:
                    set_state(doc, "pendingCancellation", "cancellation accepted", item_id)
                set_state(doc, "pendingCancellation", "cancellation accepted")
                stored = self.orders.update(uow, stored, doc, self.caller)
                doc = copy.deepcopy(doc)
                for item_id in open_items:
                    set_state(doc, "cancelled", "cancellation carried out", item_id)
                set_state(doc, "cancelled", "cancellation carried out")
                doc["cancellationDate"] = now_iso()
                self.orders.update(uow, stored, doc, self.caller)
                new_task["state"] = "inProgress"
                stored_task = self.cancels.update(uow, stored_task, new_task, self.caller)
                new_task = {**new_task, "state": "done", "effectiveCancellationDate": now_iso()}
            else:
                for item_id in open_items:
                    back = previous_state(doc, item_id) or "inProgress"
                    set_state(doc, back, "cancellation refused", item_id)
                set_state(doc, previous_state(doc) or "inProgress", "cancellation refused")
                add_note(doc, "cancellation refused by the order system")
                self.orders.update(uow, stored, doc, self.caller)
                new_task["state"] = "terminatedWithError"
            self.cancels.update(uow, stored_task, new_task, self.caller)

    # -- jeopardy -----------------------------------------------------------------------------
    def check_jeopardy(self) -> None:
        """Flag and escalate open orders whose completion date is near or past."""
        margin = float(self.ctx.options.get("jeopardy_margin_seconds", 86400))
        policy = self.ctx.options.get("jeopardy_escalation", ["priority", "note", "event"])
        moment = now()
        for order_id in self._find(
            self.orders, self.schema, state="acknowledged,inProgress,pending,held"
        ):

            def change(uow: UnitOfWork, stored: Stored) -> None:
                kind = rules.in_jeopardy(stored.doc, moment, margin)
                alerts = stored.doc.get("productOrderJeopardyAlert", [])
                if kind is None or any(a.get("jeopardyType") == kind for a in alerts):
                    return
                doc = copy.deepcopy(stored.doc)
                message = f"completion date {'passed' if kind == 'passed' else 'is near'}"
                doc.setdefault("productOrderJeopardyAlert", []).append(
                    {"id": uuid.uuid4().hex, "alertDate": now_iso(), "name": "completionDate",
                     "jeopardyType": kind, "message": message}
                )
                if "priority" in policy:
                    doc["priority"] = str(self.ctx.options.get("jeopardy_priority", "0"))
                if "note" in policy:
                    add_note(doc, f"jeopardy: {message}; escalated")
                updated = self.orders.update(uow, stored, doc, self.caller)
                if "event" in policy:
                    event = build_event(PRODUCT_ORDER, "JeopardyAlertEvent", updated.doc,
                                        field_path="productOrderJeopardyAlert", description=message)
                    uow.record_event(event, PRODUCT_ORDER.kind, updated.doc["id"])

            self._change(order_id, change)

