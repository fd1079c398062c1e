"""The product inventory port's implementations, chosen by the `product_inventory` setting."""

from __future__ import annotations

from typing import Any

from ..config import Settings
from ..errors import ConfigurationError
from ..ports import ProductInventory

KINDS = ("store", "tmf637")


def load_inventory(settings: Settings, store: Any) -> ProductInventory:
    """The configured inventory: the gateway's own store, or a TMF637 server."""
    if settings.product_inventory == "tmf637":
        if not settings.product_inventory_url:
            raise ConfigurationError(
                "TMF_GATEWAY_PRODUCT_INVENTORY=tmf637 needs TMF_GATEWAY_PRODUCT_INVENTORY_URL")
        from .tmf637 import Tmf637Inventory

        return Tmf637Inventory(settings.product_inventory_url)
    from .stored import StoredInventory

    return StoredInventory(store)
