"""Order dates: the completion date the order system commits to (`expectedCompletionDate`)
and the jeopardy check that watches it and `requestedCompletionDate`."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from ..domain import ordering as rules
from ..domain.resources import PRODUCT_ORDER
from ..events.envelope import build_event
from ..ports import Stored, UnitOfWork
from ..tmf.schema import ResourceSchema
from ..tmf.values import now_iso, parse_datetime
from .context import Caller
from .order_changes import OrderChanges
from .ordering import OrderContext, add_note, now

OPEN = "acknowledged,inProgress,pending,held"


def commit(doc: dict[str, Any], committed: str | None) -> None:
    """The legacy system's committed completion date becomes the order's
    `expectedCompletionDate` (which drives jeopardy); a moved commitment is noted."""
    if not committed or parse_datetime(committed) is None:
        return
    before = doc.get("expectedCompletionDate")
    if before and parse_datetime(before) == parse_datetime(committed):
        return
    doc["expectedCompletionDate"] = committed
    if before:
        add_note(doc, f"expected completion moved from {before} to {committed}")


class JeopardyCheck:
    """Job `order-jeopardy`: flags and escalates every open order whose completion date is near
    or past, page by page (options read at each run: margin, escalation policy, priority)."""

    def __init__(
        self, ctx: OrderContext, changes: OrderChanges, schema: ResourceSchema, caller: Caller
    ) -> None:
        self.ctx = ctx
        self.changes = changes
        self.orders = changes.orders
        self.schema = schema
        self.caller = caller

    def run(self) -> None:
        options = self.ctx.options
        margin = float(options.get("jeopardy_margin_seconds", 86400))
        policy = options.get("jeopardy_escalation", ["priority", "note", "event"])
        moment = now()
        for order_id in self.changes.find(self.orders, self.schema, state=OPEN):

            def change(uow: UnitOfWork, stored: Stored) -> None:
                kind = rules.in_jeopardy(stored.doc, moment, margin)
                if kind is None:
                    return
                doc = copy.deepcopy(stored.doc)
                message = f"completion date {'passed' if kind == 'passed' else 'is near'}"
                flagged = rules.flag_jeopardy(doc, kind, message, name="completionDate",
                                              now=now_iso(), alert_id=uuid.uuid4().hex)
                if not flagged:
                    return
                if "priority" in policy:
                    doc["priority"] = str(options.get("jeopardy_priority", "0"))
                if "note" in policy:
                    add_note(doc, f"jeopardy: {message}; escalated")
                updated = self.orders.update(uow, stored, doc, self.caller)
                if "event" in policy:
                    record_alert(uow, updated.doc, message)

            self.changes.change(order_id, change)


def record_alert(uow: UnitOfWork, doc: dict[str, Any], message: str) -> None:
    """The ProductOrderJeopardyAlertEvent of the alert just added to `doc`."""
    event = build_event(PRODUCT_ORDER, "JeopardyAlertEvent", doc,
                        field_path="productOrderJeopardyAlert", description=message)
    uow.record_event(event, PRODUCT_ORDER.kind, doc["id"])
