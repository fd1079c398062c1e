"""GET /customer/{id}/product: our read-only TMF629 extension listing what a customer owns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .resources import Handler

if TYPE_CHECKING:
    from ..gateway import Gateway


def customer_product_handlers(gateway: Gateway) -> dict[str, Handler]:
    def list_customer_product(id: str) -> Any:
        gateway.services.resources.customer.get(id)  # 404 for a customer that does not exist
        return gateway.inventory.products_of(id), 200

    return {"listCustomerProduct": list_customer_product}
