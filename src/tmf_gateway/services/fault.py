"""Problem reports no customer raised: tickets opened from a fault notification (eTOM 1.3.7.5,
"analysis ... which detects a failure or degradation which may be impacting customers")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import trouble_ticket as rules
from ..domain.resources import TROUBLE_TICKET
from ..errors import InvalidResource
from ..ports import Store, UnitOfWork
from ..tmf.query import Condition, Query
from ..tmf.schema import FieldPath, Segment
from ..tmf.values import STRING, now_iso
from .context import Caller
from .resources import ResourceService
from .ticket_desk import add_note
from .trouble_ticket import CUSTOMER_KIND, GATEWAY_AUTHOR, ORDER_KIND

DETECTED_CHANNEL = {"id": "fault-detection", "name": "Detected by fault management"}
PAGE = 500


def _path(dotted: str) -> FieldPath:
    """A typed path into a product order; `[]` marks a list (the order store may not exist
    yet, so its schema is not at hand)."""
    segments = tuple(Segment(k.removesuffix("[]"), k.endswith("[]")) for k in dotted.split("."))
    return FieldPath(dotted.replace("[]", ""), segments, STRING)


# Where a product order refers to a resource, a product or a product offering.
ORDER_PATHS = {
    "resource": (_path("productOrderItem[].product.realizingResource[].id"),),
    "product": (_path("productOrderItem[].product.id"),),
    "productOffering": (
        _path("productOrderItem[].productOffering.id"),
        _path("productOrderItem[].product.productOffering.id"),
    ),
}


def fault_key(body: dict[str, Any]) -> str:
    """What identifies the fault: its id, else the affected thing (so repeats still match)."""
    if body.get("faultId"):
        return str(body["faultId"])
    for what in ORDER_PATHS:
        ref = body.get(what)
        if isinstance(ref, dict) and ref.get("id"):
            return f"{what}:{ref['id']}"
    raise InvalidResource("a fault notification names a resource, product or productOffering")


class FaultService:
    """Opens one ticket per affected customer, or notes the repeat on the open one."""

    def __init__(
        self, store: Store, tickets: ResourceService, has_orders: Callable[[], bool]
    ) -> None:
        self.store, self.tickets, self.has_orders = store, tickets, has_orders

    def notify(self, body: dict[str, Any], caller: Caller) -> dict[str, Any]:
        key = fault_key(body)
        created: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        with self.store.unit_of_work(write=True) as uow:
            for customer_id, orders in self.affected(uow, body).items():
                ticket = self._open_ticket(uow, key, customer_id)
                if ticket is not None:
                    add_note(uow, self.tickets, ticket["id"], _repeat_text(key, body), caller)
                    updated.append(_ref(ticket))
                else:
                    doc = _new_ticket(key, body, customer_id, orders)
                    created.append(_ref(self.tickets.create_in(uow, doc, caller).doc))
        return {"faultId": key, "createdTicket": created, "updatedTicket": updated}

    def affected(self, uow: UnitOfWork, body: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """Existing customers -> their orders that use the faulty resource/product/offering."""
        if not self.has_orders():
            return {}
        orders: dict[str, dict[str, Any]] = {}
        for what, paths in ORDER_PATHS.items():
            ref = body.get(what)
            if not isinstance(ref, dict) or not ref.get("id"):
                continue
            for path in paths:
                for order in _all(uow, Query((Condition(path, "eq", (str(ref["id"]),)),))):
                    orders[order["id"]] = order
        customers: dict[str, list[dict[str, Any]]] = {}
        for order in orders.values():
            for party in order.get("relatedParty") or []:
                if _is_customer(party) and uow.get(CUSTOMER_KIND, party["id"]) is not None:
                    customers.setdefault(party["id"], []).append(order)
        return customers

    def _open_ticket(self, uow: UnitOfWork, key: str, customer_id: str) -> dict[str, Any] | None:
        label = FieldPath("externalId", (Segment("externalId", False),), STRING)
        query = Query((Condition(label, "eq", (external_id(key, customer_id),)),), limit=50)
        for ticket in uow.query(TROUBLE_TICKET.kind, query).items:
            if not rules.is_final(ticket.get("status")):
                return ticket
        return None


def _all(uow: UnitOfWork, query: Query) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = uow.query(ORDER_KIND, Query(query.conditions, offset=len(items), limit=PAGE))
        items += page.items
        if not page.items or len(items) >= page.total:
            return items


def _is_customer(party: Any) -> bool:
    return (
        isinstance(party, dict)
        and bool(party.get("id"))
        and (party.get("@referredType") == "Customer" or party.get("role") == "Customer")
    )


def external_id(key: str, customer_id: str) -> str:
    return f"fault:{key}:{customer_id}"


def _ref(ticket: dict[str, Any]) -> dict[str, Any]:
    return {"id": ticket["id"], "href": ticket["href"], "@referredType": "TroubleTicket"}


def _affected_what(body: dict[str, Any]) -> str:
    parts = [
        f"{what} {body[what]['id']}"
        for what in ORDER_PATHS
        if isinstance(body.get(what), dict) and body[what].get("id")
    ]
    return ", ".join(parts)


def _repeat_text(key: str, body: dict[str, Any]) -> str:
    return f"Fault {key} notified again ({_affected_what(body)}): {body.get('description', '')}"


def _new_ticket(
    key: str, body: dict[str, Any], customer_id: str, orders: list[dict[str, Any]]
) -> dict[str, Any]:
    entities = [
        {
            "id": order["id"],
            "href": order.get("href"),
            "role": "affectedProductOrder",
            "@referredType": "ProductOrder",
        }
        for order in orders
    ]
    for what, referred in (("resource", "Resource"), ("product", "Product")):
        ref = body.get(what)
        if isinstance(ref, dict) and ref.get("id"):
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
