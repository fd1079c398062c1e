"""CancelProductOrder: a request for any open order is accepted as a task, whose own lifecycle
(acknowledged, inProgress, then done or terminatedWithError) carries the outcome."""

from __future__ import annotations

import copy
import logging
from typing import Any

from ..domain import cancel_states
from ..domain.ordering import CANCELLABLE, NOT_FINAL
from ..domain.resources import CANCEL_PRODUCT_ORDER, PRODUCT_ORDER
from ..errors import Conflict, GatewayError, NotFound
from ..events.envelope import build_event
from ..ports import OrderFulfilment, Stored, UnitOfWork
from ..tmf.schema import ResourceSchema
from ..tmf.values import now_iso
from . import claims
from .context import Caller
from .order_changes import OrderChanges
from .ordering import OrderContext, add_note
from .resources import ResourceRules, ResourceService

log = logging.getLogger(__name__)
OPEN_TASK = "acknowledged,inProgress"
ASSESSING = ("assessingCancellation", "pendingCancellation")
CLAIM_SECONDS = 60  # an order's submission claim, held while a task moves its order
ACCEPTANCE_FIRST = (
    "the order's delivery awaits the customer's acceptance: accept it (PATCH the order with "
    '{"state": "completed"}) or refuse it ({"state": "inProgress"}); after a refusal the '
    "cancellation goes on")


class CancelProductOrderRules(ResourceRules):
    """Accept a cancellation for any existing order that is not final yet; the job decides."""

    def __init__(self, ctx: OrderContext) -> None:
        self.ctx = ctx

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        cancel_states.open_task(doc)
        order_id = doc["productOrder"]["id"]
        stored = uow.get(PRODUCT_ORDER.kind, order_id)
        if stored is None:
            raise NotFound(f"'productOrder.id': product order '{order_id}' does not exist")
        state = stored.doc.get("state", "acknowledged")
        if state not in NOT_FINAL:
            raise Conflict(f"product order '{order_id}' is {state} (final): nothing to cancel")
        doc["productOrder"] = {**doc["productOrder"], "href": stored.doc["href"]}

    def after_create(self, doc: dict[str, Any], uow: UnitOfWork) -> None:
        """A delivery awaiting the customer's acceptance cannot be cancelled until the customer
        answers: the task waits, and a CancelProductOrderInformationRequiredEvent says why."""
        order = uow.get(PRODUCT_ORDER.kind, doc["productOrder"]["id"])
        if order is not None and awaits_acceptance(order.doc):
            event = build_event(CANCEL_PRODUCT_ORDER, "InformationRequiredEvent", doc,
                                field_path="state", description=ACCEPTANCE_FIRST)
            uow.record_event(event, CANCEL_PRODUCT_ORDER.kind, doc["id"])


def awaits_acceptance(order: dict[str, Any]) -> bool:
    return order.get("state") == "pending" and (order.get("fulfilment") or {}).get(
        "awaiting") == "acceptance"


