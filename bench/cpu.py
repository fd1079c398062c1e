"""CPU milliseconds per request through the whole gateway stack, in one process, no network.

    python bench/cpu.py [--requests 500] [--rounds 3] [--apps async,flask]

Each request goes through everything a served request does except the HTTP server itself:
Connexion's middleware, request validation, the hand-off to a handler thread, the service and a
SQLite file store (audit and outbox event on every write); under FlaskApp also the WSGI bridge
and Flask. Both app classes are measured, side by side. The figure is the process CPU time (all
threads) per request, the best of a few rounds; unlike throughput under wrk it barely moves when
the machine is shared, so it is the one to compare changes with.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
BODY = json.dumps(
    {"name": "Bench Club", "engagedParty": {"id": "500", "@referredType": "Organization"}}
).encode()


def scope(method: str, path: str, query: bytes, body: bytes) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8080")]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }


def caller(app: Any) -> Callable[..., Awaitable[tuple[int, bytes]]]:
    async def call(method: str, path: str, query: bytes = b"", body: bytes = b"") -> tuple:
        sent: list[dict] = []
        delivered = False

        async def receive() -> dict:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client never disconnects
            return {}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope(method, path, query, body), receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    return call


async def measure(app: Any, requests: int, rounds: int) -> dict[str, float]:
    call = caller(app)
    status, body = await call("POST", CUSTOMERS, body=BODY)
    customer_id = json.loads(body)["id"]
    cases = {
        "create customer": lambda: call("POST", CUSTOMERS, body=BODY),
        "get customer by id": lambda: call("GET", f"{CUSTOMERS}/{customer_id}"),
        "list customers, filter, limit 10": lambda: call(
            "GET", CUSTOMERS, b"status=Created&limit=10"
        ),
        "patch customer (merge)": lambda: call(
            "PATCH", f"{CUSTOMERS}/{customer_id}", body=b'{"statusReason": "bench"}'
        ),
    }
    results = {}
    for label, run in cases.items():
        for _ in range(min(200, requests)):  # warm up
            await run()
        best = float("inf")
        for n in range(rounds):
            started = time.process_time()
            for _ in range(requests):
                status, body = await run()
                if status >= 300:
                    raise SystemExit(f"{label}: {status} {body[:200]!r}")
            best = min(best, time.process_time() - started)
            print(f"  {label}: round {n + 1}/{rounds}", file=sys.stderr, flush=True)
        results[label] = best * 1000 / requests
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--apps", default="async,flask", help="Connexion app classes to measure")
    args = parser.parse_args()
    from tmf_gateway.app import create_app
    from tmf_gateway.config import Settings
    from tmf_gateway.testing.gateway import close_gateway

    apps = args.apps.split(",")
    results: dict[str, dict[str, float]] = {}
    for app_class in apps:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(Settings(database_url=f"sqlite:///{tmp}/cpu.db", background=False,
                                      app=app_class))
            try:
                results[app_class] = asyncio.run(measure(app, args.requests, args.rounds))
            finally:
                close_gateway(app)
    print(f"\n$ python bench/cpu.py {' '.join(sys.argv[1:])}\n")
    print("CPU ms per request (max requests/s per core)\n")
    print(f"{'scenario':<36}" + "".join(f"{name:>18}" for name in apps))
    for label in results[apps[0]]:
        cells = "".join(
            f"{results[a][label]:>9.2f} ({1000 / results[a][label]:>6,.0f})" for a in apps
        )
        print(f"{label:<36}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
