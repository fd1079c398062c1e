"""Prometheus metrics at /metrics: what an operator graphs and alerts on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tmf_gateway.testing.gateway import gateway_app, sqlite_in

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"
HUB = "/tmf-api/customerManagement/v4/hub"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with gateway_app(database_url=sqlite_in(tmp_path_factory.mktemp("metrics")),
                     delivery_max_attempts=1,
                     southbound_options={"fulfilment": {"delay": 0}}) as application:
        yield application



def samples(http) -> dict[tuple[str, tuple], float]:
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text) for s in family.samples
    }


def value(found, name, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def _customer(http) -> str:
    body = {"name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
    return http.post(CUSTOMERS, json=body).json()["id"]


def test_requests_by_api_operation_and_status_with_latency(http):
    before = samples(http)
    _customer(http)
    http.get(f"{CUSTOMERS}/missing")
    after = samples(http)
    api = "/tmf-api/customerManagement/v4"
    created = dict(api=api, operation="createCustomer", status="201")
    missing = dict(api=api, operation="retrieveCustomer", status="404")
    for labels in (created, missing):
        grown = value(after, "tmf_gateway_requests_total", **labels) - value(
            before, "tmf_gateway_requests_total", **labels)
        assert grown == 1, labels
    count = dict(api=api, operation="createCustomer")
    assert value(after, "tmf_gateway_request_duration_seconds_count", **count) == value(
        before, "tmf_gateway_request_duration_seconds_count", **count) + 1
    assert value(after, "tmf_gateway_request_duration_seconds_bucket", le="+Inf", **count) >= 1


def test_outbox_deliveries_and_parked_events(app, http):
    # a listener nobody serves: its one allowed attempt fails and the event is parked
    http.post(HUB, json={"callback": "http://127.0.0.1:9/listener",
                         "query": "eventType=CustomerCreateEvent"})
    _customer(http)
    waiting = samples(http)
    assert value(waiting, "tmf_gateway_outbox_depth") >= 1
    assert value(waiting, "tmf_gateway_outbox_oldest_age_seconds") >= 0
    app.gateway.services.events.run_until_idle(timeout=30)
    done = samples(http)
    assert value(done, "tmf_gateway_outbox_depth") == 0
    assert value(done, "tmf_gateway_outbox_oldest_age_seconds") == 0
    assert value(done, "tmf_gateway_deliveries", status="parked") >= 1
    assert value(done, "tmf_gateway_parked_events") == value(
        done, "tmf_gateway_deliveries", status="parked")


def test_orders_by_state_in_jeopardy_and_adapter_calls(app, http):
    customer_id = _customer(http)
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    body = {
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "hold-1"}}],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
        "requestedCompletionDate": soon,
    }
    assert http.post(ORDERS, json=body).status_code == 201
    before = samples(http)
    assert value(before, "tmf_gateway_orders", state="acknowledged") >= 1
    for _ in range(3):
        app.gateway.runner.run_pending(force=True)
    after = samples(http)
    assert value(after, "tmf_gateway_orders", state="held") >= 1
    assert value(after, "tmf_gateway_orders_in_jeopardy") >= 1
    submitted = dict(adapter="simulator", capability="fulfilment", method="submit", outcome="ok")
    assert value(after, "tmf_gateway_adapter_calls_total", **submitted) >= 1
    assert value(after, "tmf_gateway_adapter_call_duration_seconds_count", adapter="simulator",
                 capability="fulfilment", method="submit") >= 1


def test_adapter_failures_are_counted_as_errors(app, http):
    fulfilment = app.gateway.southbound.fulfilment
    fulfilment.unavailable = True
    try:
        with pytest.raises(Exception, match="unavailable"):
            fulfilment.poll_updates()
    finally:
        fulfilment.unavailable = False
    failed = dict(adapter="simulator", capability="fulfilment", method="poll_updates",
                  outcome="error")
    assert value(samples(http), "tmf_gateway_adapter_calls_total", **failed) >= 1
