"""Trouble ticket rules (eTOM 1.3.7.5 Create Customer Problem Report): lifecycle, customer
details captured at creation, checked references, and hand-over to the legacy ticket desk."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..domain import notes, ticket_states
from ..domain import trouble_ticket as rules
from ..domain.products import customer_of
from ..domain.resources import TICKET_DESK_LINK
from ..errors import Conflict, InvalidResource
from ..ports import UnitOfWork
from ..tmf.values import now_iso
from .context import Caller
from .resources import ResourceRules

CUSTOMER_KIND = "customer"
ORDER_KIND = "product_order"
GATEWAY_AUTHOR = "tmf-gateway"


class TroubleTicketRules(ResourceRules):
    """Server-owned status and dates, the v4 status lifecycle, and checked customers/orders.

    `has_orders` says whether the product order store exists (it may be added later);
    `forwards` whether new tickets are queued for the legacy ticket desk.
    """

    def __init__(
        self, has_orders: Callable[[], bool] = lambda: False, forwards: bool = False,
        inventory: Callable[[], Any] = lambda: None,
        customer_channels: Iterable[str] = (),
    ) -> None:
        self.has_orders = has_orders
        self.forwards = forwards
        self.inventory = inventory  # -> ports.ProductInventory | None
        self.customer_channels = {c.strip().lower() for c in customer_channels if c.strip()}

    def from_customer(self, doc: dict[str, Any]) -> bool:
        """Whether the report comes from a customer: its channel (id or name) is one of the
        customer channels (`ticket_customer_channels`)."""
        channel = doc.get("channel")
        if not isinstance(channel, dict):
            return False
        names = {str(channel.get(key, "")).lower() for key in ("id", "name")}
        return bool(names & self.customer_channels)

    def _require_customer(self, doc: dict[str, Any], error: type[Exception]) -> None:
        if self.from_customer(doc) and not customer_ids(doc):
            raise error(
                "a problem report from a customer (channel "
                f"'{(doc.get('channel') or {}).get('id') or doc['channel'].get('name')}') names "
                "the customer: relatedParty with '@referredType': 'Customer'"
            )

    def on_create(self, doc: dict[str, Any], uow: UnitOfWork, caller: Caller) -> None:
        now = now_iso()
        ticket_states.open_ticket(doc, now)
        rules.check_resolution_dates(doc)
        self._require_customer(doc, InvalidResource)
        capture_customers(doc, uow, now, known=set())
        self._check_entities(doc, uow, known=set())
        if self.forwards:
            uow.add(TICKET_DESK_LINK.kind, {"id": doc["id"], "state": "pending", "attempts": 0})

    def on_patch(
        self, old: dict[str, Any], new: dict[str, Any], uow: UnitOfWork, caller: Caller
    ) -> None:
        rules.restore_server_owned(old, new)
        notes.append_only(old, new)
        now = now_iso()
        ticket_states.change_status(old, new, now)
        rules.check_final(old, new)
        changed = rules.changed_fields(old, new)
        if not changed:
            return
        if changed & set(rules.RESOLUTION_DATES):
            rules.check_resolution_dates(new)
        if changed & {"relatedParty", "channel"}:
            self._require_customer(new, Conflict)
        if "relatedParty" in changed:
            capture_customers(new, uow, now, known=customer_ids(old))
        if "relatedEntity" in changed:
            self._check_entities(new, uow, known=_order_ids(old) | _entity_ids(old, "Product"))
        new["lastUpdate"] = now

    def _check_entities(self, doc: dict[str, Any], uow: UnitOfWork, known: set[str]) -> None:
        """Named orders and products exist and, when the ticket names customers, are theirs."""
        customers = customer_ids(doc)
        if self.has_orders():
            for order_id in _order_ids(doc) - known:
                stored = uow.get(ORDER_KIND, order_id)
                if stored is None:
                    raise InvalidResource(
                        f"relatedEntity: product order '{order_id}' does not exist")
                if customers and not customers & customer_ids(stored.doc):
                    raise InvalidResource(f"relatedEntity: product order '{order_id}' is not "
                                          f"an order of customer {', '.join(sorted(customers))}")
        inventory = self.inventory()
        for product_id in _entity_ids(doc, "Product") - known if inventory else ():
            product = inventory.product(product_id)
            if product is None:
                raise InvalidResource(f"relatedEntity: product '{product_id}' does not exist")
            if customers and customer_of(product) not in customers:
                raise InvalidResource(f"relatedEntity: product '{product_id}' is not owned by "
                                      f"customer {', '.join(sorted(customers))}")


def _parties(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in doc.get("relatedParty") or [] if isinstance(p, dict)]


def customer_ids(doc: dict[str, Any]) -> set[str]:
    return {p["id"] for p in _parties(doc) if p.get("@referredType") == "Customer"}


def _entity_ids(doc: dict[str, Any], referred: str) -> set[str]:
    return {e["id"] for e in doc.get("relatedEntity") or []
            if isinstance(e, dict) and e.get("@referredType") == referred and e.get("id")}


def _order_ids(doc: dict[str, Any]) -> set[str]:
    return {
        e["id"]
        for e in doc.get("relatedEntity") or []
        if isinstance(e, dict) and e.get("@referredType") == "ProductOrder"
    }


def capture_customers(doc: dict[str, Any], uow: UnitOfWork, now: str, known: set[str]) -> None:
    """Every named customer must exist; its name and preferred contact medium are copied onto
    the ticket (relatedParty `name`, and a note) so the report outlives later customer edits."""
    for party in _parties(doc):
        if party.get("@referredType") != "Customer" or party["id"] in known:
            continue
        stored = uow.get(CUSTOMER_KIND, party["id"])
        if stored is None:
            raise InvalidResource(f"relatedParty: customer '{party['id']}' does not exist")
        customer = stored.doc
        if customer.get("name"):
            party["name"] = customer["name"]
        party.setdefault("href", customer.get("href"))
        party.setdefault("role", "Customer")
        note_id = f"customer-contact-{party['id']}"
        notes = [n for n in doc.get("note") or [] if n.get("id") != note_id]
        notes.append(
            {
                "id": note_id,
                "author": GATEWAY_AUTHOR,
                "date": now,
                "text": contact_text(customer),
                "@type": "Note",
            }
        )
        doc["note"] = notes
        known.add(party["id"])


def preferred_medium(customer: dict[str, Any]) -> dict[str, Any] | None:
    media = [m for m in customer.get("contactMedium") or [] if isinstance(m, dict)]
    preferred = [m for m in media if m.get("preferred") is True]
    return (preferred or media or [None])[0]


def contact_text(customer: dict[str, Any]) -> str:
    """The captured customer details as one line a ticket-desk agent can read."""
    who = f"Customer {customer.get('name', '')} (id {customer['id']})".replace("  ", " ")
    medium = preferred_medium(customer)
    if medium is None:
        return f"{who}; no contact medium on record when the ticket was created."
    details = ", ".join(
        f"{key}={value}"
        for key, value in sorted((medium.get("characteristic") or {}).items())
        if not key.startswith("@") and value not in (None, "")
    )
    kind = "preferred" if medium.get("preferred") else "only recorded"
    return (
        f"{who}; {kind} contact medium when the ticket was created: "
        f"{medium.get('mediumType', 'unknown')}" + (f" ({details})" if details else "") + "."
    )
