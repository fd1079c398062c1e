"""One suite for every ports.ProductInventory: the built-in on each store (memory, SQLite,
PostgreSQL) and the TMF637 adapter against a loopback TMF637 server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.pg import fresh_schema
from tests.tmfservers import INVENTORY_ROOT, tmf_server
from tmf_gateway.domain.resources import PRODUCT
from tmf_gateway.products.stored import StoredInventory
from tmf_gateway.products.tmf637 import Tmf637Inventory
from tmf_gateway.storage.memory import MemoryStore
from tmf_gateway.storage.sqlite import SqliteStore

KINDS = ["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres), "tmf637"]


@pytest.fixture(params=KINDS)
def inventory(request, tmp_path) -> Iterator[Any]:
    if request.param == "tmf637":
        with tmf_server() as server:
            adapter = Tmf637Inventory(server.base + INVENTORY_ROOT)
            yield adapter
            adapter.close()
        return
    if request.param == "postgresql":
        from tmf_gateway.storage.postgresql import PostgresStore

        with fresh_schema() as url:
            store = PostgresStore(url, [PRODUCT])
            yield StoredInventory(store)
            store.close()
        return
    store = (MemoryStore([PRODUCT]) if request.param == "memory"
             else SqliteStore(f"sqlite:///{tmp_path}/inv.db", [PRODUCT]))
    yield StoredInventory(store)
    store.close()


def product(customer: str, resource: str, status: str = "active", **extra: Any) -> dict:
    return {"id": uuid.uuid4().hex, "name": "Fibre", "status": status, "@type": "Product",
            "productOffering": {"id": "fibre-1g"}, "realizingResource": [{"id": resource}],
            "relatedParty": [{"id": customer, "role": "Customer",
                              "@referredType": "Customer"}], **extra}


def test_saved_products_are_read_back_by_id_and_by_customer(inventory):
    first, second, other = product("ada", "r1"), product("ada", "r2"), product("bob", "r1")
    inventory.save([first, second, other])
    assert inventory.product(first["id"])["realizingResource"] == [{"id": "r1"}]
    assert inventory.product("nope") is None
    assert [p["id"] for p in inventory.products_of("ada")] == [first["id"], second["id"]]
    assert inventory.products_of("carol") == []


def test_saving_again_replaces_and_never_duplicates(inventory):
    doc = product("ada", "r1")
    inventory.save([doc])
    inventory.save([{**doc, "status": "terminated", "terminationDate": "2030-01-01T00:00:00Z"}])
    [kept] = inventory.products_of("ada")
    assert kept["status"] == "terminated" and kept["terminationDate"]


def test_a_fault_touches_only_active_products(inventory):
    live, ended = product("ada", "olt-1"), product("bob", "olt-1", status="terminated")
    elsewhere = product("carol", "olt-2")
    inventory.save([live, ended, elsewhere])
    assert [p["id"] for p in inventory.products_using("resource", "olt-1")] == [live["id"]]
    assert [p["id"] for p in inventory.products_using("product", live["id"])] == [live["id"]]
    assert {p["id"] for p in inventory.products_using("productOffering", "fibre-1g")} == {
        live["id"], elsewhere["id"]}
    assert inventory.products_using("resource", "olt-9") == []
    assert inventory.products_using("service", "x") == []
