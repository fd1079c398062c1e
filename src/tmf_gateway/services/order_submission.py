"""Track & Manage Customer Order Handling (eTOM 1.3.3.3), the way in: completeness and
feasibility checks, then submission to the legacy order system, with retries spaced out."""

from __future__ import annotations

import copy
import logging
from datetime import datetime, timedelta
from typing import Any

from ..domain import order_states
from ..domain import ordering as rules
from ..domain.lifecycle import PRODUCT_ORDER_ITEM
from ..errors import GatewayError
from ..logthrottle import ThrottledLog, adapter_name
from ..ports import FeasibilityCheck, OrderFulfilment, Stored, UnitOfWork
from ..retry import Backoff
from ..tmf.schema import ResourceSchema
from ..tmf.values import now_iso, parse_datetime
from . import claims, dates
from .context import Caller
from .order_changes import OrderChanges
from .order_completion import OrderCompletion
from .ordering import AWAITING_DETAILS, OrderContext, add_note, now, without
from .products import ownership

log = logging.getLogger(__name__)


def thawed(status: dict[str, Any]) -> dict[str, Any]:
    """The fulfilment status without the `submitting` mark: the items may change again."""
    return without(status, "submitting")


class OrderSubmission:
    """Job `order-submit`: sends acknowledged (or resumed) orders to the legacy system; several
    processes may run it, the one that claims an order submits it."""

    def __init__(
        self,
        ctx: OrderContext,
        changes: OrderChanges,
        completion: OrderCompletion,
        schema: ResourceSchema,
        fulfilment: OrderFulfilment | None,
        feasibility: FeasibilityCheck | None,
        caller: Caller,
        work_claims: claims.Claims,
        owner: str,
    ) -> None:
        self.ctx = ctx
        self.changes = changes
        self.completion = completion
        self.orders = changes.orders
        self.schema = schema
        self.fulfilment = fulfilment
        self.feasibility = feasibility
        self.caller = caller
        self.claims = work_claims
        self.owner = owner
        self.failures = ThrottledLog(log)

    def submit_pending(self) -> None:
        """Send acknowledged (or resumed) orders to the legacy system; failures are retried."""
        if self.fulfilment is None:
            return
        claim_seconds = float(self.ctx.options.get("submit_claim_seconds", 120))
        for order_id in self.changes.find(
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
                self.record_error(order_id, exc)
            finally:
                self.claims.release(name, self.owner)

    def submit(self, order_id: str) -> None:
        """Submit one order (the caller holds its claim); the adapter gets the order id as its
        idempotency key, so a submission repeated after a crash is recognised southbound."""
        order = self._freeze_items(order_id)
        if order is None:
            return  # no longer to be submitted (e.g. another process did it, or cancelled)
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
                order_states.order_transition(doc, "inProgress", "accepted by the order system",
                                              now=now_iso())
            self.orders.update(uow, stored, doc, self.caller)

        self.changes.change(order_id, change)

    def retry(self, order_id: str) -> None:
        """Submit one waiting order now (an operator's retry); a failure is recorded and raised."""
        try:
            self.submit(order_id)
        except GatewayError as exc:
            self.record_error(order_id, exc)
            raise

    def _retry_delay(self, attempts: int) -> float:
        """Seconds before the next submission of an order that failed `attempts` times."""
        base = float(self.ctx.options.get("submit_retry_base_seconds", 1.0))
        cap = float(self.ctx.options.get("submit_retry_max_seconds", 15.0))
        return Backoff(base, cap).delay(attempts)

    def record_error(self, order_id: str, exc: Exception) -> None:
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

        self.changes.change(order_id, change)

    def _due(self, order_id: str) -> bool:
        """Whether an order may be submitted now: its requestedStartDate has come (work does
        not start before it) and, after a failure, its retry time."""
        doc = self.orders.get(order_id).doc
        start = parse_datetime(doc.get("requestedStartDate") or "")
        if start is not None and start > now():
            return False
        retry_at = (doc.get("fulfilment") or {}).get("retryAt")
        return not retry_at or datetime.fromisoformat(retry_at.replace("Z", "+00:00")) <= now()

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

        self.changes.change(order_id, change)
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
            moment = now_iso()
            order_states.move_items(doc, "rejected", reason, now=moment)
            order_states.order_transition(doc, "rejected", reason, now=moment)
            doc["fulfilment"] = thawed(without(doc.get("fulfilment") or {}, "awaiting"))
            self.orders.update(uow, stored, doc, self.caller)

        self.changes.change(order_id, change)

    def _require_information(self, order_id: str, missing: list[str]) -> None:
        """Items the process cannot fulfil as ordered: they and the order go pending, with a
        note naming what is missing and a ProductOrderInformationRequiredEvent."""
        why = "information required: " + "; ".join(missing)

        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            moment = now_iso()
            for index, item in enumerate(doc.get("productOrderItem", [])):
                where = f"productOrderItem[{index}]"
                concerned = any(m.startswith((f"{where} ", f"{where}.")) for m in missing)
                if concerned and PRODUCT_ORDER_ITEM.can(item.get("state", ""), "pending"):
                    order_states.order_transition(doc, "pending", why, item_id=item["id"],
                                                  now=moment)
            add_note(doc, why)
            doc["fulfilment"] = {
                **thawed(without(doc.get("fulfilment") or {}, "retryAt")),
                "awaiting": AWAITING_DETAILS,
            }
            self.completion.settle(uow, stored, doc, why)

        self.changes.change(order_id, change)

