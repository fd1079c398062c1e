"""One order, two systems: partner-delivered items go to the CRM (legacy-rest over real HTTP),
the rest to the simulator; the order's state follows from all its items."""

from __future__ import annotations

import pytest

from tmf_gateway.testing.gateway import create_customer, gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"


@pytest.fixture
def app(tmp_path, crm_options):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     southbound_options={"fulfilment": {"delay": 0},
                                         "legacy-rest": crm_options},
                     fulfilment_routes={"offerings": {"bb-partner-tv": "legacy-rest"},
                                        "partners": {"acme": "legacy-rest"}},
                     ordering={"submit_retry_base_seconds": 0.1,
                               "submit_retry_max_seconds": 0.5}) as application:
        yield application


def _order(http, *items):
    customer = create_customer(http, "Ada")
    response = http.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": list(items),
        "relatedParty": [{"id": customer["id"], "@referredType": "Customer",
                          "role": "Customer"}]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _item(item_id, offering, partner=None):
    item = {"id": item_id, "action": "add", "productOffering": {"id": offering}}
    if partner:
        item["product"] = {"relatedParty": [{"id": partner, "role": "Partner",
                                               "@referredType": "Organization"}]}
    return item


def _run(app, times=1):
    for _ in range(times):
        app.gateway.runner.run_pending(force=True)


def test_items_go_to_the_system_that_delivers_them_and_the_order_follows_all(app, crm):
    with app.test_client() as http:
        order_id = _order(http, _item("1", "fibre-1g"), _item("2", "bb-partner-tv"),
                          _item("3", "bb-router", partner="acme"))
        crm.frozen = True  # the partner has not started yet
        _run(app, 2)
        assert [line["lineNo"] for line in crm.received[0]["lines"]] == ["2", "3"]
        assert len(crm.received) == 1
        order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        states = {i["id"]: i["state"] for i in order["productOrderItem"]}
        assert states == {"1": "completed", "2": "acknowledged", "3": "acknowledged"}
        assert order["state"] == "inProgress"
        crm.frozen = False
        _run(app, 4)
        order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert order["state"] == "completed"
        assert {i["state"] for i in order["productOrderItem"]} == {"completed"}


def test_a_failed_partner_part_makes_the_order_partial(app, crm):
    with app.test_client() as http:
        order_id = _order(http, _item("1", "fibre-1g"), _item("2", "bb-fail", partner="acme"))
        _run(app, 5)
        order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert {i["id"]: i["state"] for i in order["productOrderItem"]} == {
            "1": "completed", "2": "failed"}
        assert order["state"] == "partial"


def test_a_partner_that_is_down_holds_the_whole_submission_and_nothing_is_lost(app, crm):
    with app.test_client() as http:
        crm.stop()
        order_id = _order(http, _item("1", "fibre-1g"), _item("2", "bb-partner-tv"))
        _run(app)
        waiting = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert waiting["state"] == "acknowledged"
        assert waiting["fulfilment"]["submitted"] is False
        crm.start()
        import time

        deadline = time.monotonic() + 15
        while http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] != "completed":
            assert time.monotonic() < deadline, "the order did not complete"
            _run(app)
            time.sleep(0.1)
        assert [r["orderRef"] for r in crm.received].count(order_id) == 1


def test_a_cancellation_goes_to_every_system_holding_a_part(app, crm):
    with app.test_client() as http:
        order_id = _order(http, _item("1", "fibre-hold"), _item("2", "bb-hold", partner="acme"))
        _run(app, 4)
        assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == "held"
        task = http.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": order_id}})
        assert task.status_code == 201, task.text
        _run(app, 2)
        order = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert order["state"] == "cancelled"
        assert {line["lineStatus"] for line in crm.orders[order_id]["lines"]} == {"CXL"}
        assert {i["state"] for i in order["productOrderItem"]} == {"cancelled"}


def test_a_partner_refusing_the_cancellation_refuses_it_for_the_order(app, crm):
    with app.test_client() as http:
        order_id = _order(http, _item("1", "fibre-hold"),
                          _item("2", "bb-hold-nocancel", partner="acme"))
        _run(app, 4)
        before = http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"]
        task = http.post(f"{ORDERS}/cancelProductOrder",
                         json={"productOrder": {"id": order_id}}).json()
        _run(app, 2)
        assert http.get(f"{ORDERS}/cancelProductOrder/{task['id']}").json()["state"] == (
            "terminatedWithError")
        assert http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"] == before
