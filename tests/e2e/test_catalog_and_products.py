"""The product catalog decides what can be ordered, completed items become the customer's
products, and only active products make a fault a customer's problem (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.v4client import CUSTOMERS, MERGE, ORDERS, TICKETS, app_on, run_jobs
from tmf_gateway.testing.gateway import create_customer

FAULTS = "/tmf-gateway/v1/faultNotification"


def place_order(http, customer_id, *items, **extra):
    body = {"productOrderItem": list(items), **extra}
    if customer_id:
        body["relatedParty"] = [{"id": customer_id, "@referredType": "Customer",
                                 "role": "Customer"}]
    response = http.post(f"{ORDERS}/productOrder", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def add(offering="fibre-1g", item_id="1", **product):
    item = {"id": item_id, "action": "add", "productOffering": {"id": offering}}
    if product:
        item["product"] = product
    return item


def order(http, order_id):
    response = http.get(f"{ORDERS}/productOrder/{order_id}")
    assert response.status_code == 200, response.text
    return response.json()


def owned(http, customer_id):
    response = http.get(f"{CUSTOMERS}/customer/{customer_id}/product")
    assert response.status_code == 200, response.text
    return response.json()


def test_offerings_the_catalog_lacks_or_no_longer_sells_reject_the_order(http):
    unknown = place_order(http, None, add("no-such-offering"))
    assert unknown["state"] == "rejected"
    assert "offering 'no-such-offering' is not in the catalog" in (
        unknown["stateChange"][-1]["changeReason"])
    retired = place_order(http, None, add("adsl-8m"))
    assert retired["state"] == "rejected"
    assert "'adsl-8m' is no longer sold" in retired["stateChange"][-1]["changeReason"]
    wrong = place_order(http, None, add(productCharacteristic=[{"name": "colour", "value": "red"}]))
    assert wrong["state"] == "rejected"
    assert "has no characteristic 'colour'" in wrong["stateChange"][-1]["changeReason"]


@pytest.mark.parametrize("quantity", [-5, 0])
def test_a_quantity_below_one_is_a_bad_request(http, quantity):
    body = {"productOrderItem": [{**add(), "quantity": quantity}]}
    response = http.post(f"{ORDERS}/productOrder", json=body)
    assert response.status_code == 400, response.text
    assert "'quantity'" in response.json()["message"]
    assert http.post(f"{ORDERS}/productOrder",
                     json={"productOrderItem": [{**add(), "quantity": 3}]}).status_code == 201


def test_completion_creates_modifies_and_terminates_the_customers_products(app, http):
    customer = create_customer(http)["id"]
    resource = f"olt-{uuid.uuid4().hex[:6]}"
    first = place_order(http, customer, add(realizingResource=[{"id": resource}],
                                            productCharacteristic=[{"name": "speed",
                                                                    "value": "1G"}]))
    assert owned(http, customer) == []
    run_jobs(app)
    assert order(http, first["id"])["state"] == "completed"
    [product] = owned(http, customer)
    assert product["status"] == "active"
    assert product["productOffering"] == {"id": "fibre-1g", "name": "Fibre 1 Gbit/s"}
    assert product["relatedParty"][0]["id"] == customer
    assert product["realizingResource"] == [{"id": resource}]
    assert product["productOrderItem"][0]["productOrderId"] == first["id"]

    change = {"id": "1", "action": "modify",
              "product": {"id": product["id"],
                          "productCharacteristic": [{"name": "speed", "value": "2G"}]}}
    run_jobs(app, 1)
    modified = place_order(http, customer, change)
    run_jobs(app)
    assert order(http, modified["id"])["state"] == "completed"
    [product] = owned(http, customer)
    assert product["productCharacteristic"] == [{"name": "speed", "value": "2G"}]
    assert product["status"] == "active"

    ended = place_order(http, customer, {"id": "1", "action": "delete",
                                         "product": {"id": product["id"]}})
    run_jobs(app)
    assert order(http, ended["id"])["state"] == "completed"
    [product] = owned(http, customer)
    assert product["status"] == "terminated" and product["terminationDate"]


def test_changing_a_product_the_customer_does_not_own_leaves_the_order_pending(app, http):
    alice, bob = create_customer(http)["id"], create_customer(http)["id"]
    place_order(http, alice, add())
    run_jobs(app)
    [alices] = owned(http, alice)
    for product_id in (alices["id"], "never-sold"):
        taken = place_order(http, bob, {"id": "1", "action": "delete",
                                        "product": {"id": product_id}})
        run_jobs(app)
        pending = order(http, taken["id"])
        assert pending["state"] == "pending"
        assert f"names no active product of the order's customer ('{product_id}')" in (
            pending["note"][-1]["text"])
    assert owned(http, alice)[0]["status"] == "active"


def test_unknown_customer_products_are_404(http):
    response = http.get(f"{CUSTOMERS}/customer/nobody/product")
    assert response.status_code == 404
    assert response.json()["code"]


def test_faults_reach_only_customers_with_an_active_product_on_the_resource(app, http):
    resource = f"olt-{uuid.uuid4().hex[:6]}"
    on = {"realizingResource": [{"id": resource}]}
    served, failed, cancelled, ended = (create_customer(http)["id"] for _ in range(4))
    place_order(http, served, add(**on))
    failing = place_order(http, failed, add("fibre-fail", **on))
    held = place_order(http, cancelled, add("fibre-hold", **on))
    place_order(http, ended, add(**on))
    run_jobs(app)
    task = http.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": held["id"]}})
    assert task.status_code == 201, task.text
    [gone] = owned(http, ended)
    place_order(http, ended, {"id": "1", "action": "delete", "product": {"id": gone["id"]}})
    run_jobs(app, 5)
    assert order(http, failing["id"])["state"] == "failed"
    assert order(http, held["id"])["state"] == "cancelled"

    served_order = order(http, owned(http, served)[0]["productOrderItem"][0]["productOrderId"])
    assert http.delete(f"{ORDERS}/productOrder/{served_order['id']}").status_code == 204
    answer = http.post(FAULTS, json={"faultId": f"F-{resource}", "resource": {"id": resource},
                                     "description": "OLT down", "severity": "Critical"})
    assert answer.status_code == 200, answer.text
    [created] = answer.json()["createdTicket"]
    ticket = http.get(f"{TICKETS}/troubleTicket/{created['id']}").json()
    assert ticket["relatedParty"][0]["id"] == served
    [product] = owned(http, served)
    entities = {(e["@referredType"], e["id"]) for e in ticket["relatedEntity"]}
    assert ("Product", product["id"]) in entities and ("Resource", resource) in entities
    assert ("ProductOrder", served_order["id"]) not in entities  # deleted since: not named


def test_a_customer_with_open_orders_tickets_or_active_products_is_not_deleted(app, http):
    customer = create_customer(http)["id"]
    held = place_order(http, customer, add("fibre-hold"))
    refused = http.delete(f"{CUSTOMERS}/customer/{customer}")
    assert refused.status_code == 409, refused.text
    assert f"open product orders {held['id']}" in refused.json()["message"]

    other = create_customer(http)["id"]
    place_order(http, other, add())
    run_jobs(app)
    [product] = owned(http, other)
    ticket = http.post(f"{TICKETS}/troubleTicket", json={
        "description": "slow", "severity": "Minor", "ticketType": "incident",
        "relatedParty": [{"id": other, "@referredType": "Customer"}]}).json()
    refused = http.delete(f"{CUSTOMERS}/customer/{other}")
    assert refused.status_code == 409
    message = refused.json()["message"]
    assert f"active products {product['id']}" in message
    assert f"open trouble tickets {ticket['id']}" in message

    free = create_customer(http)["id"]
    assert http.delete(f"{CUSTOMERS}/customer/{free}").status_code == 204
    assert http.get(f"{CUSTOMERS}/customer/{other}").status_code == 200


def test_a_ticket_names_only_the_customers_own_orders_and_products(app, http):
    alice, bob = create_customer(http)["id"], create_customer(http)["id"]
    alices_order = place_order(http, alice, add())
    run_jobs(app)
    [alices_product] = owned(http, alice)

    def ticket(customer, referred, entity_id):
        return http.post(f"{TICKETS}/troubleTicket", json={
            "description": "no service", "severity": "Major", "ticketType": "incident",
            "relatedParty": [{"id": customer, "@referredType": "Customer"}],
            "relatedEntity": [{"id": entity_id, "role": "affected",
                               "@referredType": referred}]})

    for referred, entity_id in (("ProductOrder", alices_order["id"]),
                                ("Product", alices_product["id"])):
        refused = ticket(bob, referred, entity_id)
        assert refused.status_code == 400, refused.text
        assert entity_id in refused.json()["message"]
        assert ticket(alice, referred, entity_id).status_code == 201
    assert ticket(alice, "Product", "no-such-product").status_code == 400


def test_pass_through_sends_unknown_offerings_on(tmp_path_factory):
    passing = app_on("sqlite", tmp_path_factory, catalog_unknown_offerings="pass")
    application = next(passing)
    try:
        with application.test_client() as client:
            created = place_order(client, None, add("partner-sku-77"))
            assert created["state"] == "acknowledged"
            run_jobs(application)
            assert order(client, created["id"])["state"] == "completed"
    finally:
        next(passing, None)


def test_rules_come_from_the_catalog_file_named_by_the_setting(tmp_path_factory, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("productOffering:\n"
                       "  - {id: home-broadband, name: Home, needsInstallAddress: true}\n"
                       "  - {id: fibre-install, name: No install address needed}\n")
    gateway = app_on("sqlite", tmp_path_factory, catalog_file=str(catalog))
    application = next(gateway)
    try:
        with application.test_client() as client:
            needs = place_order(client, None, add("home-broadband"))
            plain = place_order(client, None, add("fibre-install"))
            assert place_order(client, None, add("fibre-1g"))["state"] == "rejected"
            run_jobs(application)
            waiting = order(client, needs["id"])
            assert waiting["state"] == "pending"
            assert "install address for offering 'home-broadband'" in waiting["note"][-1]["text"]
            assert order(client, plain["id"])["state"] == "completed"
            fixed = client.patch(
                f"{ORDERS}/productOrder/{needs['id']}", headers=MERGE,
                json={"state": "inProgress", "productOrderItem": [
                    add("home-broadband", place=[{"id": "addr-1", "role": "installation"}])]})
            assert fixed.status_code == 200, fixed.text
            run_jobs(application)
            assert order(client, needs["id"])["state"] == "completed"
    finally:
        next(gateway, None)


def test_items_changed_while_pending_are_checked_against_the_catalog_too(app, http):
    waiting = place_order(http, None, {"id": "1", "action": "add"})
    run_jobs(app)
    assert order(http, waiting["id"])["state"] == "pending"
    refused = http.patch(f"{ORDERS}/productOrder/{waiting['id']}", headers=MERGE, json={
        "state": "inProgress", "productOrderItem": [add("no-such-offering")]})
    assert refused.status_code == 400, refused.text
    assert "'no-such-offering' is not in the catalog" in refused.json()["message"]
    kept = order(http, waiting["id"])
    assert kept["state"] == "pending" and "productOffering" not in kept["productOrderItem"][0]
