"""Complete Customer Order, the products half: completed items become the customer's products
in the product inventory port (created, modified, terminated), in the order's unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain.ordering import Catalogue
from ..domain.products import customer_of, is_owned, products_from
from ..domain.resources import PRODUCT
from ..errors import SouthboundError, UpdateDeferred
from ..ports import ProductInventory, UnitOfWork
from ..tmf.values import now_iso


def record_products(
    uow: UnitOfWork, inventory: ProductInventory | None, catalogue: Catalogue,
    order: dict[str, Any],
) -> None:
    """Write what a completed or partial order did to the customer's products. The built-in
    inventory writes in `uow`; another one is called now, and when it fails the order's move
    is deferred (retried) rather than completed without its products."""
    if inventory is None:
        return
    save_in = getattr(inventory, "save_in", None)
    if save_in is not None:
        def current(product_id: str) -> dict[str, Any] | None:
            stored = uow.get(PRODUCT.kind, product_id)
            return stored.doc if stored else None
    else:
        current = inventory.product

    def name(offering_id: str) -> str:
        found = catalogue.offering(offering_id) if offering_id else None
        return found.name if found else offering_id

    try:
        products = products_from(order, current, now_iso(), name)
        if not products:
            return
        if save_in is not None:
            save_in(uow, products)
        else:
            inventory.save(products)
    except SouthboundError as exc:
        raise UpdateDeferred(
            f"order '{order['id']}': product inventory not updated: {exc}") from exc


def ownership(
    inventory: ProductInventory | None, order: dict[str, Any]
) -> Callable[[str], bool] | None:
    """Whether the order's customer owns an active product by id (None: nothing to ask)."""
    if inventory is None:
        return None
    customer = customer_of(order)
    return lambda product_id: is_owned(inventory.product(product_id), customer)
