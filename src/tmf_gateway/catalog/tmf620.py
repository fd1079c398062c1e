"""A product catalog read from a TMF620 Product Catalog Management server (v4)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from ..errors import SouthboundError, SouthboundUnavailable
from ..ports import Offering

RULE_NAMES = ("needsInstallAddress", "needsFeasibility", "needsAcceptance")


def offering_from_tmf620(body: dict[str, Any]) -> Offering:
    """A TMF620 ProductOffering in the port's terms. The gateway's rules are extension
    attributes of the offering (`@type: GatewayProductOffering`); characteristics are the names
    in `prodSpecCharValueUse`; the price reference is the first `productOfferingPrice`."""
    uses = body.get("prodSpecCharValueUse")
    prices = body.get("productOfferingPrice") or []
    price = prices[0].get("id") if prices and isinstance(prices[0], dict) else None
    return Offering(
        id=str(body["id"]),
        name=str(body.get("name") or body["id"]),
        sellable=body.get("isSellable", True) is not False
        and body.get("lifecycleStatus", "Launched") in ("Launched", "Active"),
        characteristics=(
            tuple(u["name"] for u in uses if isinstance(u, dict) and u.get("name"))
            if isinstance(uses, list) else None
        ),
        price=price,
        needs_install_address=bool(body.get("needsInstallAddress")),
        needs_feasibility=bool(body.get("needsFeasibility")),
        needs_acceptance=bool(body.get("needsAcceptance")),
    )


class Tmf620Catalog:
    """`GET {base}/productOffering/{id}`: 404 means no such offering."""

    def __init__(self, base_url: str, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def offering(self, offering_id: str) -> Offering | None:
        url = f"{self.base_url}/productOffering/{quote(offering_id, safe='')}"
        try:
            response = self.session.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SouthboundUnavailable(f"product catalog at {self.base_url}: {exc}") from exc
        if response.status_code == 404:
            return None
        if response.status_code >= 500:
            raise SouthboundUnavailable(
                f"product catalog answered {response.status_code} for offering '{offering_id}'")
        if response.status_code != 200:
            raise SouthboundError(
                f"product catalog answered {response.status_code} for offering '{offering_id}'"
            )
        try:
            return offering_from_tmf620(response.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise SouthboundError(f"product catalog sent a malformed offering: {exc}") from exc

    def check_health(self) -> None:
        """The catalog answers a one-offering list (ports.HealthCheck)."""
        try:
            response = self.session.get(f"{self.base_url}/productOffering",
                                        params={"limit": "1"}, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SouthboundUnavailable(f"product catalog at {self.base_url}: {exc}") from exc
        if response.status_code >= 500:
            raise SouthboundUnavailable(f"product catalog answered {response.status_code}")

    def close(self) -> None:
        self.session.close()
