"""TMF622 over HTTP: the issue's "how it will be checked" list, with the simulator at zero delay."""

from __future__ import annotations

import time

import pytest

from tmf_gateway.config import Settings
from tmf_gateway.testing.gateway import create_customer, gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture(scope="module")
def app(app_class, tmp_path_factory):
    db = tmp_path_factory.mktemp("orders") / "orders.db"
    with gateway_app(database_url=f"sqlite:///{db}", app=app_class,
                     southbound_options={"fulfilment": {"delay": 0}}) as application:
        yield application



def run(app):
    app.gateway.runner.run_pending(force=True)


def customer(http) -> str:
    return create_customer(http, "Ada")["id"]


def order(http, customer_id, *offerings, **extra):
    body = {
        "productOrderItem": [
            {"id": str(n), "action": "add", "productOffering": {"id": o}}
            for n, o in enumerate(offerings, 1)
        ],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
        **extra,
    }
    return http.post(f"{ORDERS}/productOrder", json=body)


def state(http, order_id):
    return http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"]


def test_order_is_acknowledged_then_completed_and_customer_activated(app, http):
    cid = customer(http)
    created = order(http, cid, "fibre-1g", billingAccount={"id": "ba-7", "name": "Main"},
                    externalId="sales-42")
    assert created.status_code == 201
    doc = created.json()
    assert doc["state"] == "acknowledged" and doc["orderDate"]
    assert [i["state"] for i in doc["productOrderItem"]] == ["acknowledged"]
    run(app)
    done = http.get(f"{ORDERS}/productOrder/{doc['id']}").json()
    assert done["state"] == "completed" and done["completionDate"]
    history = [e["state"] for e in done["stateChange"] if "productOrderItemId" not in e]
    assert history == ["acknowledged", "inProgress", "completed"]
    cust = http.get(f"{CUSTOMERS}/customer/{cid}").json()
    assert cust["status"] == "Approved"
    assert cust["account"] == [{"id": "ba-7", "name": "Main", "@referredType": "BillingAccount"}]
    trail = app.gateway.services.resources.customer.audit_trail(cid)
    assert trail[-1].actor == "tmf-gateway/ordering"
    found = http.get(f"{ORDERS}/productOrder?externalId=sales-42").json()
    assert [o["id"] for o in found] == [doc["id"]]


def test_failing_and_mixed_orders(app, http):
    cid = customer(http)
    failing = order(http, cid, "fibre-fail").json()["id"]
    mixed = order(http, cid, "fibre-1g", "fibre-fail").json()["id"]
    run(app)
    assert state(http, failing) == "failed"
    assert state(http, mixed) == "partial"


def test_patching_an_acknowledged_order_to_completed_is_409(http):
    oid = order(http, customer(http), "fibre-1g").json()["id"]
    response = http.patch(f"{ORDERS}/productOrder/{oid}", json={"state": "completed"},
                          headers=MERGE)
    assert response.status_code == 409
    assert "allowed next states: inProgress, pending, rejected" in response.json()["message"]
    assert state(http, oid) == "acknowledged"


def test_cancelling_an_order_in_progress(app, http):
    oid = order(http, customer(http), "fibre-hold").json()["id"]
    run(app)
    assert state(http, oid) == "held"
    task = http.post(f"{ORDERS}/cancelProductOrder",
                     json={"productOrder": {"id": oid}, "cancellationReason": "moved"})
    assert task.status_code == 201 and task.json()["state"] == "acknowledged"
    assert state(http, oid) == "held"  # the order-cancel job assesses it
    run(app)
    cancelled = http.get(f"{ORDERS}/productOrder/{oid}").json()
    assert cancelled["state"] == "cancelled"
    assert cancelled["cancellationReason"] == "moved" and cancelled["cancellationDate"]
    assert http.get(f"{ORDERS}/cancelProductOrder/{task.json()['id']}").json()["state"] == "done"


def test_cancellation_refused_goes_back(app, http):
    oid = order(http, customer(http), "fibre-hold-nocancel").json()["id"]
    run(app)
    assert state(http, oid) == "held"
    task = http.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": oid}}).json()
    run(app)
    assert state(http, oid) == "held"
    got = http.get(f"{ORDERS}/cancelProductOrder/{task['id']}").json()
    assert got["state"] == "terminatedWithError"


def test_cancelling_a_final_order_is_409(app, http):
    oid = order(http, customer(http), "fibre-1g").json()["id"]
    run(app)
    response = http.post(f"{ORDERS}/cancelProductOrder", json={"productOrder": {"id": oid}})
    assert response.status_code == 409


def test_completeness_errors_are_400_and_store_nothing(http):
    before = int(http.get(f"{ORDERS}/productOrder?limit=1").headers["X-Total-Count"])
    dup = {"productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"}},
                                {"id": "1", "action": "add", "productOffering": {"id": "tv"}}]}
    response = http.post(f"{ORDERS}/productOrder", json=dup)
    assert response.status_code == 400
    assert "productOrderItem[1] (id '1'): 'id' is not unique" in response.json()["message"]
    unknown = order(http, "no-such-customer", "fibre-1g")
    assert unknown.status_code == 400 and "relatedParty[0]" in unknown.json()["message"]
    after = int(http.get(f"{ORDERS}/productOrder?limit=1").headers["X-Total-Count"])
    assert after == before


def test_missing_install_address_is_asked_for(app, http):
    oid = order(http, customer(http), "fibre-install").json()["id"]
    run(app)
    pending = http.get(f"{ORDERS}/productOrder/{oid}").json()
    assert pending["state"] == "pending" and "product.place" in pending["note"][-1]["text"]


