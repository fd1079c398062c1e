"""API latency while the legacy CRM is away for a minute mid-order (moved out of the tests).

    python bench/legacy_outage.py [--seconds 60]

The legacy-rest adapter with its production settings (2 s connect / 5 s read timeouts, 2
retries with backoff, breaker opening after 5 failures for 30 s) and the gateway's own
background thread, against the loopback CRM of the adapter's tests. While the CRM is down a
client reads an order, lists orders and renames a customer every 0.5 s; the median and slowest
request are printed (a request that waited on the CRM would show its backoff, 0.4 s, in the
median, or a timeout in the slowest) and written to bench/results/legacy_outage.json. The
suite's test_legacy_rest_outage.py checks the same outage for correctness, without timing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "adapters" / "legacy-rest" / "tests"))
from legacy_crm import API_KEY, MAPPING, LegacyCrm  # noqa: E402

from tmf_gateway.testing.gateway import create_customer, gateway_app  # noqa: E402

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"


def _state(http: Any, order_id: str) -> str:
    return str(http.get(f"{ORDERS}/productOrder/{order_id}").json()["state"])


def measure(seconds: float, folder: Path) -> dict[str, Any]:
    crm = LegacyCrm().start()
    crm.frozen = True  # orders are taken but not worked on: they stay mid-order
    options = {"base_url": crm.url, "mapping": str(MAPPING), "headers": {"X-Api-Key": API_KEY}}
    latencies: list[tuple[float, str]] = []
    try:
        with gateway_app(database_url=f"sqlite:///{folder / 'outage.db'}", background=True,
                         validate_responses=False, southbound="legacy-rest",
                         southbound_options=options) as app, app.test_client() as http:
            customer = create_customer(http, "During the outage")["id"]
            order = http.post(f"{ORDERS}/productOrder", json={"productOrderItem": [
                {"id": "1", "action": "add", "productOffering": {"id": "bb-100"}}]}).json()["id"]
            while _state(http, order) != "inProgress":
                time.sleep(0.2)
            crm.stop()
            down_since, calls = time.monotonic(), 0
            while time.monotonic() - down_since < seconds:
                for method, url, kwargs in (
                    ("get", f"{ORDERS}/productOrder/{order}", {}),
                    ("get", f"{ORDERS}/productOrder", {"params": {"limit": "5"}}),
                    ("patch", f"{CUSTOMERS}/customer/{customer}",
                     {"json": {"name": f"Ada {calls}"},
                      "headers": {"Content-Type": "application/merge-patch+json"}}),
                ):
                    started = time.monotonic()
                    response = getattr(http, method)(url, **kwargs)
                    latencies.append((time.monotonic() - started, f"{method.upper()} {url}"))
                    assert response.status_code < 300, response.text
                calls += 1
                time.sleep(0.5)
            crm.frozen = False
            crm.start()
            back = time.monotonic()
            while _state(http, order) != "completed":
                time.sleep(0.5)
            recovered = time.monotonic() - back
    finally:
        crm.close()
    seconds_sorted = sorted(s for s, _ in latencies)
    slowest, request = max(latencies)
    return {"outage_seconds": seconds, "requests": len(latencies),
            "median_ms": round(seconds_sorted[len(seconds_sorted) // 2] * 1000, 1),
            "slowest_ms": round(slowest * 1000, 1), "slowest_request": request,
            "completed_after_return_seconds": round(recovered, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = measure(args.seconds, Path(folder))
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "legacy_outage.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
