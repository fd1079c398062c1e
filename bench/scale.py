"""How store cost grows with size: product orders in SQLite and PostgreSQL at 10k, 100k, 1M rows.

    python bench/scale.py [--rows 1000000] [--samples 200] [--stores sqlite,postgresql]
        [--pg postgresql://postgres@127.0.0.1:5432/test]

Loads orders in bulk (progress on stderr), and at each size prints p50/p99 in ms of: a list with
an indexed filter and limit 10 (`externalId`, 10 orders per value), a filter on a nested JSON
attribute (`relatedParty.id`, a customer with 10 orders), a count of every order, and get-by-id.
PostgreSQL runs in a fresh schema that is dropped afterwards; everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from seed import bulk_load, order  # noqa: E402  (bench/ is the script's own directory)

from tmf_gateway.domain.resources import PRODUCT_ORDER  # noqa: E402
from tmf_gateway.tmf.query import parse_query  # noqa: E402
from tmf_gateway.tmf.schema import ResourceSchema  # noqa: E402

SPEC = ROOT / "src" / "tmf_gateway" / "openapi" / "tmf622-product-ordering-v4.yaml"
STEPS = (10_000, 100_000, 1_000_000)


def timed(store, run, samples: int) -> tuple[float, float]:
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        with store.unit_of_work() as uow:
            run(uow)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def measure(store, schema: ResourceSchema, size: int, samples: int) -> dict[str, tuple]:
    rnd = random.Random(size)
    kind = PRODUCT_ORDER.kind

    def listing(pairs_of):
        def run(uow):
            page = uow.query(kind, parse_query(pairs_of(), schema))
            assert page.items and len(page.items) <= 10

        return run

    groups = size // 10
    cases = {
        "list indexed filter, limit 10": listing(
            lambda: [("externalId", f"ext-{rnd.randrange(groups)}"), ("limit", "10")]
        ),
        "nested JSON filter, limit 10": listing(
            lambda: [("relatedParty.id", f"cu-{rnd.randrange(groups):08d}"), ("limit", "10")]
        ),
        "count all": lambda uow: uow.query(kind, parse_query([("limit", "1")], schema)),
        "get by id": lambda uow: uow.get(kind, f"po-{rnd.randrange(size):08d}"),
    }
    counts = {"count all": max(5, samples // 20)}
    return {name: timed(store, run, counts.get(name, samples)) for name, run in cases.items()}


def open_store(name: str, pg_url: str, workdir: Path):
    if name == "sqlite":
        from tmf_gateway.storage.sqlite import SqliteStore

        return SqliteStore(f"sqlite:///{workdir}/scale.db", [PRODUCT_ORDER]), None
    import psycopg

    from tmf_gateway.storage.postgresql import PostgresStore

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{pg_url}?options=-csearch_path%3D{schema}"
    return PostgresStore(url, [PRODUCT_ORDER]), schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    spec = yaml.safe_load(SPEC.read_text())["components"]["schemas"]
    schema = ResourceSchema(spec, "ProductOrder")
    steps = [s for s in STEPS if s <= args.rows] or [args.rows]
    results: dict[tuple[str, int], dict[str, tuple]] = {}
    for name in args.stores.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            store, pg_schema = open_store(name, args.pg, Path(tmp))
            try:
                loaded = 0
                for size in steps:
                    bulk_load(store, PRODUCT_ORDER, order, loaded, size)
                    with store.engine.begin() as conn:
                        conn.exec_driver_sql("ANALYZE")
                    loaded = size
                    results[(name, size)] = measure(store, schema, size, args.samples)
                    print(f"  {name}: measured at {size:,} rows", file=sys.stderr, flush=True)
            finally:
                store.close()
                if pg_schema:
                    import psycopg

                    with psycopg.connect(args.pg, autocommit=True) as conn:
                        conn.execute(f'DROP SCHEMA "{pg_schema}" CASCADE')
    print(f"\n{'store':<11} {'rows':>10}  {'query':<30} {'p50 ms':>9} {'p99 ms':>9}")
    for (name, size), cases in results.items():
        for case, (p50, p99) in cases.items():
            print(f"{name:<11} {size:>10,}  {case:<30} {p50:>9.2f} {p99:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
