"""The CRM away for a full minute mid-order, with the adapter's production timeouts and breaker
and the gateway's own background thread: clients never wait, nothing is lost, all completes."""

from __future__ import annotations

import time

import pytest
from legacy_crm import API_KEY, MAPPING

from tmf_gateway.app import create_app
from tmf_gateway.config import Settings

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
OUTAGE_SECONDS = 60.0
# A request that waited on the CRM would take its retries' backoff (0.4 s) on every call, or a
# timeout (2 s connect, 5 s read) on some: the median shows the first, the slowest the second.
# A single stall of the test process (a full garbage collection late in a long suite, a busy
# machine) stays well under the timeout, so it does not fail the test.
TYPICAL = 0.1  # the median API request while the CRM is away
SLOWEST = 2.0  # no API request waits as long as the adapter's connect timeout


@pytest.fixture
def app(tmp_path, crm):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'gw.db'}",
        background=True,  # the real runner thread, every 0.5 s
        southbound="legacy-rest",
        # production defaults: 2 s connect / 5 s read timeouts, 2 retries with backoff,
        # breaker opens after 5 failures and tries again after 30 s
        southbound_options={"base_url": crm.url, "mapping": str(MAPPING),
                            "headers": {"X-Api-Key": API_KEY}},
    )
    application = create_app(settings)
    yield application
    application.gateway.runner.stop()
    application.gateway.services["events"].close()
    application.gateway.southbound.fulfilment.close()
    application.gateway.store.close()


LATENCIES: list[tuple[float, str]] = []  # (seconds, request) of every API call in the test


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    LATENCIES.append((time.monotonic() - started, f"{call.__name__.upper()} {args[0]}"))
    assert response.status_code < 300, response.text
    return response.json()


def _assert_never_blocked() -> None:
    seconds = sorted(s for s, _ in LATENCIES)
    median, (slowest, request) = seconds[len(seconds) // 2], max(LATENCIES)
    assert median < TYPICAL, f"median API request took {median:.3f}s while the CRM was away"
    assert slowest < SLOWEST, f"{request} took {slowest:.2f}s while the CRM was away"


def _order(http, customer_id: str, sku: str) -> str:
    return _timed(http.post, f"{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": sku}}],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
    })["id"]


def _customer(http, name: str) -> str:
    return _timed(http.post, f"{CUSTOMERS}/customer", json={
        "name": name, "engagedParty": {"id": "p-1", "@referredType": "Individual"}})["id"]


def _wait(http, order_ids, state: str, seconds: float) -> dict[str, dict]:
    deadline = time.monotonic() + seconds
    while True:
        orders = {i: http.get(f"{ORDERS}/productOrder/{i}").json() for i in order_ids}
        if all(o["state"] == state for o in orders.values()) or time.monotonic() > deadline:
            return orders
        time.sleep(0.5)


@pytest.mark.slow
def test_a_one_minute_crm_outage_mid_order(app, crm):
    fulfilment = app.gateway.southbound.fulfilment
    crm.frozen = True  # the CRM takes orders but works on none yet: they stay mid-order
    with app.test_client() as http:
        customer_id = _customer(http, "Before the outage")
        early = _order(http, customer_id, "bb-100")
        assert _wait(http, [early], "inProgress", 10)[early]["state"] == "inProgress"

        crm.stop()
        LATENCIES.clear()
        down_since = time.monotonic()
        late = _order(http, customer_id, "bb-router")  # taken while the CRM is away
        renamed = _customer(http, "During the outage")
        calls = 0
        while time.monotonic() - down_since < OUTAGE_SECONDS:
            _timed(http.get, f"{ORDERS}/productOrder/{early}")
            _timed(http.get, f"{ORDERS}/productOrder", params={"limit": "5"})
            _timed(http.patch, f"{CUSTOMERS}/customer/{renamed}", json={"name": f"Ada {calls}"},
                   headers={"Content-Type": "application/merge-patch+json"})
            calls += 1
            time.sleep(0.5)
        _assert_never_blocked()

        waiting = http.get(f"{ORDERS}/productOrder/{late}").json()
        assert waiting["state"] == "acknowledged"
        assert waiting["fulfilment"]["submitted"] is False
        assert waiting["fulfilment"]["attempts"] >= 2  # retried, not given up
        assert {e["reason"] for e in waiting["productOrderErrorMessage"]} == {
            "SouthboundUnavailable"}
        assert any("circuit breaker open" in e["message"]
                   for e in waiting["productOrderErrorMessage"])
        assert http.get(f"{ORDERS}/productOrder/{early}").json()["state"] == "inProgress"
        directory = app.gateway.services["customer_directory"]
        assert "SouthboundUnavailable" in directory.status.last_error

        crm.frozen = False
        crm.start()
        # the breaker lets a trial call through at most 30 s (breaker_reset_seconds) later
        done = _wait(http, [early, late], "completed", 45)
        assert {i: o["state"] for i, o in done.items()} == {early: "completed",
                                                           late: "completed"}
        assert fulfilment.http.breaker_state == "closed"
        assert [r["orderRef"] for r in crm.received].count(early) == 1
        assert [r["orderRef"] for r in crm.received].count(late) == 1
        deadline = time.monotonic() + 10
        while crm.accounts.get(renamed, {}).get("displayName") != f"Ada {calls - 1}":
            assert time.monotonic() < deadline, crm.accounts.get(renamed)
            time.sleep(0.2)
        assert crm.accounts[customer_id]["displayName"] == "Before the outage"
