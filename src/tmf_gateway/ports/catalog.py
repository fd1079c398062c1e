"""The product ports: the catalog (TMF620) orders are checked against, the inventory (TMF637)
that completed orders fill."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Offering:
    """What the product catalog says about one product offering (TMF620 terms)."""

    id: str
    name: str = ""
    sellable: bool = True  # lifecycleStatus Launched/Active and isSellable
    actions: tuple[str, ...] = ("add", "modify", "delete", "noChange")  # item actions it takes
    characteristics: tuple[str, ...] | None = None  # names allowed; None = any
    needs_install_address: bool = False
    needs_feasibility: bool = False
    needs_acceptance: bool = False
    price: str | None = None  # its ProductOfferingPrice id


class ProductCatalog(Protocol):
    """The product catalog (TMF620): which offerings exist, are sellable, and what they need."""

    def offering(self, offering_id: str) -> Offering | None:
        """The offering, or None when the catalog has no such offering. Raises
        SouthboundError when the catalog cannot be read."""
        ...


class ProductInventory(Protocol):
    """The product inventory (TMF637): the products customers own, as TMF637 Product bodies
    (`productOffering`, `relatedParty` with the Customer, `status`, `realizingResource`)."""

    def product(self, product_id: str) -> dict[str, Any] | None:
        """One product, whatever its status; None when there is none. Raises SouthboundError."""
        ...

    def products_of(self, customer_id: str) -> list[dict[str, Any]]:
        """Every product whose relatedParty names this customer, oldest first."""
        ...

    def products_using(self, what: str, ref_id: str) -> list[dict[str, Any]]:
        """Active products a fault on a `resource`, `product` or `productOffering` with this id
        touches (realizingResource, the product itself, its offering)."""
        ...

    def save(self, products: list[dict[str, Any]]) -> None:
        """Create or replace these products, keyed by their `id` (idempotent: completion of one
        order item always produces the same id). Raises SouthboundError."""
        ...
