"""CancelProductOrder: a cancellation request moves its order to assessingCancellation."""

from __future__ import annotations

import copy
from typing import Any

from ..domain import lifecycle
from ..domain.ordering import CANCELLABLE
from ..domain.resources import PRODUCT_ORDER
from ..errors import Conflict, IllegalTransition
from ..ports import UnitOfWork
from .context import Caller
from .ordering import OrderContext, set_state
from .resources import ResourceRules


class CancelProductOrderRules(ResourceRules):
    """Accept a cancellation only for an order that may be cancelled; the worker carries it out."""

    def __init__(self, ctx: OrderContext) -> None:
        self.ctx = ctx

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        for name in ("state", "effectiveCancellationDate"):
            doc.pop(name, None)
        order_id = doc["productOrder"]["id"]
        stored = uow.get(PRODUCT_ORDER.kind, order_id)
        if stored is None:
            raise Conflict(f"'productOrder.id': product order '{order_id}' does not exist")
        state = stored.doc.get("state", "acknowledged")
        if state not in CANCELLABLE:
            raise IllegalTransition(
                "state", state, "assessingCancellation", lifecycle.PRODUCT_ORDER.allowed(state)
            )
        order = copy.deepcopy(stored.doc)
        reason = doc.get("cancellationReason") or "cancellation requested"
        for item in order.get("productOrderItem", []):
            if lifecycle.PRODUCT_ORDER_ITEM.can(item.get("state", ""), "assessingCancellation"):
                set_state(order, "assessingCancellation", reason, item["id"])
        set_state(order, "assessingCancellation", reason)
        order["cancellationReason"] = reason
        assert self.ctx.gateway is not None
        self.ctx.gateway.services[PRODUCT_ORDER.kind].update(uow, stored, order, caller)
        doc["productOrder"] = {**doc["productOrder"], "href": order["href"]}
        doc["state"] = "acknowledged"
