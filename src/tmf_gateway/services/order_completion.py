"""Storing an order after its items moved: the order follows its items through its state machine
(one stored version and event per move) and, once completed, the customer's products and
customer record are brought up to date."""

from __future__ import annotations

from typing import Any

from ..domain import order_states
from ..domain.resources import PRODUCT_ORDER
from ..ports import Stored, UnitOfWork
from ..tmf.values import now_iso
from .context import Caller
from .ordering import OrderContext, complete_customers, information_required
from .products import record_products
from .resources import ResourceService


class OrderCompletion:
    """Settles orders whose items moved (Close Customer Order when they are done)."""

    def __init__(self, ctx: OrderContext, orders: ResourceService, caller: Caller) -> None:
        self.ctx = ctx
        self.orders = orders
        self.caller = caller

    def settle(self, uow: UnitOfWork, stored: Stored, doc: dict[str, Any], reason: str) -> Stored:
        """Store `doc` after moving the order to the state its items imply, one event per step."""
        settled = order_states.settle(doc, reason, now=now_iso())
        steps = settled.moves.targets(order_states.ORDER)
        for snapshot in settled.snapshots or [doc]:
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
