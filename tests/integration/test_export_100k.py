"""The issue's check: 100,000 customers exported in bounded memory, by the CLI with progress
shown, and over the API."""

from __future__ import annotations

import json
import time
import tracemalloc

import pytest

from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.bootstrap import open_store
from tmf_gateway.cli import main
from tmf_gateway.config import Settings
from tmf_gateway.security.storage import for_store
from tmf_gateway.storage.indexing import column_values
from tmf_gateway.testing.gateway import asgi_get, gateway_app

RESOURCES = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]
COUNT = 100_000
PEAK_LIMIT = 20 * 1024 * 1024  # the customers alone are ~30 MB as JSON
CONTACT = [{"mediumType": "email", "characteristic": {"emailAddress": "x@y.example"}},
           {"mediumType": "phone", "characteristic": {"phoneNumber": "+33 1 23 45 67 89"}}]


def _customer(n: int) -> dict:
    return {"id": f"c{n:06d}", "href": f"/c/c{n:06d}", "@type": "Customer",
            "name": f"Customer {n}", "status": "Approved", "contactMedium": CONTACT,
            "engagedParty": {"id": f"p{n}", "@referredType": "Individual"}}


def _seed(url: str) -> None:
    """One executemany per 10,000 rows: the service path (events, audit) would take minutes,
    and the export only reads the customer table."""
    store = open_store(Settings(database_url=url), RESOURCES)
    table, kind = store.tables["customer"], store.resources["customer"]
    with store.engine.begin() as conn:
        for start in range(0, COUNT, 10_000):
            docs = [_customer(n) for n in range(start, start + 10_000)]
            conn.execute(table.insert(), [
                {"id": d["id"], "version": 1, "doc": store.dialect.encode(d),
                 **column_values(kind, d)} for d in docs
            ])
    store.close()


@pytest.fixture(scope="module")
def inventory(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('export100k') / 'inventory.db'}"
    _seed(url)
    return url


@pytest.mark.slow
def test_export_of_100000_customers_in_bounded_memory_with_progress(
    inventory, tmp_path, monkeypatch, capsys
):
    url = inventory
    monkeypatch.setenv("TMF_GATEWAY_DATABASE_URL", url)
    out = tmp_path / "customers.jsonl"

    started = time.monotonic()
    tracemalloc.start()
    try:
        assert main(["export", "customers", "--format", "jsonl", "-o", str(out)]) == 0
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started

    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MiB exporting {COUNT} customers"
    with out.open() as handle:
        first = json.loads(handle.readline())
        lines = 1 + sum(1 for _ in handle)
    assert lines == COUNT and first == _customer(0)
    progress = capsys.readouterr().err
    steps = [s for s in progress.split("\r") if s.startswith("exported ")]
    assert len(steps) >= COUNT // 1000  # one update per thousand customers
    assert steps[-1].strip() == f"exported {COUNT} customers"
    store = open_store(Settings(database_url=url), RESOURCES)
    try:
        logged = [a for a in for_store(store).accesses() if a.operation == "exportCustomers"]
    finally:
        store.close()
    calls = [(a.status, a.bytes) for a in logged if a.customer_id is None]
    assert calls == [(200, out.stat().st_size)]
    assert sum(1 for a in logged if a.customer_id) == COUNT  # each customer counted once
    print(f"exported {COUNT} customers in {elapsed:.1f}s, peak {peak / 2**20:.1f} MiB")


@pytest.mark.slow
def test_export_over_the_api_streams_100000_customers_in_bounded_memory(inventory):
    """The ASGI app called directly, with a `send` that keeps nothing: what the gateway holds
    is all tracemalloc sees (each piece is sent before the next is read, under either app
    class)."""
    seen = {"status": 0, "lines": 0, "bytes": 0, "pieces": 0}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            seen["status"] = message["status"]
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            seen["lines"] += body.count(b"\n")
            seen["bytes"] += len(body)
            seen["pieces"] += 1

    # responses not validated: the validator would hold the whole body
    with gateway_app(database_url=inventory, validate_responses=False) as app:
        tracemalloc.start()
        try:
            asgi_get(app, "/tmf-gateway/v1/customerExport", b"", send)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert seen["status"] == 200 and seen["lines"] == COUNT
    assert seen["pieces"] > seen["bytes"] // (128 * 1024)  # streamed in ~64 KB pieces
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MiB streaming {COUNT} customers"
    print(f"streamed {seen['bytes']} bytes in {seen['pieces']} pieces, peak {peak / 2**20:.1f} MiB")
