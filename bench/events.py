"""Events delivered per second from the outbox to loopback HTTP listeners.

    python bench/events.py [--events 2000] [--listeners 1,4,16] [--concurrency 8] [--timeout 120]

Each row: a fresh SQLite gateway (production profile, no background thread), N listeners
(threaded HTTP servers on 127.0.0.1 answering 201), one subscription each with no query; the
events (customer creations through the service layer, outbox written in the same transaction)
are committed first, then the dispatcher is timed from fan-out until every delivery is done.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tmf_gateway.app import create_app
from tmf_gateway.config import Settings
from tmf_gateway.services.context import Caller


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real listeners do

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.count += 1  # type: ignore[attr-defined]
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        return None


def listener() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.count = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(events: int, listeners: int, concurrency: int, timeout: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'bench.db'}",
            background=False,
            delivery_concurrency=concurrency,
        )
        app = create_app(settings)
        gateway = app.gateway
        servers = [listener() for _ in range(listeners)]
        caller = Caller("bench")
        for server in servers:
            callback = f"http://127.0.0.1:{server.server_address[1]}/listener"
            gateway.services.resources.customer_hub.register({"callback": callback}, caller)
        customers = gateway.services.resources.customer
        body = {"name": "Bench Club", "engagedParty": {"id": "500", "@referredType": "Org"}}
        for _ in range(events):
            customers.create(body, caller)
        dispatcher = gateway.services.events
        started = time.perf_counter()
        dispatcher.run_until_idle(timeout=timeout)
        elapsed = time.perf_counter() - started
        delivered = sum(s.count for s in servers)  # type: ignore[attr-defined]
        backlog = dispatcher.backlog()
        for server in servers:
            server.shutdown()
            server.server_close()
        dispatcher.close()
        gateway.store.close()
    return {
        "listeners": listeners, "events": events, "delivered": delivered,
        "expected": events * listeners, "pending": backlog["pending"], "seconds": elapsed,
        "per_second": delivered / elapsed if elapsed else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--listeners", default="1,4,16")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    print("$ python " + " ".join(shlex.quote(a) for a in sys.argv))
    print(f"{'listeners':>9} {'events':>7} {'delivered':>9} {'expected':>8} {'pending':>7} "
          f"{'seconds':>8} {'deliveries/s':>12}")
    for count in (int(x) for x in args.listeners.split(",")):
        row = run(args.events, count, args.concurrency, args.timeout)
        print(f"{row['listeners']:>9} {row['events']:>7} {row['delivered']:>9} "
              f"{row['expected']:>8} {row['pending']:>7} {row['seconds']:>8.2f} "
              f"{row['per_second']:>12.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
