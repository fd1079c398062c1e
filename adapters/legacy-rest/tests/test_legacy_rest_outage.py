"""The CRM away mid-order, with the gateway's own background thread: API requests still answer,
nothing is lost, the orders and the customer directory catch up once it is back. (The
one-minute version that measures request latency meanwhile is bench/legacy_outage.py.)"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tmf_gateway.config import Settings
from tmf_gateway.testing.gateway import create_customer, gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
PATIENCE = 30.0  # seconds any awaited change may take before the test gives up on it


def until(condition: Callable[[], Any], what: str) -> Any:
    """Wait for `condition()` to be truthy (the background thread's work showing)."""
    deadline = time.monotonic() + PATIENCE
    while not (value := condition()):
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.1)
    return value


@pytest.fixture
def app(tmp_path, crm_options):
    settings = Settings(
        catalog_unknown_offerings="pass", database_url=f"sqlite:///{tmp_path / 'gw.db'}",
        background=True,  # the real runner thread
        southbound="legacy-rest",
        southbound_options=crm_options,  # short timeouts, breaker open for 0.5 s
        ordering={"poll_interval_seconds": 0.1, "submit_retry_base_seconds": 0.1,
                  "submit_retry_max_seconds": 0.3},
    )
    with gateway_app(settings) as application:
        yield application


def _order(http, customer_id: str, sku: str) -> str:
    response = http.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": sku}}],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_crm_outage_mid_order_loses_nothing(app, crm):
    fulfilment = app.gateway.southbound.fulfilment
    directory = app.gateway.services.customer_directory
    crm.frozen = True  # the CRM takes orders but works on none yet: they stay mid-order
    with app.test_client() as http:
        def order(order_id: str) -> dict:
            return http.get(f"{ORDERS}/productOrder/{order_id}").json()

        customer_id = create_customer(http, "Before the outage")["id"]
        early = _order(http, customer_id, "bb-100")
        until(lambda: order(early)["state"] == "inProgress", "the first order to start")
        until(lambda: customer_id in crm.accounts, "the customer to reach the CRM")

        crm.stop()
        late = _order(http, customer_id, "bb-router")  # taken while the CRM is away
        renamed = create_customer(http, "During the outage")["id"]
        waiting = until(lambda: (o := order(late))["fulfilment"]["attempts"] >= 2 and o,
                        "the late order to be retried")
        for n in range(3):  # the API keeps answering from the store meanwhile
            patched = http.patch(f"{CUSTOMERS}/customer/{renamed}", json={"name": f"Ada {n}"},
                                 headers={"Content-Type": "application/merge-patch+json"})
            assert patched.status_code == 200, patched.text
            assert http.get(f"{ORDERS}/productOrder", params={"limit": "5"}).status_code < 300
        assert waiting["state"] == "acknowledged"
        assert waiting["fulfilment"]["submitted"] is False
        assert {e["reason"] for e in waiting["productOrderErrorMessage"]} == {
            "SouthboundUnavailable"}
        until(lambda: any("circuit breaker open" in e["message"]
                          for e in order(late)["productOrderErrorMessage"]),
              "the breaker to open")
        assert order(early)["state"] == "inProgress"
        until(lambda: "SouthboundUnavailable" in (directory.status.last_error or ""),
              "the directory to notice the outage")

        crm.frozen = False
        crm.start()
        until(lambda: order(early)["state"] == order(late)["state"] == "completed",
              "both orders to complete")
        assert fulfilment.http.breaker_state == "closed"
        assert [r["orderRef"] for r in crm.received].count(early) == 1
        assert [r["orderRef"] for r in crm.received].count(late) == 1
        until(lambda: crm.accounts.get(renamed, {}).get("displayName") == "Ada 2",
              "the last rename to reach the CRM")
        assert crm.accounts[customer_id]["displayName"] == "Before the outage"