def test_past_dates_store_a_rejected_order(http):
    response = order(http, customer(http), "fibre-1g", requestedStartDate="2001-01-01T00:00:00Z")
    assert response.status_code == 201
    assert response.json()["state"] == "rejected"
    assert "in the past" in response.json()["stateChange"][-1]["changeReason"]


def test_feasibility_special_handling(app, http):
    cid = customer(http)
    fine = order(http, cid, "fibre-feasibility").json()
    assert fine["fulfilment"]["specialHandling"] is True
    assert "special handling" in fine["note"][0]["text"]
    bad = order(http, cid, "fibre-feasibility-infeasible").json()
    run(app)
    assert state(http, fine["id"]) == "completed"
    assert state(http, bad["id"]) == "rejected"


def test_acceptance_waits_in_pending_then_completes(app, http):
    oid = order(http, customer(http), "tv-accept").json()["id"]
    run(app)
    assert state(http, oid) == "pending"
    refused = http.patch(f"{ORDERS}/productOrder/{oid}", json={"state": "inProgress"},
                         headers=MERGE)
    assert refused.status_code == 200 and refused.json()["state"] == "inProgress"
    run(app)
    assert state(http, oid) == "pending"
    accepted = http.patch(f"{ORDERS}/productOrder/{oid}", json={"state": "completed"},
                          headers=MERGE)
    assert accepted.status_code == 200 and accepted.json()["state"] == "completed"


def test_information_requested_then_supplied(app, http):
    oid = order(http, customer(http), "fibre-info").json()["id"]
    run(app)
    assert state(http, oid) == "pending"
    http.patch(f"{ORDERS}/productOrder/{oid}", json={"state": "inProgress"}, headers=MERGE)
    run(app)
    assert state(http, oid) == "completed"


def test_patchable_fields_depend_on_state(app, http):
    oid = order(http, customer(http), "fibre-hold").json()["id"]
    run(app)
    note = http.patch(f"{ORDERS}/productOrder/{oid}",
                      json={"note": [{"text": "call first"}]}, headers=MERGE)
    assert note.status_code == 200
    items = http.patch(f"{ORDERS}/productOrder/{oid}", json={"productOrderItem": [
        {"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"}}]}, headers=MERGE)
    assert items.status_code == 409


def test_filters_fields_and_paging(app, http):
    cid = customer(http)
    ids = [order(http, cid, "fibre-hold").json()["id"] for _ in range(3)]
    run(app)
    held = http.get(f"{ORDERS}/productOrder?relatedParty.id={cid}&state=held&fields=id,state")
    assert sorted(o["id"] for o in held.json()) == sorted(ids)
    assert all(set(o) == {"id", "state"} for o in held.json())
    page = http.get(f"{ORDERS}/productOrder?relatedParty.id={cid}&limit=2")
    assert page.headers["X-Total-Count"] == "3" and len(page.json()) == 2
    since = "orderDate.gt=2020-01-01T00:00:00Z"
    recent = http.get(f"{ORDERS}/productOrder?{since}&relatedParty.id={cid}")
    assert len(recent.json()) == 3


def test_jeopardy_flags_and_escalates(app, http):
    import datetime as dt

    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    oid = order(http, customer(http), "fibre-hold", requestedCompletionDate=soon).json()["id"]
    run(app)
    doc = http.get(f"{ORDERS}/productOrder/{oid}").json()
    assert doc["productOrderJeopardyAlert"][0]["jeopardyType"] == "approaching"
    assert doc["priority"] == "0"
    flagged = http.get(f"{ORDERS}/productOrder?productOrderJeopardyAlert.jeopardyType=approaching")
    assert oid in [o["id"] for o in flagged.json()]


def test_a_down_order_system_is_retried_with_backoff_not_flooded(tmp_path):
    """While the legacy system is down each order backs off, and a repeated error updates one
    entry instead of growing the order (and notifying listeners) every half second."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/backoff.db",
        background=False,
        southbound_options={"fulfilment": {"delay": 0, "unavailable": True}},
        ordering={"submit_retry_base_seconds": 0.4, "submit_retry_max_seconds": 0.8},
    )
    with gateway_app(settings) as application, application.test_client() as http:
        order_id = order(http, customer(http), "fibre-1g").json()["id"]
        for _ in range(5):  # back to back: only the first submission is due
            run(application)
        first = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert first["state"] == "acknowledged"
        assert first["fulfilment"]["attempts"] == 1
        assert [e["reason"] for e in first["productOrderErrorMessage"]] == [
            "SouthboundUnavailable"
        ]
        time.sleep(0.45)
        run(application)
        second = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert second["fulfilment"]["attempts"] == 2
        assert len(second["productOrderErrorMessage"]) == 1  # same error: refreshed
        error_at = second["productOrderErrorMessage"][0]["timestamp"]
        assert error_at > first["productOrderErrorMessage"][0]["timestamp"]
        assert second["fulfilment"]["retryAt"] > first["fulfilment"]["retryAt"]

        application.gateway.southbound.fulfilment.unavailable = False  # the system is back
        deadline = time.monotonic() + 5
        while state(http, order_id) != "completed" and time.monotonic() < deadline:
            time.sleep(0.1)
            run(application)
        done = http.get(f"{ORDERS}/productOrder/{order_id}").json()
        assert done["state"] == "completed"
        assert "retryAt" not in done["fulfilment"]
