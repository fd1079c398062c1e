"""A fresh, filled store for the load benchmark: customers and product orders, loaded in bulk.

SQLite gets a file in a temporary directory; PostgreSQL a new schema that `drop` removes. Rows
go straight into the tables (many per statement) with the same indexed columns the gateway
writes, so a million orders load in about a minute; progress goes to stderr.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tmf_gateway.domain.resources import CUSTOMER, PRODUCT_ORDER, ResourceType
from tmf_gateway.storage.indexing import column_values

CUSTOMERS = "/tmf-api/customerManagement/v4"
STATES = ("acknowledged", "inProgress", "completed", "failed", "held")
BATCH = 5000


@dataclass
class Database:
    store: str  # the storage plugin's name
    url: str
    drop: Callable[[], None]


@dataclass
class Seeded:
    customer_id: str  # an Approved customer: orders and tickets may name it
    order_id: str  # an acknowledged order, open to PATCH
    external_id: str  # shared by ten orders: the indexed list filter


def fresh_database(store: str, workdir: Path, pg_url: str) -> Database:
    if store == "sqlite":
        return Database(store, f"sqlite:///{workdir}/bench.db", lambda: None)
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return Database(store, f"{pg_url}?options=-csearch_path%3D{schema}", drop)


def customer(n: int) -> dict[str, Any]:
    cid = f"cu-{n:08d}"
    return {
        "id": cid,
        "href": f"http://127.0.0.1{CUSTOMERS}/customer/{cid}",
        "@type": "Customer",
        "name": f"seed-{n}",
        "status": "Approved" if n % 10 == 0 else "Created",
        "engagedParty": {"id": f"party-{n}", "@referredType": "Organization"},
    }


def order(n: int) -> dict[str, Any]:
    oid = f"po-{n:08d}"
    return {
        "id": oid,
        "href": f"http://127.0.0.1/tmf-api/productOrderingManagement/v4/productOrder/{oid}",
        "@type": "ProductOrder",
        "externalId": f"ext-{n // 10}",
        "state": STATES[n % len(STATES)],
        "orderDate": f"20{20 + n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00Z",
        "priority": str(n % 5),
        "relatedParty": [
            {"id": f"cu-{n // 10:08d}", "role": "Customer", "@referredType": "Customer"}
        ],
        "billingAccount": {"id": f"ba-{n % 1000}"},
        "productOrderItem": [
            {
                "id": "1",
                "action": "add",
                "quantity": 1,
                "state": "acknowledged",
                "productOffering": {"id": "fibre-1g"},
            }
        ],
    }


def bulk_load(
    store: Any, resource: ResourceType, make: Callable[[int], dict], start: int, stop: int
) -> None:
    """Insert documents start..stop-1 of a kind, BATCH rows per statement."""
    table = store.tables[resource.kind]
    began = time.monotonic()
    for first in range(start, stop, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, stop)):
            doc = make(n)
            row = {"id": doc["id"], "version": 1, "doc": store.dialect.encode(doc)}
            rows.append(row | column_values(resource, doc))
        with store.engine.begin() as conn:
            conn.execute(table.insert(), rows)
        done = min(first + BATCH, stop)
        if done % 100_000 == 0 or done == stop:
            rate = (done - start) / max(time.monotonic() - began, 1e-9)
            print(
                f"  loaded {done:,}/{stop:,} {resource.kind} rows ({rate:,.0f}/s)",
                file=sys.stderr,
                flush=True,
            )


def seed(database: Database, customers: int, orders: int) -> Seeded:
    """Create the schema (through the gateway's own start-up: migrations) and fill it."""
    from tmf_gateway.bootstrap import open_store, served_resource_types
    from tmf_gateway.config import Settings

    settings = Settings(store=database.store, database_url=database.url, background=False)
    store = open_store(settings, served_resource_types())
    try:
        bulk_load(store, CUSTOMER, customer, 0, max(customers, 1))
        bulk_load(store, PRODUCT_ORDER, order, 0, max(orders, 10))
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        store.close()
    return Seeded(customer(0)["id"], order(0)["id"], order(0)["externalId"])
