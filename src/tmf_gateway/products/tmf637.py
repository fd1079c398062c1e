"""A product inventory kept by a TMF637 Product Inventory Management server (v4)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from ..domain.products import ACTIVE, customer_of, touched_by
from ..errors import SouthboundError, SouthboundUnavailable

FILTERS = {  # TMF630 filters asked of the server; answers are checked again here
    "resource": "realizingResource.id",
    "product": "id",
    "productOffering": "productOffering.id",
}


class Tmf637Inventory:
    """GET/POST/PATCH on `{base}/product`; a product id the server does not know is created."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.session.request(method, f"{self.base_url}{path}",
                                            timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise SouthboundUnavailable(f"product inventory at {self.base_url}: {exc}") from exc
        if response.status_code >= 500:
            raise SouthboundUnavailable(
                f"product inventory answered {response.status_code} to {method} {path}")
        return response

    def _list(self, params: dict[str, str]) -> list[dict[str, Any]]:
        response = self._call("GET", "/product", params=params)
        if response.status_code != 200:
            raise SouthboundError(f"product inventory answered {response.status_code} to a list")
        body = response.json()
        if not isinstance(body, list):
            raise SouthboundError("product inventory sent a list that is not a JSON array")
        return [p for p in body if isinstance(p, dict)]

    def product(self, product_id: str) -> dict[str, Any] | None:
        response = self._call("GET", f"/product/{quote(product_id, safe='')}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise SouthboundError(
                f"product inventory answered {response.status_code} for '{product_id}'")
        return dict(response.json())

    def products_of(self, customer_id: str) -> list[dict[str, Any]]:
        found = self._list({"relatedParty.id": customer_id})
        return [p for p in found if customer_of(p) == customer_id]

    def products_using(self, what: str, ref_id: str) -> list[dict[str, Any]]:
        if what not in FILTERS:
            return []
        found = self._list({FILTERS[what]: ref_id, "status": ACTIVE})
        return [p for p in found if p.get("status") == ACTIVE and touched_by(p, what, ref_id)]

    def save(self, products: list[dict[str, Any]]) -> None:
        for doc in products:
            path = f"/product/{quote(doc['id'], safe='')}"
            if self._call("GET", path).status_code == 404:
                response = self._call("POST", "/product", json=doc)
            else:
                changes = {k: v for k, v in doc.items() if k not in ("id", "href")}
                response = self._call("PATCH", path, json=changes,
                                      headers={"Content-Type": "application/merge-patch+json"})
            if response.status_code not in (200, 201):
                raise SouthboundError(
                    f"product inventory answered {response.status_code} for product "
                    f"'{doc['id']}': {response.text[:200]}")

    def check_health(self) -> None:
        """The inventory answers a one-product list (ports.HealthCheck)."""
        self._call("GET", "/product", params={"limit": "1"})

    def close(self) -> None:
        self.session.close()
