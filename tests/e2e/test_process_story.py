"""docs/processes.md step by step against a real `tmf-gateway serve` with the defaults of
`make run` (example catalog, simulator, built-in product inventory, background jobs on)."""

from __future__ import annotations

import time

import requests

from tests.livesrv import serve

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"
TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket"
FAULTS = "/tmf-gateway/v1/faultNotification"


def settled(base: str, order_id: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while True:
        state = requests.get(f"{base}{ORDERS}/{order_id}", timeout=5).json()["state"]
        if state in ("completed", "failed", "rejected", "cancelled", "partial"):
            return state
        assert time.monotonic() < deadline, f"order {order_id} still {state}"
        time.sleep(0.2)


def order(base: str, customer: str, item: dict) -> str:
    response = requests.post(f"{base}{ORDERS}", timeout=5, json={
        "relatedParty": [{"id": customer, "@referredType": "Customer", "role": "Customer"}],
        "productOrderItem": [item]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_order_product_fault_ticket_story(tmp_path):
    with serve(tmp_path / "story.db") as base:
        def customer(name: str) -> str:
            response = requests.post(f"{base}{CUSTOMERS}", timeout=5, json={
                "name": name, "engagedParty": {"id": "p-1", "@referredType": "Individual"}})
            assert response.status_code == 201, response.text
            return response.json()["id"]

        ada, bob = customer("Ada Lovelace"), customer("Bob")
        on_olt = {"productCharacteristic": [{"name": "speed", "value": "1G"}],
                  "realizingResource": [{"id": "olt-lyon-3"}]}
        first = order(base, ada, {"id": "1", "action": "add", "quantity": 1,
                                  "productOffering": {"id": "fibre-1g"}, "product": on_olt})
        failing = order(base, bob, {"id": "1", "action": "add",
                                    "productOffering": {"id": "fibre-fail"}, "product": on_olt})
        unknown = requests.post(f"{base}{ORDERS}", timeout=5, json={"productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": "fibre-10g"}}]}).json()
        assert unknown["state"] == "rejected"
        negative = requests.post(f"{base}{ORDERS}", timeout=5, json={"productOrderItem": [
            {"id": "1", "action": "add", "quantity": -5, "productOffering": {"id": "fibre-1g"}}]})
        assert negative.status_code == 400

        assert settled(base, first) == "completed"
        assert settled(base, failing) == "failed"
        [product] = requests.get(f"{base}{CUSTOMERS}/{ada}/product", timeout=5).json()
        assert product["status"] == "active"
        assert product["realizingResource"] == [{"id": "olt-lyon-3"}]
        assert requests.get(f"{base}{CUSTOMERS}/{bob}/product", timeout=5).json() == []

        fault = requests.post(f"{base}{FAULTS}", timeout=5, json={
            "faultId": "F-1", "resource": {"id": "olt-lyon-3"}, "description": "OLT down",
            "severity": "Critical"}).json()
        [created] = fault["createdTicket"]
        ticket = requests.get(f"{base}{TICKETS}/{created['id']}", timeout=5).json()
        assert [p["id"] for p in ticket["relatedParty"]] == [ada]
        entities = {(e["@referredType"], e["id"]) for e in ticket["relatedEntity"]}
        assert {("Product", product["id"]), ("ProductOrder", first),
                ("Resource", "olt-lyon-3")} <= entities

        refused = requests.delete(f"{base}{CUSTOMERS}/{ada}", timeout=5)
        assert refused.status_code == 409
        assert created["id"] in refused.json()["message"]
        assert product["id"] in refused.json()["message"]

        ending = order(base, ada, {"id": "1", "action": "delete",
                                   "product": {"id": product["id"]}})
        assert settled(base, ending) == "completed"
        [ended] = requests.get(f"{base}{CUSTOMERS}/{ada}/product", timeout=5).json()
        assert ended["status"] == "terminated"
        again = requests.post(f"{base}{FAULTS}", timeout=5, json={
            "faultId": "F-2", "resource": {"id": "olt-lyon-3"}, "description": "down again",
            "severity": "Critical"}).json()
        assert again["createdTicket"] == [] and again["updatedTicket"] == []
