"""Updates from the legacy order system (polled, or received as callbacks): each item state it
reports goes through the item and order state machines, exactly as a client's change would."""

from __future__ import annotations

import copy
import logging

from ..domain import order_states
from ..domain import ordering as rules
from ..errors import GatewayError, NotFound, UpdateDeferred
from ..ports import ItemUpdate, OrderFulfilment, Stored, UnitOfWork
from ..tmf.values import now_iso
from . import dates
from .feed import FeedCursor
from .order_changes import OrderChanges
from .order_completion import OrderCompletion
from .ordering import OrderContext

log = logging.getLogger(__name__)
FEED_CURSOR = "southbound.fulfilment"  # where the legacy status feed's poll position is kept
CANCELLATION_DECIDED = ("assessingCancellation", "pendingCancellation")


class OrderUpdates:
    """Job `order-poll` and the callback receiver's `apply`: item updates, in order per order;
    an update that cannot apply yet is kept and tried first in the next poll."""

    def __init__(
        self,
        ctx: OrderContext,
        changes: OrderChanges,
        completion: OrderCompletion,
        fulfilment: OrderFulfilment | None,
    ) -> None:
        self.ctx = ctx
        self.changes = changes
        self.completion = completion
        self.fulfilment = fulfilment
        self.feed = FeedCursor(changes.store, FEED_CURSOR, fulfilment)
        self.deferred: list[ItemUpdate] = []  # polled, not applicable yet: first in the next poll

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
            target, reason = update.state, update.reason
            dates.commit(doc, update.expected_completion)
            offering = rules.offering_id(item)
            if target == "completed" and self.ctx.catalogue.rules(offering).needs_acceptance:
                target, reason = "pending", "delivered; awaiting customer acceptance"
                doc["fulfilment"] = {**(doc.get("fulfilment") or {}), "awaiting": "acceptance"}
            elif target == "pending":
                doc["fulfilment"] = {**(doc.get("fulfilment") or {}), "awaiting": "information"}
            if doc.get("state") in CANCELLATION_DECIDED:
                raise UpdateDeferred(f"order '{update.order_id}': cancellation being decided")
            order_states.walk_item(doc, update.item_id, target, reason, now=now_iso())
            self.completion.settle(uow, stored, doc, reason or f"item {update.item_id}: {target}")

        self.changes.change(update.order_id, change)