class Cancellations:
    """Job `order-cancel`: takes each open task one lifecycle step further, waiting while its
    order is being submitted or another cancellation of it is under way."""

    def __init__(
        self,
        changes: OrderChanges,
        tasks: ResourceService,
        task_schema: ResourceSchema,
        fulfilment: OrderFulfilment | None,
        work_claims: claims.Claims,
        caller: Caller,
    ) -> None:
        self.changes = changes
        self.store = changes.store
        self.orders = changes.orders
        self.tasks = tasks
        self.task_schema = task_schema
        self.fulfilment = fulfilment
        self.claims = work_claims
        self.caller = caller
        self.owner = claims.process_owner()  # not the submit job's: the two exclude each other

    def run(self) -> None:
        if self.fulfilment is None:
            return
        for task_id in self.changes.find(self.tasks, self.task_schema, state=OPEN_TASK):
            try:
                self.advance(task_id)
            except GatewayError as exc:  # e.g. the legacy system is down: the task waits
                log.warning("cancellation %s not processed yet: %s", task_id, exc)

    def advance(self, task_id: str) -> None:
        # an acknowledged order is withdrawn only while no process is submitting it
        order_id = self.tasks.get(task_id).doc["productOrder"]["id"]
        name = f"order-submit:{order_id}"
        if not self.claims.take(name, self.owner, CLAIM_SECONDS):
            return  # being submitted right now: the next run finds it inProgress
        try:
            started = self.start(task_id)
        finally:
            self.claims.release(name, self.owner)
        if started:
            self.carry_out(task_id)

    def start(self, task_id: str) -> bool:
        """Task acknowledged -> inProgress with its order -> assessingCancellation, or ended
        when the order finished first; True when the legacy system is to be asked now."""
        with self.store.unit_of_work(write=True) as uow:
            stored_task = self.tasks.require(uow, task_id)
            task = stored_task.doc
            order = self.orders.require(uow, task["productOrder"]["id"])
            state = order.doc.get("state", "acknowledged")
            if task.get("state") == "inProgress":
                if state in ASSESSING:
                    return True
                self._fail(uow, stored_task,
                           f"the order moved to {state} while its cancellation was assessed")
                return False
            if state not in NOT_FINAL:
                self._fail(uow, stored_task,
                           f"the order was {state} before its cancellation could be assessed")
                return False
            if state == "acknowledged":
                order = self._withdraw(uow, order)
            elif state not in CANCELLABLE or awaits_acceptance(order.doc):
                return False  # another cancellation is being assessed, or acceptance: wait
            self._assess(uow, order, task.get("cancellationReason") or "cancellation requested")
            started = copy.deepcopy(task)
            cancel_states.task_transition(started, "inProgress", "cancellation being assessed")
            self.tasks.update(uow, stored_task, started, self.caller)
            return True

    def _fail(self, uow: UnitOfWork, stored_task: Stored, reason: str) -> None:
        task = copy.deepcopy(stored_task.doc)
        cancel_states.fail_task(task, reason, now=now_iso())
        self.tasks.update(uow, stored_task, task, self.caller)

    def _withdraw(self, uow: UnitOfWork, stored: Stored) -> Stored:
        """An acknowledged order (not submitted yet, e.g. the legacy system is down) takes the
        path LIFECYCLES.md gives to a cancellation: acknowledged -> inProgress (treatment
        starts, with the cancellation) -> assessingCancellation; the submit job no longer picks
        it up. The caller holds the order's submission claim."""
        doc = copy.deepcopy(stored.doc)
        cancel_states.withdraw(doc, now=now_iso())
        return self.orders.update(uow, stored, doc, self.caller)

    def _assess(self, uow: UnitOfWork, stored: Stored, reason: str) -> None:
        order = copy.deepcopy(stored.doc)
        cancel_states.assess(order, reason, now=now_iso())
        self.orders.update(uow, stored, order, self.caller)

    def carry_out(self, task_id: str) -> None:
        """Ask the legacy system; accepted: order pendingCancellation -> cancelled, task done;
        refused: order back where it was, task terminatedWithError with the reason."""
        order_id = self.tasks.get(task_id).doc["productOrder"]["id"]
        assert self.fulfilment is not None
        status = self.orders.get(order_id).doc.get("fulfilment") or {}
        # `submitting` left over from a crash mid-submission: the order system may have it
        submitted = status.get("submitted") or status.get("submitting")
        # an order the legacy system never received (pending for missing details) is ours alone
        accepted = self.fulfilment.cancel(order_id) if submitted else True
        with self.store.unit_of_work(write=True) as uow:
            stored_task = self.tasks.require(uow, task_id)
            stored = self.orders.require(uow, order_id)
            doc = copy.deepcopy(stored.doc)
            if accepted:
                items = cancel_states.assessed_items(doc)
                for step, why in cancel_states.ACCEPTED_STEPS:
                    cancel_states.accepted_step(doc, step, why, items, now=now_iso())
                    stored = self.orders.update(uow, stored, doc, self.caller)
                    doc = copy.deepcopy(doc)
                done = copy.deepcopy(stored_task.doc)
                cancel_states.finish_task(done, now=now_iso())
                self.tasks.update(uow, stored_task, done, self.caller)
                return
            cancel_states.refuse(doc, now=now_iso())
            add_note(doc, "cancellation refused by the order system")
            self.orders.update(uow, stored, doc, self.caller)
            self._fail(uow, stored_task, "the order system refused the cancellation")
