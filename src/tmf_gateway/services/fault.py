"""Problem reports no customer raised: tickets opened from a fault notification (eTOM 1.3.7.5,
"analysis ... which detects a failure or degradation which may be impacting customers")."""

from __future__ import annotations

from typing import Any

from ..domain import trouble_ticket as rules
from ..domain.products import customer_of
from ..domain.resources import PRODUCT_ORDER, TROUBLE_TICKET
from ..errors import InvalidResource
from ..ports import ProductInventory, Store, UnitOfWork
from ..tmf.query import Condition, Query
from ..tmf.schema import FieldPath, Segment
from ..tmf.values import STRING, now_iso
from .context import Caller
from .resources import ResourceService
from .ticket_desk import add_note
from .trouble_ticket import CUSTOMER_KIND, GATEWAY_AUTHOR

DETECTED_CHANNEL = {"id": "fault-detection", "name": "Detected by fault management"}
# What a fault notification may name; the product inventory says which products it touches.
AFFECTED = ("resource", "product", "productOffering")


def fault_key(body: dict[str, Any]) -> str:
    """What identifies the fault: its id, else the affected thing (so repeats still match)."""
    if body.get("faultId"):
        return str(body["faultId"])
    for what in AFFECTED:
        ref = body.get(what)
        if isinstance(ref, dict) and ref.get("id"):
            return f"{what}:{ref['id']}"
    raise InvalidResource("a fault notification names a resource, product or productOffering")


class FaultService:
    """Opens one ticket per affected customer, or notes the repeat on the open one."""

    def __init__(
        self, store: Store, tickets: ResourceService, inventory: ProductInventory | None
    ) -> None:
        self.store, self.tickets, self.inventory = store, tickets, inventory

    def notify(self, body: dict[str, Any], caller: Caller) -> dict[str, Any]:
        key = fault_key(body)
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        affected = self.affected(body)  # asked before the write: it may be a remote inventory
        with self.store.unit_of_work(write=True) as uow:
            for customer_id, products in affected.items():
                if uow.get(CUSTOMER_KIND, customer_id) is None:
                    continue
                ticket = self._open_ticket(uow, key, customer_id)
                if ticket is not None:
                    add_note(uow, self.tickets, ticket["id"], _repeat_text(key, body), caller)
                    updated.append(_ref(ticket))
                else:
                    doc = _new_ticket(key, body, customer_id, products)
                    doc["relatedEntity"] = [  # an order deleted since is no longer named
                        e for e in doc["relatedEntity"]
                        if e["@referredType"] != "ProductOrder"
                        or uow.get(PRODUCT_ORDER.kind, e["id"]) is not None
                    ]
                    created.append(_ref(self.tickets.create_in(uow, doc, caller).doc))
        return {"faultId": key, "createdTicket": created, "updatedTicket": updated}

    def affected(self, body: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """Customers -> their active products that the faulty resource realizes (or the faulty
        product or offering): products exist only for order items that completed, so
        cancelled, rejected and failed orders never count."""
        if self.inventory is None:
            return {}
        products: dict[str, dict[str, Any]] = {}
        for what in AFFECTED:
            ref = body.get(what)
            if isinstance(ref, dict) and ref.get("id"):
                for product in self.inventory.products_using(what, str(ref["id"])):
                    products[product["id"]] = product
        customers: dict[str, list[dict[str, Any]]] = {}
        for product in products.values():
            customer_id = customer_of(product)
            if customer_id:
                customers.setdefault(customer_id, []).append(product)
        return customers

    def _open_ticket(self, uow: UnitOfWork, key: str, customer_id: str) -> dict[str, Any] | None:
        label = FieldPath("externalId", (Segment("externalId", False),), STRING)
        query = Query((Condition(label, "eq", (external_id(key, customer_id),)),), limit=50)
        for ticket in uow.query(TROUBLE_TICKET.kind, query).items:
            if not rules.is_final(ticket.get("status")):
                return ticket
        return None


def external_id(key: str, customer_id: str) -> str:
    return f"fault:{key}:{customer_id}"


def _ref(ticket: dict[str, Any]) -> dict[str, Any]:
    return {"id": ticket["id"], "href": ticket["href"], "@referredType": "TroubleTicket"}


def _affected_what(body: dict[str, Any]) -> str:
    parts = [
        f"{what} {body[what]['id']}"
        for what in AFFECTED
        if isinstance(body.get(what), dict) and body[what].get("id")
    ]
    return ", ".join(parts)


def _repeat_text(key: str, body: dict[str, Any]) -> str:
    return f"Fault {key} notified again ({_affected_what(body)}): {body.get('description', '')}"


def _new_ticket(
    key: str, body: dict[str, Any], customer_id: str, products: list[dict[str, Any]]
) -> dict[str, Any]:
    entities: list[dict[str, Any]] = []
    for product in products:
        entities.append({"id": product["id"], "name": product.get("name"),
                         "role": "affectedProduct", "@referredType": "Product"})
        for ref in product.get("productOrderItem") or []:
            order_id = ref.get("productOrderId") if isinstance(ref, dict) else None
            if order_id and all(e["id"] != order_id for e in entities):
                entities.append({"id": order_id, "role": "affectedProductOrder",
                                 "@referredType": "ProductOrder"})
    for what, referred in (("resource", "Resource"), ("product", "Product")):
        ref = body.get(what)
        if isinstance(ref, dict) and ref.get("id"):
            if any(e["id"] == str(ref["id"]) for e in entities):
                continue
            entities.append(
                {
                    "id": str(ref["id"]),
                    "name": ref.get("name"),
                    "role": f"affected{referred}",
                    "@referredType": referred,
                }
            )
    text = (
        f"Detected, not reported: opened by the gateway from fault notification {key} "
        f"({_affected_what(body)}); the customer has not contacted us about it."
    )
    return {
        "name": f"Fault {key}",
        "description": body.get("description") or f"Fault {key}",
        "severity": body.get("severity") or "Major",
        "ticketType": "incident",
        "externalId": external_id(key, customer_id),
        "channel": dict(DETECTED_CHANNEL),
        "statusChangeReason": f"Detected from fault notification {key}",
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
        "relatedEntity": [{k: v for k, v in e.items() if v is not None} for e in entities],
        "note": [{"author": GATEWAY_AUTHOR, "date": now_iso(), "text": text, "@type": "Note"}],
    }
