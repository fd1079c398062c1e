"""A TMF order end to end through the gateway, the legacy-rest adapter and the CRM; outages."""

from __future__ import annotations

import time

import pytest

from tmf_gateway.testing.gateway import create_customer, gateway_app, sqlite_in

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"


def _gateway(tmp_path, options):
    return gateway_app(
        catalog_unknown_offerings="pass", database_url=sqlite_in(tmp_path),
        southbound="legacy-rest",
        southbound_options=options,
        # retries back off as in production, on the fixture's short time scale (breaker 0.5 s)
        ordering={"submit_retry_base_seconds": 0.1, "submit_retry_max_seconds": 0.5},
    )


@pytest.fixture
def app(tmp_path, crm_options):
    with _gateway(tmp_path, crm_options) as application:
        yield application



def _customer(http) -> str:
    person = {"id": "p-1", "@referredType": "Individual"}
    return create_customer(http, "Ada", engagedParty=person)["id"]


def _order(http, customer_id: str, *skus: str) -> str:
    response = http.post(f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": str(n), "action": "add", "productOffering": {"id": sku}}
                             for n, sku in enumerate(skus, 1)],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
    })
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _get(http, order_id: str) -> dict:
    return http.get(f"{ORDERS}/productOrder/{order_id}").json()


def _run(app, times: int = 1) -> None:
    for _ in range(times):
        app.gateway.runner.run_pending(force=True)


