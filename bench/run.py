"""Gateway throughput and latency next to a bare Starlette baseline, measured in one run.

    python bench/run.py [--seconds 10] [--connections 32] [--workers 2] [--threads N]
        [--app async|flask] [--background on|off]
        [--stores sqlite,postgresql] [--customers 10000] [--orders 1000000] [--profile]
        [--only create get ...]
        [--pg postgresql://postgres@127.0.0.1:5432/test]

Everything runs on 127.0.0.1. The baseline (a bare Starlette app with the same routes) is loaded
first, then the gateway in its production profile on each store (SQLite file in WAL mode or a
PostgreSQL schema; request validation on; an audit entry and an outbox event written with every
change) filled with the given numbers of customers and product orders. Each scenario is loaded
by wrk in turn. The gateway runs as `tmf-gateway serve --workers 2` does by default (AsyncApp,
background jobs on, no tuning settings) unless told otherwise. The table gives requests/s,
latency percentiles, the CPU cores the server used, the peak RSS of its largest worker, the
ratio to the matching baseline figure and how wrk's connections were split over the worker
processes (sampled mid-run); then the targets of issue #18 against this run. The JSON and,
with --profile, py-spy flame graphs (SVG) and a table of CPU by layer go to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layers import shares
from loadgen import LoadResult, children, cpu_seconds, peak_rss_mb, require_wrk, run_wrk
from report import machine, print_layers, print_table
from seed import Seeded, fresh_database, seed
from servers import free_port, start, stop
from targets import print_targets

from tmf_gateway.testing.sockets import connection_split

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CUSTOMERS = "/tmf-api/customerManagement/v4"
ORDERS = "/tmf-api/productOrderingManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4"
SCRIPTS = {"POST": "post.lua", "PATCH": "patch.lua", "GET": None}


@dataclass(frozen=True)
class Scenario:
    label: str
    kind: str  # create | get | list | patch: which baseline figure it is compared with
    method: str
    path: str
    body: dict | None = None


def scenarios(seeded: Seeded) -> list[Scenario]:
    party = [{"id": seeded.customer_id, "role": "Customer", "@referredType": "Customer"}]
    order_item = {"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"}}
    return [
        Scenario(
            "create product order",
            "create",
            "POST",
            f"{ORDERS}/productOrder",
            {"productOrderItem": [order_item], "relatedParty": party},
        ),
        Scenario(
            "get product order by id", "get", "GET", f"{ORDERS}/productOrder/{seeded.order_id}"
        ),
        Scenario(
            "list orders, indexed filter, limit 10",
            "list",
            "GET",
            f"{ORDERS}/productOrder?externalId={seeded.external_id}&limit=10",
        ),
        Scenario(
            "patch product order (merge)",
            "patch",
            "PATCH",
            f"{ORDERS}/productOrder/{seeded.order_id}",
            {"description": "bench"},
        ),
        Scenario(
            "create customer",
            "create",
            "POST",
            f"{CUSTOMERS}/customer",
            {"name": "Bench Club", "engagedParty": {"id": "500", "@referredType": "Organization"}},
        ),
        Scenario(
            "create trouble ticket",
            "create",
            "POST",
            f"{TICKETS}/troubleTicket",
            {
                "description": "No service since 9am",
                "severity": "Major",
                "ticketType": "incident",
                "relatedParty": party,
            },
        ),
    ]


BASELINE = [
    Scenario("baseline create (POST)", "create", "POST", "/resource", {"name": "baseline"}),
    Scenario("baseline get by id", "get", "GET", "/resource/x"),
    Scenario("baseline list", "list", "GET", "/resource"),
    Scenario("baseline patch", "patch", "PATCH", "/resource/x", {"name": "patched"}),
]


def measure(
    label: str, pids: list[int], run: Callable[[], LoadResult], port: int, seconds: int
) -> dict:
    """Load once; the server's CPU (cores used), peak RSS per process and the connections each
    worker held half-way through."""
    before = {pid: cpu_seconds(pid) for pid in pids}
    split: dict[int, int] = {}
    sampler = threading.Timer(seconds / 2, lambda: split.update(connection_split(port)))
    sampler.start()
    started = time.monotonic()
    result = run()
    elapsed = time.monotonic() - started
    sampler.join()
    cpu = sum(cpu_seconds(pid) - before[pid] for pid in pids) / elapsed
    rss = max(peak_rss_mb(pid) for pid in pids)
    print(f"  {label:<40} {result.requests_per_s:>9,.0f} req/s", flush=True)
    return {
        "scenario": label,
        "rps": result.requests_per_s,
        "p50_ms": result.p50_ms,
        "p90_ms": result.p90_ms,
        "p99_ms": result.p99_ms,
        "non_2xx": result.non_2xx,
        "cpu_cores": cpu,
        "peak_rss_mb_per_process": rss,
        "split": "/".join(str(n) for n in sorted(split.values(), reverse=True)) or "-",
    }


def load(url: str, scenario: Scenario, args: argparse.Namespace) -> Callable[[], LoadResult]:
    body = json.dumps(scenario.body) if scenario.body is not None else ""
    script = SCRIPTS[scenario.method]
    return lambda: run_wrk(
        url + scenario.path, args.seconds, args.connections, script=script, body=body
    )


def profiled(
    pid: int, name: str, seconds: int, run: Callable[[], dict]
) -> tuple[dict, dict[str, float]]:
    """Run a measurement while py-spy samples one worker: a flame graph and CPU by layer."""
    stem = RESULTS / name
    spy = [str(Path(sys.executable).with_name("py-spy"))]  # installed with the dev extra
    common = ["record", "--pid", str(pid), "--duration", str(seconds), "--nonblocking"]
    svg = subprocess.Popen([*spy, *common, "--output", f"{stem}.svg"], stderr=subprocess.DEVNULL)
    raw = subprocess.Popen(
        [*spy, *common, "--gil", "--format", "raw", "--output", f"{stem}.txt"],
        stderr=subprocess.DEVNULL,
    )
    row = run()
    svg.wait()
    raw.wait()
    if raw.returncode != 0 or not Path(f"{stem}.txt").exists():
        # py-spy attaches with ptrace: it needs root or CAP_SYS_PTRACE
        print(f"  py-spy could not sample pid {pid} (needs ptrace permission)", flush=True)
        return row, {}
    return row, shares(Path(f"{stem}.txt"))


def run_baseline(args: argparse.Namespace) -> dict[str, dict]:
    print("baseline: bare Starlette under uvicorn", flush=True)
    port = free_port()
    server = start(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "baseline:create_app",
            "--factory",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-access-log",
            "--app-dir",
            str(Path(__file__).parent),
        ],
        {},
        f"http://127.0.0.1:{port}/resource/x",
    )
    try:
        pids = children(server.pid)
        url = f"http://127.0.0.1:{port}"
        return {
            s.kind: measure(s.label, pids, load(url, s, args), port, args.seconds)
            for s in BASELINE
        }
    finally:
        stop(server)


def run_gateway(store: str, args: argparse.Namespace, baseline: dict, stamp: str) -> tuple:
    rows, layers = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        database = fresh_database(store, Path(tmp), args.pg)
        try:
            print(f"gateway on {store}: seeding", flush=True)
            seeded = seed(database, args.customers, args.orders)
            port = free_port()
            env = {
                "TMF_GATEWAY_STORE": store,
                "TMF_GATEWAY_DATABASE_URL": database.url,
                "TMF_GATEWAY_PORT": str(port),
                "TMF_GATEWAY_WORKERS": str(args.workers),
                "TMF_GATEWAY_APP": args.app,
                "TMF_GATEWAY_BACKGROUND": "true" if args.background == "on" else "false",
            }
            if args.threads:
                env["TMF_GATEWAY_THREADS"] = str(args.threads)
            print(f"gateway on {store}: {args.workers} worker(s), {args.app}, validation on",
                  flush=True)
            server = start(
                [sys.executable, "-m", "tmf_gateway.cli", "serve"],
                env,
                f"http://127.0.0.1:{port}{ORDERS}/productOrder/{seeded.order_id}",
            )
            try:
                pids = children(server.pid)
                url = f"http://127.0.0.1:{port}"
                for scenario in scenarios(seeded):
                    if args.only and not any(word in scenario.label for word in args.only):
                        continue
                    label = f"{store}: {scenario.label}"
                    run = partial(measure, label, pids, load(url, scenario, args), port,
                                  args.seconds)
                    if args.profile:
                        name = f"profile-{stamp}-{store}-{scenario.label.split(',')[0]}"
                        row, layers[label] = profiled(
                            pids[-1], name.replace(" ", "-"), args.seconds, run
                        )
                    else:
                        row = run()
                    row["store"] = store
                    row["ratio_to_baseline"] = row["rps"] / baseline[scenario.kind]["rps"]
                    rows.append(row)
            finally:
                stop(server)
        finally:
            database.drop()
    return rows, layers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="0: the setting's default")
    parser.add_argument("--app", choices=("async", "flask"), default="async")
    parser.add_argument("--background", choices=("on", "off"), default="on")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--profile", action="store_true", help="py-spy flame graphs and layers")
    parser.add_argument(
        "--only", nargs="*", default=[], help="scenarios whose label contains one of these words"
    )
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    require_wrk()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    baseline = run_baseline(args)
    rows = list(baseline.values())
    layers: dict[str, dict[str, float]] = {}
    for store in args.stores.split(","):
        store_rows, store_layers = run_gateway(store, args, baseline, stamp)
        rows += store_rows
        layers.update(store_layers)
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    print_table(command, args, rows)
    print_targets(rows)
    print_layers(layers)
    out = RESULTS / f"bench-{stamp}.json"
    out.write_text(
        json.dumps(
            {"command": command, "machine": machine(), "rows": rows, "cpu_by_layer": layers},
            indent=2,
        )
    )
    print(f"\nJSON: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
