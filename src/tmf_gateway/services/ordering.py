"""Issue Customer Orders (eTOM 1.3.3.5): product order checks, client changes, completion."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..domain import notes, order_states
from ..domain import ordering as rules
from ..domain.resources import CUSTOMER, PRODUCT_ORDER
from ..errors import Conflict, InvalidResource
from ..events.envelope import build_event
from ..ports import ProductInventory, UnitOfWork
from ..tmf.values import now_iso
from .context import Caller
from .resources import ResourceRules, ResourceService

GATEWAY_ACTOR = "tmf-gateway/ordering"
# Set by the server on create; a client value is ignored (docs/ordering.md).
SERVER_SET_ON_CREATE = (
    "state", "orderDate", "completionDate", "cancellationDate", "expectedCompletionDate",
    "stateChange", "productOrderJeopardyAlert", "productOrderErrorMessage", "fulfilment",
)
# Declared in ProductOrder_Update but only the gateway changes them: a PATCH gets a 409.
GATEWAY_MANAGED = ("completionDate", "cancellationDate", "cancellationReason")
# fulfilment.awaiting of an order the process found incomplete: the client may change its items
AWAITING_DETAILS = "orderDetails"


@dataclass
class OrderContext:
    """What the ordering services share: catalogue, options, the customers' products and the
    customer service (bootstrap() builds it; unit tests leave the last two out)."""

    catalogue: rules.Catalogue
    options: dict[str, Any] = field(default_factory=dict)
    inventory: ProductInventory | None = None
    customers: ResourceService | None = None

    @property
    def active_status(self) -> str:
        return str(self.options.get("customer_active_status", "Approved"))


def now() -> datetime:
    return datetime.now(UTC)


def without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def add_note(doc: dict[str, Any], text: str) -> None:
    doc.setdefault("note", []).append({"author": GATEWAY_ACTOR, "date": now_iso(), "text": text})


def information_required(doc: dict[str, Any], why: str) -> dict[str, Any]:
    """The ProductOrderInformationRequiredEvent expected when an order enters pending."""
    return build_event(
        PRODUCT_ORDER, "InformationRequiredEvent", doc, field_path="state", description=why
    )


def complete_customers(
    uow: UnitOfWork, ctx: OrderContext, order: dict[str, Any], caller: Caller
) -> None:
    """Complete Customer Order: the order's customers get its account and agreement references
    and become active, in the caller's unit of work (audited, with events)."""
    assert ctx.customers is not None
    service = ctx.customers
    for party in order.get("relatedParty") or []:
        if party.get("@referredType") != "Customer":
            continue
        stored = uow.get(CUSTOMER.kind, party.get("id", ""))
        if stored is None:
            continue
        new = copy.deepcopy(stored.doc)
        account = order.get("billingAccount")
        if isinstance(account, dict) and account.get("id"):
            accounts = new.setdefault("account", [])
            if all(a.get("id") != account["id"] for a in accounts):
                ref = {k: account[k] for k in ("id", "href") if k in account}
                accounts.append(
                    {**ref, "name": account.get("name") or account["id"],
                     "@referredType": "BillingAccount"}
                )
        agreements = new.setdefault("agreement", [])
        for agreement in order.get("agreement") or []:
            if all(a.get("id") != agreement.get("id") for a in agreements):
                agreements.append(
                    {k: agreement[k] for k in ("id", "href", "name") if k in agreement}
                )
        if not new["agreement"]:
            del new["agreement"]
        if new.get("status") == "Created":
            new["status"] = ctx.active_status
            new["statusReason"] = f"product order {order['id']} completed"
        if new != stored.doc:
            service.update(uow, stored, new, Caller(GATEWAY_ACTOR, caller.base_url))


def _customer_exists(uow: UnitOfWork):
    return lambda customer_id: uow.get(CUSTOMER.kind, customer_id) is not None