def _run_until(app, condition, what: str, seconds: float = 15) -> None:
    """Run the background jobs until `condition()` holds (e.g. once the breaker lets a trial
    call through); fails naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        _run(app)
        if condition():
            return
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def test_an_order_completes_with_the_crm_driving_the_item_states(app, http, crm):
    customer_id = _customer(http)
    order_id = _order(http, customer_id, "bb-100", "bb-router")
    _run(app)
    assert crm.received[0]["orderRef"] == order_id
    assert crm.received[0]["account"] == {"accountRef": customer_id}
    assert [line["sku"] for line in crm.received[0]["lines"]] == ["bb-100", "bb-router"]
    _run(app, 3)
    order = _get(http, order_id)
    assert order["state"] == "completed"
    assert {i["state"] for i in order["productOrderItem"]} == {"completed"}


def test_a_failed_line_fails_its_item(app, http, crm):
    order_id = _order(http, _customer(http), "bb-fail")
    _run(app, 4)
    order = _get(http, order_id)
    assert order["productOrderItem"][0]["state"] == "failed"
    assert order["state"] == "failed"


def test_a_crm_outage_loses_nothing_and_the_order_completes_after_recovery(app, http, crm):
    customer_id = _customer(http)
    crm.stop()
    early = _order(http, customer_id, "bb-100")
    _run(app, 4)
    waiting = _get(http, early)
    assert waiting["state"] == "acknowledged"
    assert waiting["fulfilment"]["submitted"] is False
    assert waiting["productOrderErrorMessage"][0]["reason"] == "SouthboundUnavailable"
    assert app.gateway.southbound.fulfilment.http.breaker_state == "open"
    crm.start()
    _run_until(app, lambda: _get(http, early)["state"] == "inProgress", "the submission")
    assert app.gateway.southbound.fulfilment.http.breaker_state == "closed"
    crm.stop()  # mid-order: the CRM has it, and it is not finished
    _run(app, 4)
    assert _get(http, early)["state"] == "inProgress"
    crm.start()
    _run_until(app, lambda: _get(http, early)["state"] == "completed", "the completion")
    assert [r["orderRef"] for r in crm.received].count(early) == 1


def test_a_slow_crm_never_blocks_api_requests(app, http, crm):
    crm.fault, crm.slow_seconds = "slow", 1.0
    customer_id = _customer(http)
    calls = crm.requests
    order_id = _order(http, customer_id, "bb-100")
    assert crm.requests == calls  # the request did not call the CRM: nothing to wait on
    _run(app)  # the background submission times out and records the error
    order = _get(http, order_id)
    assert order["fulfilment"]["submitted"] is False
    assert "timed out" in order["productOrderErrorMessage"][0]["message"]
    crm.fault = None
    _run_until(app, lambda: _get(http, order_id)["state"] == "completed", "the completion")


def test_the_poll_cursor_survives_a_gateway_restart(tmp_path, crm_options, crm):
    with _gateway(tmp_path, crm_options) as first, first.test_client() as http:
        order_id = _order(http, _customer(http), "bb-100")
        _run(first)  # submitted, then one feed read: the CRM moved the line to WIP
        assert _get(http, order_id)["state"] == "inProgress"
        position = first.gateway.southbound.fulfilment.cursor
        assert position > 0

    with _gateway(tmp_path, crm_options) as restarted:
        reads_before = len(crm.feed_reads)
        _run(restarted)
        assert crm.feed_reads[reads_before] == position  # not the mapping's initial_cursor 0
        with restarted.test_client() as http:
            assert _get(http, order_id)["state"] == "completed"


def test_tmf629_customers_reach_the_crm_as_accounts_even_across_an_outage(app, http, crm):
    crm.stop()
    sync = app.gateway.services.customer_directory
    customer_id = _customer(http)
    patched = http.patch(f"{CUSTOMERS}/customer/{customer_id}", json={"name": "Ada L."},
                         headers={"Content-Type": "application/merge-patch+json"})
    assert patched.status_code == 200
    assert sync.status.last_error is None  # the requests did not try the CRM: nothing waited
    _run(app, 2)
    assert "SouthboundUnavailable" in sync.status.last_error
    crm.start()
    _run_until(app, lambda: crm.accounts.get(customer_id, {}).get("displayName") == "Ada L.",
               "the account to reach the CRM")
    assert crm.accounts[customer_id]["displayName"] == "Ada L."
    assert crm.accounts[customer_id]["holder"] == {"partyRef": "p-1", "kind": "PERSON"}
    assert sync.status.last_error is None
    entry = app.gateway.southbound.customer_directory.lookup(customer_id)
    assert entry.customer["name"] == "Ada L."


def _metric(http, name: str, **labels: str) -> float | None:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(http.get("/metrics").text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


def test_an_outage_shows_in_readiness_and_metrics_until_recovery(app, http, crm):
    customer_id = _customer(http)
    assert http.get("/health/ready").status_code == 200
    crm.stop()
    _order(http, customer_id, "bb-100")
    _run(app, 4)
    ready = http.get("/health/ready")
    assert ready.status_code == 503
    assert "southbound.fulfilment" in ready.json()["failing"]
    assert "circuit breaker open" in ready.json()["checks"]["southbound.fulfilment"]
    assert _metric(http, "tmf_gateway_adapter_circuit_open", capability="fulfilment",
                   state="open") == 1
    assert _metric(http, "tmf_gateway_adapter_calls_total", adapter="legacy-rest",
                   capability="fulfilment", method="submit", outcome="error") >= 1
    crm.start()
    time.sleep(0.6)  # breaker_reset_seconds
    _run(app)
    assert http.get("/health/ready").status_code == 200
    assert _metric(http, "tmf_gateway_adapter_circuit_open", capability="fulfilment",
                   state="closed") == 0


def test_the_crm_promise_becomes_the_expected_completion_date_and_follows_it(app, http, crm):
    """`submit.commitment` of the answer sets expectedCompletionDate; a moved promise on the
    feed (`updates.item.expected_completion`) moves it, with a note and an event."""
    crm.promise = "2031-05-01T10:00:00.000Z"
    order_id = _order(http, _customer(http), "bb-hold")
    crm.frozen = True
    _run(app)
    assert _get(http, order_id)["expectedCompletionDate"] == "2031-05-01T10:00:00.000Z"
    crm.orders[order_id]["promisedDate"] = "2031-06-01T10:00:00.000Z"
    crm.frozen = False
    _run(app, 2)
    order = _get(http, order_id)
    assert order["expectedCompletionDate"] == "2031-06-01T10:00:00.000Z"
    assert any("moved from 2031-05-01" in n["text"] for n in order["note"])
    with app.gateway.store.unit_of_work() as uow:
        events = [e.payload for e in uow.outbox_after(0, 100_000)
                  if e.event_type == "ProductOrderAttributeValueChangeEvent"
                  and e.resource_id == order_id]
    moved = [e["event"]["productOrder"]["expectedCompletionDate"] for e in events
             if "expectedCompletionDate" in e.get("fieldPath", "")]
    assert moved == ["2031-05-01T10:00:00.000Z", "2031-06-01T10:00:00.000Z"]
