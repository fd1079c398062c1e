"""Gateway throughput and latency next to a bare Starlette baseline, measured in one run.

    python bench/run.py [--seconds 10] [--connections 32] [--workers 2] [--rows 10000]

Everything runs on 127.0.0.1: the gateway (production profile: SQLite file, request validation
on, audit and outbox event written on every change) and the baseline, each loaded by wrk in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import LoadResult, children, cpu_seconds, peak_rss_mb, require_wrk, run_wrk

ROOT = Path(__file__).resolve().parents[1]
BASE = "/tmf-api/customerManagement/v4"
CUSTOMER = {"name": "Bench Club", "engagedParty": {"id": "500", "@referredType": "Organization"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited while starting ({url})")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {url}")


def seed(db: Path, rows: int) -> str:
    """Fill the store directly (fast), returning one customer id for get-by-id."""
    from tmf_gateway.app import create_app
    from tmf_gateway.config import Settings

    app = create_app(Settings(database_url=f"sqlite:///{db}", background=False))
    store = app.gateway.store
    first = ""
    batch = 5000
    for start in range(0, rows, batch):
        with store.unit_of_work(write=True) as uow:
            for n in range(start, min(rows, start + batch)):
                cid = uuid.uuid4().hex
                first = first or cid
                uow.add(
                    "customer",
                    {
                        **CUSTOMER,
                        "id": cid,
                        "href": f"http://127.0.0.1{BASE}/customer/{cid}",
                        "@type": "Customer",
                        "name": f"seed-{n}",
                        "status": "Created" if n % 10 else "Approved",
                    },
                )
        print(f"  seeded {min(rows, start + batch):,}/{rows:,} customers", flush=True)
    store.close()
    return first


def start(command: list[str], env: dict[str, str], probe: str) -> subprocess.Popen:
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(probe, process)
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def measure(label: str, pids: list[int], run) -> dict:
    before = {pid: cpu_seconds(pid) for pid in pids}
    started = time.monotonic()
    result: LoadResult = run()
    elapsed = time.monotonic() - started
    cpu = sum(cpu_seconds(pid) - before[pid] for pid in pids) / elapsed
    rss = max(peak_rss_mb(pid) for pid in pids)
    print(f"  {label:<34} {result.requests_per_s:>9,.0f} req/s", flush=True)
    return {
        "scenario": label,
        "rps": result.requests_per_s,
        "p50_ms": result.p50_ms,
        "p90_ms": result.p90_ms,
        "p99_ms": result.p99_ms,
        "non_2xx": result.non_2xx,
        "cpu_cores": cpu,
        "peak_rss_mb_per_process": rss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    require_wrk()
    load = {"seconds": args.seconds, "connections": args.connections}
    body = json.dumps(CUSTOMER)
    rows: list[dict] = []

    print("baseline: bare Starlette under uvicorn", flush=True)
    port = free_port()
    base = start(
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
        f"http://127.0.0.1:{port}/customer/x",
    )
    url = f"http://127.0.0.1:{port}"
    time.sleep(1)
    pids = children(base.pid)
    baseline = {
        "create": measure(
            "baseline POST",
            pids,
            lambda: run_wrk(f"{url}/customer", script="post.lua", body=body, **load),
        ),
        "get": measure("baseline GET by id", pids, lambda: run_wrk(f"{url}/customer/x", **load)),
        "list": measure("baseline GET list", pids, lambda: run_wrk(f"{url}/customer", **load)),
    }
    stop(base)

    print(f"gateway: {args.workers} uvicorn worker(s), SQLite, validation on", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        customer_id = seed(db, args.rows)
        port = free_port()
        env = {
            "TMF_GATEWAY_DATABASE_URL": f"sqlite:///{db}",
            "TMF_GATEWAY_PORT": str(port),
            "TMF_GATEWAY_WORKERS": str(args.workers),
            "TMF_GATEWAY_BACKGROUND": "false",
        }
        gw = start(
            [sys.executable, "-m", "tmf_gateway.cli", "serve"],
            env,
            f"http://127.0.0.1:{port}{BASE}/customer/{customer_id}",
        )
        url = f"http://127.0.0.1:{port}{BASE}"
        time.sleep(1)
        pids = children(gw.pid)
        scenarios = [
            (
                "create",
                "create customer (POST)",
                lambda: run_wrk(f"{url}/customer", script="post.lua", body=body, **load),
            ),
            ("get", "get customer by id", lambda: run_wrk(f"{url}/customer/{customer_id}", **load)),
            (
                "list",
                "list status=Approved limit=10",
                lambda: run_wrk(f"{url}/customer?status=Approved&limit=10", **load),
            ),
            (
                "patch",
                "patch customer (merge)",
                lambda: run_wrk(
                    f"{url}/customer/{customer_id}",
                    script="patch.lua",
                    body='{"statusReason": "bench"}',
                    **load,
                ),
            ),
        ]
        for key, label, run in scenarios:
            row = measure(label, pids, run)
            ref = baseline.get(key) or baseline["create"]
            row["ratio_to_baseline"] = row["rps"] / ref["rps"]
            rows.append(row)
        stop(gw)

    command = "python bench/run.py " + " ".join(sys.argv[1:])
    print(f"\n$ {command}   ({os.cpu_count()} cores, {args.rows:,} customers stored)\n")
    header = (
        f"{'scenario':<32}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'CPU':>6}{'RSS MB':>8}{'vs base':>9}{'non2xx':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in list(baseline.values()) + rows:
        ratio = f"{row['ratio_to_baseline']:.2f}" if "ratio_to_baseline" in row else "1.00"
        print(
            f"{row['scenario']:<32}{row['rps']:>9,.0f}{row['p50_ms']:>9.1f}{row['p90_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{row['cpu_cores']:>6.2f}{row['peak_rss_mb_per_process']:>8.0f}"
            f"{ratio:>9}{row['non_2xx']:>8}"
        )
    out = ROOT / "bench" / "results" / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps({"command": command, "baseline": baseline, "gateway": rows}, indent=2)
    )
    print(f"\nJSON: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
