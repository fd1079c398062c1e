"""Track & Manage Customer Order Handling (eTOM 1.3.3.3): completeness, southbound submission,
item updates and jeopardy (cancellation: cancellation.py), through the client's state machines."""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ..domain import lifecycle
from ..domain import ordering as rules
from ..domain.resources import PRODUCT_ORDER
from ..errors import GatewayError, NotFound, PreconditionFailed, UpdateDeferred
from ..logthrottle import ThrottledLog, adapter_name
from ..ports import FeasibilityCheck, ItemUpdate, OrderFulfilment, Stored, UnitOfWork
from ..retry import Backoff
from ..tmf.query import Query, parse_query
from ..tmf.schema import ResourceSchema
from ..tmf.values import now_iso, parse_datetime
from . import claims, dates
from .context import Caller
from .feed import FeedCursor
from .ordering import (
    AWAITING_DETAILS,
    GATEWAY_ACTOR,
    OrderContext,
    add_note,
    complete_customers,
    information_required,
    now,
    set_state,
    without,
)
from .products import ownership, record_products
from .resources import ResourceService

log = logging.getLogger(__name__)
RETRIES = 5
FIND_PAGE = 500  # default `job_page_size`: ids read per query by the background jobs
FEED_CURSOR = "southbound.fulfilment"  # where the legacy status feed's poll position is kept


