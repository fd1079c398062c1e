"""Order dates: the completion date the order system commits to (`expectedCompletionDate`)
and the jeopardy check that watches it and `requestedCompletionDate`."""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from ..domain import ordering as rules
from ..domain.resources import PRODUCT_ORDER
from ..events.envelope import build_event
from ..ports import Stored, UnitOfWork
from ..tmf.values import now_iso, parse_datetime
from .ordering import add_note, now

if TYPE_CHECKING:
    from .fulfilment import OrderProcessor


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


def check_jeopardy(p: OrderProcessor) -> None:
    """Flag and escalate open orders whose completion date is near or past (job
    `order-jeopardy`), every open order, page by page."""
    margin = float(p.ctx.options.get("jeopardy_margin_seconds", 86400))
    policy = p.ctx.options.get("jeopardy_escalation", ["priority", "note", "event"])
    moment = now()
    for order_id in p.find(
        p.orders, p.schema, state="acknowledged,inProgress,pending,held"
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
                doc["priority"] = str(p.ctx.options.get("jeopardy_priority", "0"))
            if "note" in policy:
                add_note(doc, f"jeopardy: {message}; escalated")
            updated = p.orders.update(uow, stored, doc, p.caller)
            if "event" in policy:
                event = build_event(PRODUCT_ORDER, "JeopardyAlertEvent", updated.doc,
                                    field_path="productOrderJeopardyAlert", description=message)
                uow.record_event(event, PRODUCT_ORDER.kind, updated.doc["id"])

        p._change(order_id, change)
