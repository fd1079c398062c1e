"""Customer inventory rules (eTOM 1.3.1.5 Manage Customer Inventory)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import trouble_ticket
from ..domain.contact import contact_problems
from ..domain.ordering import NOT_FINAL
from ..domain.products import ACTIVE
from ..domain.resources import PRODUCT_ORDER, TROUBLE_TICKET
from ..errors import Conflict, InvalidResource
from ..ports import ProductInventory, UnitOfWork
from ..tmf.query import Condition, Query
from ..tmf.schema import FieldPath, Segment
from ..tmf.values import STRING
from .context import Caller
from .resources import ResourceRules

INITIAL_STATUS = "Created"


class CustomerRules(ResourceRules):
    """A customer always names the party it is; its status starts as Created; one with open
    orders, open tickets or active products is not deleted."""

    def __init__(self, inventory: Callable[[], ProductInventory | None] = lambda: None) -> None:
        self.inventory = inventory

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        _require_engaged_party(doc)
        _check_contact(doc)
        doc.setdefault("status", INITIAL_STATUS)

    def on_patch(
        self, old: dict[str, Any], new: dict[str, Any], uow: UnitOfWork, caller: Caller
    ) -> None:
        _require_engaged_party(new)
        if new.get("contactMedium") != old.get("contactMedium"):
            _check_contact(new)

    def on_delete(self, doc: dict[str, Any], uow: UnitOfWork) -> None:
        held = still_held(uow, doc["id"], self.inventory())
        if held:
            raise Conflict(f"customer '{doc['id']}' still has " + "; ".join(held)
                           + ": close or cancel them first")


def _check_contact(doc: dict[str, Any]) -> None:
    problems = contact_problems(doc)
    if problems:
        raise InvalidResource("; ".join(problems))


def _party(customer_id: str) -> Condition:
    segments = (Segment("relatedParty", True), Segment("id", False))
    return Condition(FieldPath("relatedParty.id", segments, STRING), "eq", (customer_id,))


def _ids(uow: UnitOfWork, kind: str, customer_id: str, state: str, open_: Any) -> list[str]:
    query = Query((_party(customer_id),), limit=1000)
    return [d["id"] for d in uow.query(kind, query).items if open_(d.get(state))]


def still_held(
    uow: UnitOfWork, customer_id: str, inventory: ProductInventory | None
) -> list[str]:
    """What keeps a customer: open product orders, open trouble tickets, active products."""
    held = []
    orders = _ids(uow, PRODUCT_ORDER.kind, customer_id, "state", NOT_FINAL.__contains__)
    if orders:
        held.append("open product orders " + ", ".join(orders))
    tickets = _ids(uow, TROUBLE_TICKET.kind, customer_id, "status",
                   lambda s: not trouble_ticket.is_final(s))
    if tickets:
        held.append("open trouble tickets " + ", ".join(tickets))
    if inventory is not None:
        in_uow = getattr(inventory, "products_of_in", None)  # the built-in, in this uow
        owned = in_uow(uow, customer_id) if in_uow else inventory.products_of(customer_id)
        products = [p["id"] for p in owned if p.get("status") == ACTIVE]
        if products:
            held.append("active products " + ", ".join(products))
    return held


def _require_engaged_party(doc: dict[str, Any]) -> None:
    party = doc.get("engagedParty")
    if not isinstance(party, dict) or "id" not in party:
        raise InvalidResource("a customer needs an 'engagedParty' with an 'id'")