class ProductOrderRules(ResourceRules):
    """Checks a new order, records it acknowledged (or rejected), and guards client changes."""

    def __init__(self, ctx: OrderContext) -> None:
        self.ctx = ctx

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        for name in SERVER_SET_ON_CREATE:
            doc.pop(name, None)
        problems = rules.item_problems(doc, _customer_exists(uow))
        if problems:
            raise InvalidResource("; ".join(problems))
        doc["orderDate"] = now_iso()
        rejected = rules.date_problems(doc, now()) + self.ctx.catalogue.problems(doc)
        order_states.receive_order(doc, "; ".join(rejected), now=now_iso())
        if rejected:
            return
        fulfilment: dict[str, Any] = {"submitted": False, "attempts": 0}
        special = rules.needs_feasibility(doc, self.ctx.catalogue)
        if special:
            fulfilment["specialHandling"] = True
            fulfilment["awaiting"] = "feasibility"
            add_note(
                doc,
                "special handling: feasibility assessment required for item(s) "
                + ", ".join(special),
            )
        doc["fulfilment"] = fulfilment

    def on_patch(
        self, old: dict[str, Any], new: dict[str, Any], uow: UnitOfWork, caller: Caller
    ) -> None:
        state = old.get("state", "acknowledged")
        notes.append_only(old, new)
        for name in GATEWAY_MANAGED:
            if new.get(name) != old.get(name):
                raise Conflict(f"'{name}' is set by the gateway (use cancelProductOrder to cancel)")
        awaiting = (old.get("fulfilment") or {}).get("awaiting")
        allowed = rules.patchable(state, awaiting == AWAITING_DETAILS)
        for name in sorted(set(old) | set(new)):
            if name in ("state", *GATEWAY_MANAGED, *PRODUCT_ORDER.server_owned):
                continue
            if old.get(name) != new.get(name) and name not in allowed:
                raise Conflict(
                    f"'{name}' cannot be changed while the order is {state}; patchable now: "
                    + (", ".join(sorted(allowed)) or "nothing (final state)")
                )
        if "productOrderItem" in new and new.get("productOrderItem") != old.get(
            "productOrderItem"
        ):
            if (old.get("fulfilment") or {}).get("submitting"):
                raise Conflict("'productOrderItem' cannot change: the items are being submitted "
                               "to the order system (cancel the order with cancelProductOrder "
                               "instead)")
            problems = rules.item_problems(new, _customer_exists(uow))
            problems += self.ctx.catalogue.problems(new)
            if problems:
                raise InvalidResource("; ".join(problems))
            order_states.carry_item_states(old, new)
        if new.get("relatedParty") != old.get("relatedParty"):
            problems = rules.item_problems(new, _customer_exists(uow))
            if problems:
                raise InvalidResource("; ".join(problems))
        if any(new.get(d) != old.get(d) for d in ("requestedStartDate", "requestedCompletionDate")):
            problems = rules.date_problems(new, now())
            if problems:
                raise Conflict("; ".join(problems))
        if new.get("state") != state:
            self._client_state_change(old, new, uow, caller)

    def _client_state_change(
        self, old: dict[str, Any], new: dict[str, Any], uow: UnitOfWork, caller: Caller
    ) -> None:
        """Clients answer a pending order: information supplied, delivery accepted or refused."""
        current, target = old.get("state", "acknowledged"), str(new.get("state"))
        awaiting = (old.get("fulfilment") or {}).get("awaiting")
        order_states.client_move(new, current, target, awaiting, now=now_iso())
        status = without(new.get("fulfilment", {}), "awaiting")
        if target == "inProgress":
            status["submitted"] = False  # resumed: the order system gets it again
        if target != "cancelled":
            new["fulfilment"] = status
        reached = new["state"]
        if target == "completed" and reached in ("completed", "partial"):
            from .products import record_products

            record_products(uow, self.ctx.inventory, self.ctx.catalogue, new)
        if target == "completed" and reached == "completed":
            complete_customers(uow, self.ctx, new, caller)

    def on_delete(self, doc: dict[str, Any], uow: UnitOfWork) -> None:
        if doc.get("state") not in ("rejected", "cancelled", "completed", "failed", "partial"):
            raise Conflict(
                f"an order that is {doc.get('state')} cannot be deleted: withdraw it with "
                f'POST cancelProductOrder {{"productOrder": {{"id": "{doc.get("id")}"}}}}, '
                "then delete it once it is cancelled (or any other final state)"
            )
