"""Pure product order rules: completeness checks, catalogue rules, derived state, patchability."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..ports import Offering, ProductCatalog
from ..tmf.values import parse_datetime
from .lifecycle import PRODUCT_ORDER
from .moves import Move, Moves
from .order_states import derive_order_state, path_to  # noqa: F401  (re-exported)

ACTIONS = ("add", "modify", "delete", "noChange")
OPEN_STATES = frozenset({"acknowledged", "inProgress", "pending", "held"})
CANCELLABLE = frozenset({"inProgress", "pending", "held"})

# Patchable attributes per order state (docs/ordering.md); anything else is a 409.
WHILE_OPEN = frozenset(
    {
        "note", "notificationContact", "description", "category", "priority", "channel",
        "externalId", "requestedStartDate", "requestedCompletionDate", "expectedCompletionDate",
        "@type", "@baseType", "@schemaLocation",
    }
)
BEFORE_WORK = WHILE_OPEN | {
    "productOrderItem", "relatedParty", "billingAccount", "agreement", "payment", "quote",
    "productOfferingQualification", "orderTotalPrice",
}
NOT_FINAL = frozenset(PRODUCT_ORDER.states) - {
    s for s in PRODUCT_ORDER.states if PRODUCT_ORDER.is_final(s)
}


def patchable(state: str, details_required: bool = False) -> frozenset[str]:
    """The attributes a client may change while the order is in `state` (an order pending for
    missing details takes item changes as when it was acknowledged)."""
    if state == "acknowledged" or (state == "pending" and details_required):
        return BEFORE_WORK
    if state in NOT_FINAL:
        return WHILE_OPEN
    return frozenset()


@dataclass(frozen=True)
class OfferingRules:
    """What the catalogue says an offering needs before and after delivery."""

    needs_install_address: bool = False
    needs_feasibility: bool = False
    needs_acceptance: bool = False


UNKNOWN_POLICIES = ("refuse", "pass")


class Catalogue:
    """The order process's view of the product catalog port: offering rules, and the items
    the catalog refuses. `unknown`: refuse offerings the catalog does not have, or pass them
    on (without rules) to a southbound system that validates them itself."""

    def __init__(self, catalog: ProductCatalog | None = None, unknown: str = "refuse") -> None:
        self.catalog = catalog
        self.unknown = unknown

    def offering(self, offering_id: str | None) -> Offering | None:
        if not offering_id or self.catalog is None:
            return None
        return self.catalog.offering(offering_id)

    def rules(self, offering_id: str | None) -> OfferingRules:
        found = self.offering(offering_id)
        if found is None:
            return OfferingRules()
        return OfferingRules(found.needs_install_address, found.needs_feasibility,
                             found.needs_acceptance)

    def problems(self, order: Mapping[str, Any]) -> list[str]:
        """Why the catalog refuses the order's items (the order is rejected): an unknown or
        retired offering, an action or characteristic the offering does not take."""
        if self.catalog is None:
            return []
        problems = []
        for where, item in walk_items(order.get("productOrderItem")):
            wanted = offering_id(item)
            if not wanted:
                continue
            label = f"{where} (id '{item.get('id')}')"
            found = self.offering(wanted)
            if found is None:
                if self.unknown == "refuse":
                    problems.append(f"{label}: offering '{wanted}' is not in the catalog")
                continue
            if not found.sellable and item.get("action") == "add":
                problems.append(f"{label}: offering '{wanted}' is no longer sold")
            if item.get("action") not in found.actions:
                problems.append(f"{label}: offering '{wanted}' does not take "
                                f"'{item.get('action')}'")
            names = _characteristic_names(item)
            if found.characteristics is not None and names - set(found.characteristics):
                problems.append(
                    f"{label}: offering '{wanted}' has no characteristic "
                    + ", ".join(f"'{n}'" for n in sorted(names - set(found.characteristics)))
                )
        return problems


def _characteristic_names(item: Mapping[str, Any]) -> set[str]:
    product = item.get("product")
    chars = product.get("productCharacteristic") if isinstance(product, dict) else None
    return {c["name"] for c in chars or []
            if isinstance(c, dict) and isinstance(c.get("name"), str)}


def offering_id(item: Mapping[str, Any]) -> str | None:
    offering = item.get("productOffering")
    if isinstance(offering, dict) and isinstance(offering.get("id"), str):
        return offering["id"]
    product = item.get("product")
    if isinstance(product, dict):
        inner = product.get("productOffering")
        if isinstance(inner, dict) and isinstance(inner.get("id"), str):
            return inner["id"]
    return None


def _has_place(item: Mapping[str, Any], order: Mapping[str, Any]) -> bool:
    product = item.get("product")
    if isinstance(product, dict) and product.get("place"):
        return True
    return bool(order.get("place"))


def walk_items(
    items: list[dict[str, Any]] | None, prefix: str = "productOrderItem"
) -> list[tuple[str, dict[str, Any]]]:
    """(where, item) for every item at every level of nesting, parents first."""
    found = []
    for index, item in enumerate(items or []):
        where = f"{prefix}[{index}]"
        found.append((where, item))
        found.extend(walk_items(item.get("productOrderItem"), f"{where}.productOrderItem"))
    return found


def item_problems(
    order: Mapping[str, Any], customer_exists: Callable[[str], bool]
) -> list[str]:
    """Problems that make the request itself invalid (400, nothing stored): items that cannot be
    addressed by id, unknown actions, customers that do not exist."""
    problems: list[str] = []
    seen: set[str] = set()
    for where, item in walk_items(order.get("productOrderItem")):
        label = f"{where} (id '{item.get('id')}')"
        item_id = item.get("id")
        if item_id in seen:
            problems.append(f"{label}: 'id' is not unique within the order")
        seen.add(item_id)
        if item.get("action") not in ACTIONS:
            problems.append(f"{label}: 'action' must be one of {', '.join(ACTIONS)}")
        quantity = item.get("quantity")
        if quantity is not None and (not isinstance(quantity, int) or quantity < 1):
            problems.append(f"{label}: 'quantity' must be a whole number of at least 1")
    for index, party in enumerate(order.get("relatedParty") or []):
        if party.get("@referredType") == "Customer" and not customer_exists(party.get("id", "")):
            problems.append(
                f"relatedParty[{index}]: 'id' names no customer ('{party.get('id')}')"
            )
    return problems


def missing_information(
    order: Mapping[str, Any], catalogue: Catalogue,
    owns: Callable[[str], bool] | None = None,
) -> list[str]:
    """What the order process needs and the order does not say (the order goes pending): an
    offering or product to add, the product to modify, delete or keep (one the customer owns,
    when `owns` is given), an install address."""
    missing: list[str] = []
    for where, item in walk_items(order.get("productOrderItem")):
        label = f"{where} (id '{item.get('id')}')"
        action = item.get("action")
        product = item.get("product")
        if action in ("modify", "delete", "noChange") and not (
            isinstance(product, dict) and product.get("id")
        ):
            missing.append(f"{label}: 'product.id' (the product to {action})")
        elif action in ("modify", "delete", "noChange") and owns and not owns(product["id"]):
            missing.append(
                f"{label}: 'product.id' names no active product of the order's customer "
                f"('{product['id']}')"
            )
        if action == "add" and not item.get("productOffering") and not product:
            missing.append(f"{label}: 'productOffering' or 'product' (what to add)")
        rules = catalogue.rules(offering_id(item))
        if action == "add" and rules.needs_install_address and not _has_place(item, order):
            missing.append(
                f"{label}: 'product.place' (install address for offering "
                f"'{offering_id(item)}')"
            )
    return missing


def date_problems(order: Mapping[str, Any], now: datetime) -> list[str]:
    """Requested dates that make the order undeliverable (stored as rejected)."""
    problems = []
    start = parse_datetime(order.get("requestedStartDate") or "")
    end = parse_datetime(order.get("requestedCompletionDate") or "")
    if start and start < now:
        problems.append("'requestedStartDate' is in the past")
    if end and end < now:
        problems.append("'requestedCompletionDate' is in the past")
    if start and end and start > end:
        problems.append("'requestedStartDate' is after 'requestedCompletionDate'")
    return problems


def needs_feasibility(order: Mapping[str, Any], catalogue: Catalogue) -> list[str]:
    """Ids of items whose offering needs a feasibility assessment that was not given."""
    if order.get("productOfferingQualification"):
        return []
    return [
        item["id"]
        for item in order.get("productOrderItem") or []
        if catalogue.rules(offering_id(item)).needs_feasibility
        and not item.get("productOfferingQualificationItem")
        and not item.get("qualification")
    ]


def in_jeopardy(order: Mapping[str, Any], now: datetime, margin_seconds: float) -> str | None:
    """'passed' or 'approaching' when an open order's completion date is at risk, else None."""
    if order.get("state") not in OPEN_STATES:
        return None
    dates = [
        parse_datetime(order.get(name) or "")
        for name in ("requestedCompletionDate", "expectedCompletionDate")
    ]
    due = min((d for d in dates if d), default=None)
    if due is None:
        return None
    if due <= now:
        return "passed"
    if (due - now).total_seconds() <= margin_seconds:
        return "approaching"
    return None


JEOPARDY_EVENT = "ProductOrderJeopardyAlertEvent"


def flag_jeopardy(
    doc: dict[str, Any], kind: str, message: str, *, name: str, now: str, alert_id: str
) -> Moves:
    """Add a jeopardy alert of `kind` to an open order, once per kind; a final order is past
    jeopardy and gets none (no moves, no event). Moves the state nowhere: its only event is
    the ProductOrderJeopardyAlertEvent."""
    alerts = doc.get("productOrderJeopardyAlert", [])
    if doc.get("state") not in OPEN_STATES or any(a.get("jeopardyType") == kind for a in alerts):
        return Moves()
    doc.setdefault("productOrderJeopardyAlert", []).append(
        {"id": alert_id, "alertDate": now, "name": name, "jeopardyType": kind,
         "message": message}
    )
    state = doc["state"]
    return Moves().add(Move("ProductOrder", state, state, message), JEOPARDY_EVENT)
