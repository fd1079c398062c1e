"""/health/live and /health/ready: what a load balancer asks before sending traffic."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from sqlalchemy import text

from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.storage.postgresql import PostgresStore
from tmf_gateway.testing.gateway import gateway_app, sqlite_in


@pytest.fixture
def fresh_app(tmp_path):
    with ExitStack() as apps:

        def make(**settings):
            return apps.enter_context(gateway_app(database_url=sqlite_in(tmp_path), **settings))

        yield make


def test_live_answers_while_the_process_is_up(client):
    response = client.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "pass"})


def test_ready_checks_store_schema_adapters_and_dispatcher(client):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "pass"
    assert {"store", "migrations", "dispatcher", "southbound.fulfilment",
            "southbound.feasibility", "southbound.customer_directory"} <= set(body["checks"])
    assert set(body["checks"].values()) == {"ok"}


def test_ready_names_a_schema_behind_head(fresh_app):
    app = fresh_app(background=False)
    with app.gateway.store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    with app.test_client() as http:
        response = http.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert "tmf-gateway migrate" in response.json()["checks"]["migrations"]


def test_ready_names_a_legacy_system_that_is_down(fresh_app):
    app = fresh_app(background=False)
    app.gateway.southbound.fulfilment.unavailable = True
    with app.test_client() as http:
        response = http.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["southbound.fulfilment"]
    assert "unavailable" in response.json()["checks"]["southbound.fulfilment"]


def test_ready_names_a_stopped_dispatcher_where_it_should_run(fresh_app):
    app = fresh_app(background=True)
    with app.test_client() as http:
        assert http.get("/health/ready").status_code == 200
        app.gateway.runner.stop()
        response = http.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["dispatcher"]


def test_ready_names_an_unreachable_store(fresh_app):
    app = fresh_app(background=False)
    resources = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]
    working = app.gateway.store
    # a database server nobody listens for (nothing is opened before the first use)
    app.gateway.store = PostgresStore.from_url("postgresql+psycopg://127.0.0.1:1/none", resources)
    try:
        with app.test_client() as http:
            response = http.get("/health/ready")
    finally:
        app.gateway.store.close()
        app.gateway.store = working
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations", "store"]
    assert response.json()["checks"]["store"].startswith("not reachable")
