"""Orders in flight that stopped moving (a restart made the legacy system forget them, an update
got lost): found after a quiet spell, resubmitted idempotently, or flagged in jeopardy."""

from __future__ import annotations

import copy
import logging
import uuid
from datetime import datetime
from typing import Any

from ..domain.ordering import flag_jeopardy
from ..errors import GatewayError
from ..logthrottle import ThrottledLog, adapter_name
from ..ports import Stored, UnitOfWork
from ..tmf.values import now_iso
from .dates import record_alert
from .order_submission import OrderSubmission
from .ordering import add_note, now

log = logging.getLogger(__name__)
STALLED = "stalled"  # the jeopardyType of an order that stopped moving


def last_progress(doc: dict[str, Any]) -> datetime | None:
    """When the order last moved: its latest state change, or its latest reconciliation."""
    stamps = [entry.get("changeDate") for entry in doc.get("stateChange", [])]
    stamps.append((doc.get("fulfilment") or {}).get("reconciledAt"))
    moments = [datetime.fromisoformat(s.replace("Z", "+00:00")) for s in stamps if s]
    return max(moments, default=None)


class OrderReconciler:
    """One run looks at every submitted order in progress with no progress for
    `ordering.stall_seconds`. When the adapter does not know the order (`knows(order_id)` is
    False, or the adapter cannot say) it is submitted again, idempotently (the order id is the
    key), up to `ordering.stall_resubmits` times; after that, or when the legacy system has
    it but nothing moves, the order gets a `stalled` jeopardy alert (once)."""

    def __init__(self, submission: OrderSubmission) -> None:
        self.submission = submission  # whose claims it takes: a resubmission is a submission
        self.stalled = 0  # orders found stalled by the latest run (a gauge for metrics)
        self.resubmitted = 0  # resubmissions since start (a counter for metrics)
        self.failures = ThrottledLog(log)

    def run(self) -> int:
        """One round; returns how many orders were found stalled."""
        p = self.submission
        if p.fulfilment is None:
            return 0
        stall = float(p.ctx.options.get("stall_seconds", 600))
        moment = now()
        stalled = []
        for order_id in p.changes.find(p.orders, p.schema, state="inProgress",
                                **{"fulfilment.submitted": "true"}):
            doc = p.orders.get(order_id).doc
            moved = last_progress(doc)
            if moved is not None and (moment - moved).total_seconds() >= stall:
                stalled.append(doc)
        outcomes = [self._reconcile(doc, stall) for doc in stalled]
        self.stalled = len(stalled)
        if stalled:
            log.warning(
                "%d orders in progress without progress for %g s: %d resubmitted, %d in jeopardy",
                len(stalled), stall, outcomes.count("resubmitted"), outcomes.count("jeopardy"),
            )
        return len(stalled)

    def _reconcile(self, doc: dict[str, Any], stall: float) -> str:
        p = self.submission
        order_id = doc["id"]
        name = f"order-submit:{order_id}"  # the same claim as a submission: one at a time
        if not p.claims.take(name, p.owner, float(p.ctx.options.get("submit_claim_seconds", 120))):
            return "claimed"
        try:
            knows = getattr(p.fulfilment, "knows", None)
            known = knows(order_id) if knows is not None else None
            resubmissions = (doc.get("fulfilment") or {}).get("resubmissions", 0)
            if known is not True and resubmissions < int(p.ctx.options.get("stall_resubmits", 3)):
                assert p.fulfilment is not None
                p.fulfilment.submit(doc)
                self.resubmitted += 1
                p.changes.change(order_id, self._resubmitted(stall))
                return "resubmitted"
            p.changes.change(order_id, self._in_jeopardy(stall))
            return "jeopardy"
        except GatewayError as exc:
            self.failures.warning(adapter_name(p.fulfilment), type(exc).__name__,
                                  "stalled order %s not reconciled: %s", order_id, exc)
            return "failed"
        finally:
            p.claims.release(name, p.owner)

    def _resubmitted(self, stall: float) -> Any:
        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            status = doc.setdefault("fulfilment", {})
            status["resubmissions"] = status.get("resubmissions", 0) + 1
            status["reconciledAt"] = now_iso()
            add_note(doc, f"no progress for {stall:g} s: submitted again to the order system")
            self.submission.orders.update(uow, stored, doc, self.submission.caller)

        return change

    def _in_jeopardy(self, stall: float) -> Any:
        def change(uow: UnitOfWork, stored: Stored) -> None:
            doc = copy.deepcopy(stored.doc)
            message = f"no progress for {stall:g} s at the order system"
            if not flag_jeopardy(doc, STALLED, message, name="progress", now=now_iso(),
                                 alert_id=uuid.uuid4().hex):
                return
            add_note(doc, f"jeopardy: {message}")
            updated = self.submission.orders.update(uow, stored, doc, self.submission.caller)
            record_alert(uow, updated.doc, message)

        return change
