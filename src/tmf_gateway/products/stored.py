"""The built-in product inventory: TMF637 products kept in the gateway's own store."""

from __future__ import annotations

from typing import Any

from ..domain.products import ACTIVE, touched_by
from ..domain.resources import PRODUCT
from ..ports import Store, UnitOfWork
from ..tmf.query import Condition, Query
from ..tmf.schema import FieldPath, Segment
from ..tmf.values import STRING

PAGE = 500
WHERE = {  # the product attribute a fault on each kind of thing is looked up by
    "resource": "realizingResource[].id",
    "product": "id",
    "productOffering": "productOffering.id",
}


def _path(dotted: str) -> FieldPath:
    segments = tuple(Segment(k.removesuffix("[]"), k.endswith("[]")) for k in dotted.split("."))
    return FieldPath(dotted.replace("[]", ""), segments, STRING)


def _eq(dotted: str, value: str) -> Condition:
    return Condition(_path(dotted), "eq", (value,))


def _all(uow: UnitOfWork, conditions: tuple[Condition, ...]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = uow.query(PRODUCT.kind, Query(conditions, offset=len(items), limit=PAGE))
        items += page.items
        if not page.items or len(items) >= page.total:
            return items


class StoredInventory:
    """Products are written in the order's own unit of work (`save_in`), so an order is never
    completed without its products, nor products made for an order that did not complete."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def product(self, product_id: str) -> dict[str, Any] | None:
        with self.store.unit_of_work() as uow:
            stored = uow.get(PRODUCT.kind, product_id)
            return stored.doc if stored else None

    def products_of(self, customer_id: str) -> list[dict[str, Any]]:
        with self.store.unit_of_work() as uow:
            return self.products_of_in(uow, customer_id)

    def products_of_in(self, uow: UnitOfWork, customer_id: str) -> list[dict[str, Any]]:
        """`products_of` inside a unit of work the caller holds (a customer's deletion)."""
        return _all(uow, (_eq("relatedParty[].id", customer_id),))

    def products_using(self, what: str, ref_id: str) -> list[dict[str, Any]]:
        if what not in WHERE:
            return []
        with self.store.unit_of_work() as uow:
            found = _all(uow, (_eq(WHERE[what], ref_id), _eq("status", ACTIVE)))
        return [p for p in found if touched_by(p, what, ref_id)]

    def save(self, products: list[dict[str, Any]]) -> None:
        with self.store.unit_of_work(write=True) as uow:
            self.save_in(uow, products)

    def save_in(self, uow: UnitOfWork, products: list[dict[str, Any]]) -> None:
        for doc in products:
            stored = uow.get(PRODUCT.kind, doc["id"])
            if stored is None:
                uow.add(PRODUCT.kind, doc)
            elif stored.doc != doc:
                uow.replace(PRODUCT.kind, doc["id"], doc, stored.version)
