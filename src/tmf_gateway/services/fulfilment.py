"""Track & Manage Customer Order Handling (eTOM 1.3.3.3): the order process's background work,
put together from one small class per job (submission, updates, jeopardy); cancellation is in
cancellation.py, stalled orders in reconcile.py, every state rule in domain/order_states.py."""

from __future__ import annotations

from ..ports import FeasibilityCheck, ItemUpdate, OrderFulfilment
from ..tmf.schema import ResourceSchema
from . import claims
from .context import Caller
from .dates import JeopardyCheck
from .order_changes import RETRIES, OrderChanges
from .order_completion import OrderCompletion
from .order_submission import OrderSubmission
from .order_updates import OrderUpdates
from .ordering import GATEWAY_ACTOR, OrderContext
from .resources import ResourceService

__all__ = ["RETRIES", "OrderProcessor"]


class OrderProcessor:
    """The order jobs of one gateway process, sharing one claim owner (so that two processes
    never submit the same order), with the entry points the runner, the callback receiver and
    the order desk call; the cancellation and reconciliation jobs are built from its parts."""

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
        self.claims = claims.for_store(self.store)
        self.owner = claims.process_owner()
        self.changes = OrderChanges(orders, ctx.options)
        self.completion = OrderCompletion(ctx, orders, self.caller)
        self.submission = OrderSubmission(ctx, self.changes, self.completion, schema, fulfilment,
                                          feasibility, self.caller, self.claims, self.owner)
        self.updates = OrderUpdates(ctx, self.changes, self.completion, fulfilment)
        self.jeopardy = JeopardyCheck(ctx, self.changes, schema, self.caller)

    # jobs and entry points
    def submit_pending(self) -> None:
        self.submission.submit_pending()

    def submit(self, order_id: str) -> None:
        self.submission.submit(order_id)

    def retry(self, order_id: str) -> None:
        self.submission.retry(order_id)

    def poll(self) -> None:
        self.updates.poll()

    def apply_update(self, update: ItemUpdate) -> None:
        self.updates.apply_update(update)

    def check_jeopardy(self) -> None:
        """Flag and escalate open orders whose completion date is near or past."""
        self.jeopardy.run()

    @property
    def deferred(self) -> list[ItemUpdate]:
        return self.updates.deferred
