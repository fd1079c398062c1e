"""Access to customer records is logged with security off too (`anonymous@<address>`), and a
list or an export counts one access for every customer it returns (over real HTTP)."""

from __future__ import annotations

import httpx
import pytest

from tmf_gateway.testing.gateway import create_customer, gateway_app, live_server

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
EXPORT = "/tmf-gateway/v1/customerExport"


@pytest.fixture
def app(tmp_path):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}") as application:
        yield application


def log_of(app):
    return list(app.gateway.services.security.store.accesses())


def test_reads_lists_and_exports_are_logged_per_customer_with_security_off(app):
    with app.test_client() as client:
        ids = [create_customer(client, f"C{n}")["id"] for n in range(3)]
    before = len(log_of(app))
    with live_server(app) as url, httpx.Client(base_url=url) as http:
        assert http.get(f"{CUSTOMERS}/{ids[0]}").status_code == 200
        assert len(http.get(CUSTOMERS, params={"limit": 2}).json()) == 2
        exported = http.get(EXPORT, params={"format": "jsonl"})
        assert exported.status_code == 200 and len(exported.text.splitlines()) == 3
    new = log_of(app)[before:]
    assert {e.client for e in new} == {"anonymous@127.0.0.1"}
    retrieve = [e for e in new if e.operation == "retrieveCustomer"]
    assert [(e.customer_id, e.status) for e in retrieve] == [(ids[0], 200)]
    listed = [e.customer_id for e in new if e.operation == "listCustomer" and e.customer_id]
    assert len(listed) == 2 and set(listed) <= set(ids)
    assert any(e.operation == "listCustomer" and e.customer_id is None and e.bytes > 0
               for e in new)
    exported_ids = [e.customer_id for e in new
                    if e.operation == "exportCustomers" and e.customer_id]
    assert sorted(exported_ids) == sorted(ids)


def test_a_refused_read_is_logged_too(app):
    with live_server(app) as url, httpx.Client(base_url=url) as http:
        assert http.get(f"{CUSTOMERS}/nobody").status_code == 404
    last = log_of(app)[-1]
    assert (last.client, last.operation, last.customer_id, last.status) == (
        "anonymous@127.0.0.1", "retrieveCustomer", "nobody", 404)
