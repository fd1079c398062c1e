"""The catalog read from a TMF620 server and the products kept by a TMF637 server: real loopback
HTTP servers, the gateway driven over HTTP."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.v4client import CUSTOMERS, ORDERS, app_on, run_jobs
from tests.tmfservers import CATALOG_ROOT, INVENTORY_ROOT, tmf_server
from tmf_gateway.testing.gateway import create_customer

FAULTS = "/tmf-gateway/v1/faultNotification"
OFFERINGS = {  # TMF620 ProductOffering bodies (v4 attribute names) and the gateway's extension
    "fibre-1g": {"id": "fibre-1g", "name": "Fibre 1G", "lifecycleStatus": "Launched",
                 "isSellable": True, "@type": "ProductOffering",
                 "productOfferingPrice": [{"id": "pop-1", "name": "monthly"}],
                 "prodSpecCharValueUse": [{"name": "speed"}]},
    "home-install": {"id": "home-install", "name": "Home", "lifecycleStatus": "Launched",
                     "@type": "GatewayProductOffering", "needsInstallAddress": True},
    "old-dsl": {"id": "old-dsl", "name": "DSL", "lifecycleStatus": "Retired"},
}


@pytest.fixture(scope="module")
def servers():
    with tmf_server() as server:
        server.offerings.update(OFFERINGS)
        yield server


@pytest.fixture(scope="module")
def app(servers, tmp_path_factory):
    yield from app_on("sqlite", tmp_path_factory, catalog="tmf620",
                      catalog_url=servers.base + CATALOG_ROOT, product_inventory="tmf637",
                      product_inventory_url=servers.base + INVENTORY_ROOT)



def place(http, customer_id, offering, **product):
    item = {"id": "1", "action": "add", "productOffering": {"id": offering}}
    if product:
        item["product"] = product
    body = {"productOrderItem": [item],
            "relatedParty": [{"id": customer_id, "@referredType": "Customer"}]}
    return http.post(f"{ORDERS}/productOrder", json=body)


def state(http, order_id):
    return http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"]


def test_the_tmf620_catalog_decides_what_is_sold_and_what_it_needs(app, http):
    customer = create_customer(http)["id"]
    for offering, why in (("nope", "not in the catalog"), ("old-dsl", "no longer sold")):
        refused = place(http, customer, offering).json()
        assert refused["state"] == "rejected" and why in refused["stateChange"][-1]["changeReason"]
    wrong = place(http, customer, "fibre-1g",
                  productCharacteristic=[{"name": "colour", "value": "red"}]).json()
    assert wrong["state"] == "rejected"
    needs = place(http, customer, "home-install").json()
    run_jobs(app)
    assert state(http, needs["id"]) == "pending"


def test_completed_items_become_products_on_the_tmf637_server(app, http, servers):
    customer = create_customer(http)["id"]
    resource = f"olt-{uuid.uuid4().hex[:6]}"
    created = place(http, customer, "fibre-1g", realizingResource=[{"id": resource}]).json()
    run_jobs(app)
    assert state(http, created["id"]) == "completed"
    [product] = [p for p in servers.products.values()
                 if p["relatedParty"][0]["id"] == customer]
    assert product["status"] == "active" and product["productOffering"]["name"] == "Fibre 1G"
    listed = http.get(f"{CUSTOMERS}/customer/{customer}/product").json()
    assert [p["id"] for p in listed] == [product["id"]]

    fault = http.post(FAULTS, json={"resource": {"id": resource}, "description": "down",
                                    "severity": "Major"}).json()
    assert len(fault["createdTicket"]) == 1

    ended = http.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "delete", "product": {"id": product["id"]}}],
        "relatedParty": [{"id": customer, "@referredType": "Customer"}]}).json()
    run_jobs(app)
    assert state(http, ended["id"]) == "completed"
    assert servers.products[product["id"]]["status"] == "terminated"


def test_a_down_catalog_stores_nothing_and_a_down_inventory_delays_completion(
    app, http, servers
):
    customer = create_customer(http)["id"]
    servers.down = {CATALOG_ROOT}
    try:
        refused = place(http, customer, "fibre-1g")
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"]
    finally:
        servers.down = set()
    listed = http.get(f"{ORDERS}/productOrder", params={
        "relatedParty.id": customer}).json()
    assert listed == []

    created = place(http, customer, "fibre-1g").json()
    servers.down = {INVENTORY_ROOT}
    try:
        run_jobs(app)
        assert state(http, created["id"]) == "inProgress"  # not completed without its product
    finally:
        servers.down = set()
    run_jobs(app)
    assert state(http, created["id"]) == "completed"
    assert any(p["relatedParty"][0]["id"] == customer for p in servers.products.values())


def test_readiness_names_a_down_catalog_or_inventory(http, servers):
    assert http.get("/health/ready").status_code == 200
    for root, name in ((CATALOG_ROOT, "catalog"), (INVENTORY_ROOT, "product_inventory")):
        servers.down = {root}
        try:
            answer = http.get("/health/ready")
        finally:
            servers.down = set()
        assert answer.status_code == 503, answer.text
        assert answer.json()["failing"] == [name]