def thawed(status: dict[str, Any]) -> dict[str, Any]:
    """The fulfilment status without the `submitting` mark: the items may change again."""
    return without(status, "submitting")


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
        self.deferred: list[ItemUpdate] = []  # polled, not applicable yet: first in the next poll
        self.claims = claims.for_store(self.store)
        self.owner = claims.process_owner()
        self.failures = ThrottledLog(log)

    # -- helpers -------------------------------------------------------------------------
    def find(self, service: ResourceService, schema: ResourceSchema, **filters: str) -> list:
        """Ids of every matching resource, page by page (a job must not stop at one page);
        collected first so the changes the job makes cannot shift a later page."""
        size = max(1, int(self.ctx.options.get("job_page_size", FIND_PAGE)))
        ids: list[str] = []
        while True:
            params = [*filters.items(), ("sort", "id"), ("fields", "id"),
                      ("offset", str(len(ids))), ("limit", str(size))]
            query: Query = parse_query(params, schema, size, size)
            page = [doc["id"] for doc in service.list(query).items]
            ids.extend(page)
            if len(page) < size:
                return ids

    def _change(self, order_id: str, change: Callable[[UnitOfWork, Stored], None]) -> None:
        """Apply `change` in one unit of work, re-read and retried while another writer wins;
        UpdateDeferred when it lost every time (never a silent no-op)."""
        for attempt in range(RETRIES):
            try:
                with self.store.unit_of_work(write=True) as uow:
                    stored = uow.get(PRODUCT_ORDER.kind, order_id)
                    if stored is None:
                        raise NotFound(f"ProductOrder '{order_id}' does not exist")
                    change(uow, stored)
                return
            except PreconditionFailed:
                time.sleep(0.005 * 2**attempt)  # let the other writer finish
        raise UpdateDeferred(f"ProductOrder '{order_id}' changed under {RETRIES} attempts in a row")

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
        if steps and steps[-1] in ("completed", "partial"):
            # the customer's products (TMF637)
            record_products(uow, self.ctx.inventory, self.ctx.catalogue, stored.doc)
        if "completed" in steps:
            complete_customers(uow, self.ctx, stored.doc, self.caller)
        return stored

    def _retry_delay(self, attempts: int) -> float:
        """Seconds before the next submission of an order that failed `attempts` times."""
        base = float(self.ctx.options.get("submit_retry_base_seconds", 1.0))
        cap = float(self.ctx.options.get("submit_retry_max_seconds", 15.0))
        return Backoff(base, cap).delay(attempts)

    def _record_error(self, order_id: str, exc: Exception) -> None:
        """Keep the error on the order and space the retries out: while a legacy system is down
        each retry is an update (an event to every listener), so they back off, and the same
        error again only refreshes the last entry's timestamp."""

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            doc["fulfilment"] = status = thawed(doc.get("fulfilment") or {})
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
        """Whether an order may be submitted now: its requestedStartDate has come (work does
        not start before it) and, after a failure, its retry time."""
        doc = self.orders.get(order_id).doc
        start = parse_datetime(doc.get("requestedStartDate") or "")
        if start is not None and start > now():
            return False
        retry_at = (doc.get("fulfilment") or {}).get("retryAt")
        return not retry_at or datetime.fromisoformat(retry_at.replace("Z", "+00:00")) <= now()

    # -- submission ------------------------------------------------------------------------
    def submit_pending(self) -> None:
        """Send acknowledged (or resumed) orders to the legacy system; failures are retried."""
        if self.fulfilment is None:
            return
        claim_seconds = float(self.ctx.options.get("submit_claim_seconds", 120))
        for order_id in self.find(
            self.orders, self.schema, state="acknowledged,inProgress",
            **{"fulfilment.submitted": "false"},
        ):
            if not self._due(order_id):
                continue
            # several processes find the same order: the one that claims it submits it
            name = f"order-submit:{order_id}"
            if not self.claims.take(name, self.owner, claim_seconds):
                continue
            try:
                self.submit(order_id)
            except GatewayError as exc:
                self.failures.warning(adapter_name(self.fulfilment), type(exc).__name__,
                                      "order %s not submitted: %s", order_id, exc)
                self._record_error(order_id, exc)
            finally:
                self.claims.release(name, self.owner)

    def submit(self, order_id: str) -> None:
        """Submit one order (the caller holds its claim); the adapter gets the order id as its
        idempotency key, so a submission repeated after a crash is recognised southbound."""
        marked = self._freeze_items(order_id)
        if marked is None:
            return  # no longer to be submitted (e.g. another process did it, or cancelled)
        order = marked
        status = order.get("fulfilment") or {}
        if status.get("awaiting") == "feasibility":
            infeasible = self._assess(order)
            if infeasible:
                self._reject(order_id, infeasible)
                return
        owned = ownership(self.ctx.inventory, order)
        missing = rules.missing_information(order, self.ctx.catalogue, owned)
        if missing:
            self._require_information(order_id, missing)
            return
        assert self.fulfilment is not None
        committed = self.fulfilment.submit(order)

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            dates.commit(doc, committed)
            fulfilment = thawed(without(without(doc.get("fulfilment") or {}, "awaiting"),
                                        "retryAt"))
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

    def _freeze_items(self, order_id: str) -> dict[str, Any] | None:
        """Mark the order `fulfilment.submitting` before the order system sees it: from then on
        a client's change of its items is refused (409), so what the order system gets is what
        the order says, however long the order waited before (start date, outage). The order
        as marked; None when it is no longer to be submitted."""
        marked: dict[str, Any] = {}

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = stored.doc
            status = doc.get("fulfilment") or {}
            if doc.get("state") not in ("acknowledged", "inProgress") or status.get("submitted"):
                return
            if status.get("submitting"):
                marked["doc"] = doc
                return
            new = copy.deepcopy(doc)
            new["fulfilment"] = {**status, "submitting": True}
            marked["doc"] = self.orders.update(uow, stored, new, self.caller).doc

        self._change(order_id, change)
        return marked.get("doc")

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
            doc["fulfilment"] = thawed(without(doc.get("fulfilment") or {}, "awaiting"))
            self.orders.update(uow, stored, doc, self.caller)

        self._change(order_id, change)

    def _require_information(self, order_id: str, missing: list[str]) -> None:
        """Items the process cannot fulfil as ordered: they and the order go pending, with a
        note naming what is missing and a ProductOrderInformationRequiredEvent."""
        why = "information required: " + "; ".join(missing)

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            for index, item in enumerate(doc.get("productOrderItem", [])):
                where = f"productOrderItem[{index}]"
                concerned = any(m.startswith((f"{where} ", f"{where}.")) for m in missing)
                if concerned and lifecycle.PRODUCT_ORDER_ITEM.can(item.get("state", ""), "pending"):
                    set_state(doc, "pending", why, item["id"])
            add_note(doc, why)
            doc["fulfilment"] = {
                **thawed(without(doc.get("fulfilment") or {}, "retryAt")),
                "awaiting": AWAITING_DETAILS,
            }
            self.settle(uow, stored, doc, why)

        self._change(order_id, change)

    # -- updates from the legacy system ---------------------------------------------------
    def poll(self) -> None:
        if self.fulfilment is None:
            return
        self.feed.resume()
        updates, self.deferred = [*self.deferred, *self.fulfilment.poll_updates()], []
        for update in updates:
            if any(d.order_id == update.order_id for d in self.deferred):
                self.deferred.append(update)  # behind a deferred one of its order: keep order
                continue
            try:
                self.apply_update(update)
            except UpdateDeferred as exc:
                log.info("southbound update %s deferred: %s", update, exc)
                self.deferred.append(update)
            except GatewayError as exc:  # an illegal or unknown update changes nothing
                log.warning("southbound update %s ignored: %s", update, exc)
        if not self.deferred:  # a crash before this re-reads updates, which are no-ops
            self.feed.save()

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
            dates.commit(doc, update.expected_completion)
            offering = rules.offering_id(item)
            if target == "completed" and self.ctx.catalogue.rules(offering).needs_acceptance:
                target, reason = "pending", "delivered; awaiting customer acceptance"
                doc["fulfilment"] = {**(doc.get("fulfilment") or {}), "awaiting": "acceptance"}
            elif target == "pending":
                doc["fulfilment"] = {**(doc.get("fulfilment") or {}), "awaiting": "information"}
            if doc.get("state") in ("assessingCancellation", "pendingCancellation"):
                raise UpdateDeferred(f"order '{update.order_id}': cancellation being decided")
            steps = rules.path_to(lifecycle.PRODUCT_ORDER_ITEM, current, target)
            if steps is None:
                lifecycle.PRODUCT_ORDER_ITEM.check(current, target)
            for step in steps or []:
                set_state(doc, step, reason or f"order system: {step}", update.item_id)
            self.settle(uow, stored, doc, reason or f"item {update.item_id}: {target}")

        self._change(update.order_id, change)

    # -- jeopardy -----------------------------------------------------------------------------
    def check_jeopardy(self) -> None:
        """Flag and escalate open orders whose completion date is near or past."""
        dates.check_jeopardy(self)
