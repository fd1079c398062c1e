"""Two gateway processes on one database: every order reaches the legacy system exactly once,
with its id as the idempotency key (a claim in the store decides which process submits)."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import requests
from gateway_process import gateway_process
from legacy_crm import API_KEY, MAPPING
from tests.pg import fresh_schema

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
ORDER_COUNT = 40


def _order(base: str, customer_id: str, n: int) -> str:
    response = requests.post(f"{base}{ORDERS}/productOrder", json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": f"bb-{n}"}}],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer", "role": "Customer"}],
    }, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """The store settings of both processes: one SQLite file, or one PostgreSQL schema."""
    if request.param == "sqlite":
        yield {"store": "sqlite", "database_url": f"sqlite:///{tmp_path / 'gw.db'}"}
        return
    with fresh_schema() as url:
        yield {"store": "postgresql", "database_url": url}


def test_each_order_is_submitted_once_by_two_processes(tmp_path, crm, store):
    settings = {
        **store,
        "southbound": "legacy-rest",
        "catalog_unknown_offerings": "pass",  # the legacy system knows its SKUs (bb-<n>)
        "southbound_options": {"base_url": crm.url, "mapping": str(MAPPING),
                               "headers": {"X-Api-Key": API_KEY}},
        "ordering": {"poll_interval_seconds": 0.02},  # both look for new orders all the time
    }
    with ExitStack() as stack:
        bases = [stack.enter_context(gateway_process(tmp_path, f"gw{n}", **settings))
                 for n in range(2)]
        customer = requests.post(f"{bases[0]}{CUSTOMERS}/customer", json={
            "name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}},
            timeout=10).json()["id"]
        with ThreadPoolExecutor(4) as pool:
            orders = list(pool.map(lambda n: _order(bases[n % 2], customer, n),
                                   range(ORDER_COUNT)))
        deadline = time.monotonic() + 30
        while {body["orderRef"] for body in list(crm.received)} != set(orders):
            assert time.monotonic() < deadline, "not every order reached the legacy system"
            time.sleep(0.1)
        time.sleep(1.0)  # a second submission would come now, if at all
    submitted = Counter(body["orderRef"] for body in crm.received)
    assert max(submitted.values()) == 1, submitted.most_common(3)
    assert sorted(key or "" for key in crm.idempotency_keys) == sorted(orders)
