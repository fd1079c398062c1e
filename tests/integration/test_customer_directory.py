"""TMF629 customers pushed to the legacy customer directory (simulator) from the outbox: API
requests never wait for it, a down directory loses nothing, a refused record stalls nothing."""

from __future__ import annotations

import time

import pytest

from tmf_gateway.config import Settings
from tmf_gateway.services.directory import CURSOR
from tmf_gateway.testing.gateway import create_customer, gateway_app

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture
def app(tmp_path):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}") as application:
        yield application



def _create(http, name: str) -> str:
    return create_customer(http, name)["id"]


def test_created_and_changed_customers_reach_the_directory(app, http):
    directory = app.gateway.southbound.customer_directory
    customer_id = _create(http, "Ada")
    assert customer_id not in directory.records  # nothing happens inside the request
    app.gateway.runner.run_pending(force=True)
    assert directory.records[customer_id]["name"] == "Ada"
    legacy_id = directory.legacy_ids[customer_id]
    http.patch(f"{CUSTOMERS}/{customer_id}", json={"name": "Ada L."}, headers=MERGE)
    app.gateway.runner.run_pending(force=True)
    assert directory.records[customer_id]["name"] == "Ada L."
    assert directory.legacy_ids[customer_id] == legacy_id
    assert directory.lookup(legacy_id).customer["id"] == customer_id


def test_a_deleted_customer_is_removed_from_the_directory(app, http):
    directory = app.gateway.southbound.customer_directory
    sync = app.gateway.services.customer_directory
    kept, gone = _create(http, "Kept"), _create(http, "Gone")
    app.gateway.runner.run_pending(force=True)
    assert {kept, gone} <= directory.records.keys()
    directory.unavailable = True  # the deletion waits for the directory, it is not forgotten
    assert http.delete(f"{CUSTOMERS}/{gone}").status_code == 204
    app.gateway.runner.run_pending(force=True)
    assert gone in directory.records
    directory.unavailable = False
    app.gateway.runner.run_pending(force=True)
    assert gone not in directory.records and gone not in directory.legacy_ids
    assert kept in directory.records and sync.status.removed >= 1
    assert sync.backlog() == 0


def test_a_down_directory_blocks_no_request_and_loses_nothing(app, http):
    directory = app.gateway.southbound.customer_directory
    sync = app.gateway.services.customer_directory
    directory.unavailable = True
    started = time.monotonic()
    ids = [_create(http, f"Customer {n}") for n in range(3)]
    http.patch(f"{CUSTOMERS}/{ids[0]}", json={"name": "Renamed"}, headers=MERGE)
    assert time.monotonic() - started < 2
    for _ in range(3):
        app.gateway.runner.run_pending(force=True)
    assert directory.records == {}
    assert "SouthboundUnavailable" in sync.status.last_error
    assert sync.backlog() > 0
    directory.unavailable = False
    app.gateway.runner.run_pending(force=True)
    assert {k: v["name"] for k, v in directory.records.items()} == {
        ids[0]: "Renamed", ids[1]: "Customer 1", ids[2]: "Customer 2"}
    assert sync.status.last_error is None and sync.backlog() == 0


def test_a_refused_customer_does_not_stall_the_others(app, http):
    directory = app.gateway.southbound.customer_directory
    sync = app.gateway.services.customer_directory
    refused = _create(http, "Refused Ltd")
    accepted = _create(http, "Grace")
    app.gateway.runner.run_pending(force=True)
    assert refused not in directory.records and accepted in directory.records
    assert sync.status.rejected == 1


def test_the_push_position_survives_a_restart(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'gw.db'}", background=False)
    with gateway_app(settings) as first:
        with first.test_client() as http:
            pushed = _create(http, "Before restart")
        first.gateway.runner.run_pending(force=True)
        assert pushed in first.gateway.southbound.customer_directory.records
        with first.gateway.store.unit_of_work() as uow:
            position = uow.get_cursor(CURSOR)
        assert position > 0

    with gateway_app(settings) as restarted:
        with restarted.test_client() as http:
            later = _create(http, "After restart")
        restarted.gateway.runner.run_pending(force=True)
        # a fresh (in-memory) directory: only what came after the stored position is pushed
        assert set(restarted.gateway.southbound.customer_directory.records) == {later}


def test_other_events_do_not_slow_the_push_and_its_lag_is_shown(app, http):
    """Only Customer events are read, in batches until caught up: thousands of order events
    between two customers cost one round, and the admin backlog says how far behind it is."""
    from tmf_gateway.domain.resources import PRODUCT_ORDER
    from tmf_gateway.events.envelope import build_event

    directory = app.gateway.southbound.customer_directory
    directory.unavailable = True
    first = [_create(http, f"First {n}") for n in range(3)]
    with app.gateway.store.unit_of_work(write=True) as uow:
        for n in range(2000):  # a burst of another API's events
            event = build_event(PRODUCT_ORDER, "CreateEvent", {"id": f"o{n}"})
            uow.record_event(event, PRODUCT_ORDER.kind, f"o{n}")
    later = [_create(http, f"Later {n}") for n in range(2)]
    time.sleep(0.2)
    lag = http.get("/tmf-gateway/admin/v1/backlog").json()["customer_directory"]
    assert lag["behind"] == 5 and lag["lag_seconds"] >= 0.2
    directory.unavailable = False
    app.gateway.services.customer_directory.run()  # one round
    assert set(directory.records) == {*first, *later}
    assert http.get("/tmf-gateway/admin/v1/backlog").json()["customer_directory"] == {
        "behind": 0, "lag_seconds": 0.0}
