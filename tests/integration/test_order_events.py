"""TMF622 listeners: an order's state changes arrive in order, filtered by the hub query."""

from __future__ import annotations

import pytest

from tests.integration.listeners import Listener
from tmf_gateway.testing.gateway import create_customer, gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("order-events") / "orders.db"
    with gateway_app(database_url=f"sqlite:///{db}",
                     southbound_options={"fulfilment": {"delay": 0}}) as application:
        yield application


def test_state_change_listener_gets_exactly_the_order_state_changes_in_order(app):
    states, completed, customers = Listener().start(), Listener().start(), Listener().start()
    try:
        with app.test_client() as http:
            for listener, query in (
                (states, "eventType=ProductOrderStateChangeEvent"),
                (completed, "eventType=ProductOrderStateChangeEvent"
                            "&event.productOrder.state=completed"),
            ):
                subscription = {"callback": listener.url, "query": query}
                response = http.post(f"{ORDERS}/hub", json=subscription)
                assert response.status_code == 201, response.text
            listen = http.post(f"{CUSTOMERS}/hub", json={"callback": customers.url})
            assert listen.status_code == 201
            refused = http.post(f"{ORDERS}/hub", json={
                "callback": states.url, "query": "event.productOrder.colour=red"})
            assert refused.status_code == 400
            cid = create_customer(http, "Ada")["id"]
            created = http.post(f"{ORDERS}/productOrder", json={
                "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "tv"}}],
                "relatedParty": [{"id": cid, "@referredType": "Customer", "role": "Customer"}],
            })
            assert created.status_code == 201, created.text
            order_id = created.json()["id"]
            for _ in range(5):
                app.gateway.runner.run_pending(force=True)
            assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == "completed"
        app.gateway.services.events.run_until_idle()
        assert set(states.event_types()) == {"ProductOrderStateChangeEvent"}
        orders = [e["event"]["productOrder"] for e in states.received]
        assert {o["id"] for o in orders} == {order_id}
        assert [o["state"] for o in orders] == ["inProgress", "completed"]
        assert all(e["fieldPath"] == "state" and e["eventId"] for e in states.received)
        assert [e["event"]["productOrder"]["state"] for e in completed.received] == ["completed"]
        assert completed.received[0]["eventId"] == states.received[-1]["eventId"]
        # the customer hub hears about customers only, never about orders
        assert all("customer" in e["event"] for e in customers.received)
    finally:
        for listener in (states, completed, customers):
            listener.stop()
