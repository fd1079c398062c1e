"""Pure rules of the customer's products (TMF637): what a completed order makes of them."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from .ordering import offering_id, walk_items

ACTIVE = "active"
TERMINATED = "terminated"
_NAMESPACE = uuid.UUID("6f1c2a52-6d7e-4a39-9f4e-21a0c0de0637")


def product_id(order_id: str, item_id: str) -> str:
    """The id of the product an `add` item creates: the same on every retry of completion."""
    return uuid.uuid5(_NAMESPACE, f"{order_id}/{item_id}").hex


def customer_of(doc: Mapping[str, Any]) -> str | None:
    """The Customer named in an order's or product's relatedParty."""
    for party in doc.get("relatedParty") or []:
        if isinstance(party, dict) and party.get("id") and (
            party.get("@referredType") == "Customer" or party.get("role") == "Customer"
        ):
            return str(party["id"])
    return None


def is_owned(product: Mapping[str, Any] | None, customer_id: str | None) -> bool:
    """An active product of this customer (of anyone, when the order names no customer)."""
    if product is None or product.get("status") != ACTIVE:
        return False
    return customer_id is None or customer_of(product) == customer_id


def _order_ref(order: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    return {"productOrderId": order["id"], "orderItemId": item["id"],
            "orderItemAction": item["action"], "@referredType": "ProductOrderItem"}


def _merge_characteristics(old: list[Any], new: list[Any]) -> list[Any]:
    names = {c.get("name") for c in new if isinstance(c, dict)}
    return [c for c in old if not (isinstance(c, dict) and c.get("name") in names)] + new


def products_from(
    order: Mapping[str, Any], current: Callable[[str], dict[str, Any] | None], now: str,
    offering_name: Callable[[str], str] = str,
) -> list[dict[str, Any]]:
    """The products a completed (or partial) order creates, modifies or terminates: the items
    that completed, with their nested items; `current` reads a product the customer has."""
    customer = customer_of(order)
    changed: dict[str, dict[str, Any]] = {}
    for top in order.get("productOrderItem") or []:
        if top.get("state") != "completed":
            continue
        for _, item in walk_items([top]):
            given = item.get("product") if isinstance(item.get("product"), dict) else {}
            action = item.get("action")
            if action == "add":
                offering = offering_id(item)
                doc: dict[str, Any] = {
                    "id": product_id(order["id"], item["id"]),
                    "name": given.get("name") or offering_name(offering or "") or "product",
                    "status": ACTIVE, "isCustomerVisible": True, "startDate": now,
                    "productOrderItem": [_order_ref(order, item)], "@type": "Product",
                }
                if offering:
                    doc["productOffering"] = {"id": offering, "name": offering_name(offering)}
                if customer:
                    doc["relatedParty"] = [{"id": customer, "role": "Customer",
                                            "@referredType": "Customer"}]
                for name in ("productCharacteristic", "place", "realizingResource",
                             "realizingService", "productSpecification"):
                    if given.get(name):
                        doc[name] = copy.deepcopy(given[name])
                changed[doc["id"]] = doc
                continue
            if action not in ("modify", "delete") or not given.get("id"):
                continue
            existing = changed.get(given["id"]) or current(given["id"])
            if existing is None:
                continue
            doc = copy.deepcopy(existing)
            doc.setdefault("productOrderItem", []).append(_order_ref(order, item))
            if action == "delete":
                doc["status"], doc["terminationDate"] = TERMINATED, now
            else:
                doc["productCharacteristic"] = _merge_characteristics(
                    doc.get("productCharacteristic") or [],
                    copy.deepcopy(given.get("productCharacteristic") or []))
                if not doc["productCharacteristic"]:
                    del doc["productCharacteristic"]
                for name in ("place", "realizingResource", "realizingService"):
                    if given.get(name):
                        doc[name] = copy.deepcopy(given[name])
                if isinstance(item.get("productOffering"), dict):
                    doc["productOffering"] = copy.deepcopy(item["productOffering"])
            changed[doc["id"]] = doc
    return list(changed.values())


def touched_by(product: Mapping[str, Any], what: str, ref_id: str) -> bool:
    """Whether a fault on a resource, product or offering with this id touches the product."""
    if what == "resource":
        return any(isinstance(r, dict) and str(r.get("id")) == ref_id
                   for r in product.get("realizingResource") or [])
    if what == "product":
        return str(product.get("id")) == ref_id
    if what == "productOffering":
        offering = product.get("productOffering")
        return isinstance(offering, dict) and str(offering.get("id")) == ref_id
    return False
