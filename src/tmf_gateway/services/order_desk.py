"""What order-handling staff do to an order by hand (escalate, retry, cancel, note), through the
same services and rules as the TMF622 API, so a refusal carries the API's TMF reason."""

from __future__ import annotations

from typing import Any

from ..domain.resources import CANCEL_PRODUCT_ORDER, PRODUCT_ORDER
from ..errors import Conflict, InvalidResource
from ..tmf.patch import MERGE
from ..tmf.values import now_iso
from .context import Caller
from .fulfilment import OrderProcessor
from .resources import ResourceService

WAITING_STATES = ("acknowledged", "inProgress")


def _note(caller: Caller, text: str) -> dict[str, Any]:
    return {"author": caller.actor, "date": now_iso(), "text": text}


class OrderDesk:
    """Manual order actions; each is one change made through the order or cancel service."""

    def __init__(
        self,
        orders: ResourceService,
        cancels: ResourceService,
        processor: OrderProcessor | None,
        escalation_priority: str = "0",
    ) -> None:
        self.orders = orders
        self.cancels = cancels
        self.processor = processor
        self.escalation_priority = escalation_priority

    def _patch(self, order_id: str, change: dict[str, Any], caller: Caller) -> dict[str, Any]:
        stored = self.orders.get(order_id)
        # If-Match: a note list read here is not overwritten by a change made in between
        return self.orders.patch(order_id, change(stored.doc), MERGE, f'"{stored.version}"',
                                 caller).doc

    def add_note(self, order_id: str, text: str, caller: Caller) -> dict[str, Any]:
        text = text.strip()
        if not text:
            raise InvalidResource("a note needs some text")
        return self._patch(
            order_id, lambda doc: {"note": [*doc.get("note", []), _note(caller, text)]}, caller
        )

    def escalate(self, order_id: str, reason: str, caller: Caller) -> dict[str, Any]:
        """Raise the order's priority to the escalation priority and say why in a note."""
        why = reason.strip() or "escalated from the ops console"

        def change(doc: dict[str, Any]) -> dict[str, Any]:
            note = _note(caller, f"escalated by {caller.actor}: {why}")
            return {"priority": self.escalation_priority, "note": [*doc.get("note", []), note]}

        return self._patch(order_id, change, caller)

    def cancel(self, order_id: str, reason: str, caller: Caller) -> dict[str, Any]:
        """Create the CancelProductOrder task, exactly as a POST /cancelProductOrder would."""
        body = {
            "productOrder": {"id": order_id, "@referredType": PRODUCT_ORDER.type_name},
            "cancellationReason": reason.strip() or f"cancelled by {caller.actor}",
            "@type": CANCEL_PRODUCT_ORDER.type_name,
        }
        return self.cancels.create(body, caller).doc

    def retry(self, order_id: str, caller: Caller) -> None:
        """Send an order whose southbound submission failed again now, without waiting for its
        `fulfilment.retryAt`; a new failure is recorded on the order as usual and raised."""
        doc = self.orders.get(order_id).doc
        status = doc.get("fulfilment") or {}
        failed = doc.get("state") in WAITING_STATES and not status.get("submitted", True)
        if not failed or not doc.get("productOrderErrorMessage"):
            raise Conflict(
                f"order '{order_id}' has no failed southbound request to retry "
                f"(state {doc.get('state')}, submitted: {status.get('submitted', False)})"
            )
        if self.processor is None:
            raise Conflict("no order fulfilment adapter is configured")
        self.processor.retry(order_id)
