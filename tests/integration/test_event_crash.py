"""Kill -9 the gateway while changes pour in; after a restart every committed event arrives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

from tests.integration.listeners import Listener, free_port

BASE = "/tmf-api/customerManagement/v4"


def start_gateway(db: Path, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "TMF_GATEWAY_DATABASE_URL": f"sqlite:///{db}",
        "TMF_GATEWAY_PORT": str(port),
        "TMF_GATEWAY_DELIVERY_TIMEOUT": "1",
        "TMF_GATEWAY_DISPATCH_INTERVAL": "0.05",
        "TMF_GATEWAY_DELIVERY_BACKOFF_BASE": "0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tmf_gateway.cli", "serve"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{base}{BASE}/openapi.json", timeout=1)
            return process, base
        except requests.ConnectionError:
            assert process.poll() is None and time.monotonic() < deadline, "gateway did not start"
            time.sleep(0.1)


def churn(base: str, stop: threading.Event) -> None:
    """Create customers and move them on, until the gateway goes away."""
    session = requests.Session()
    while not stop.is_set():
        try:
            created = session.post(
                f"{base}{BASE}/customer",
                json={"name": "crash", "engagedParty": {"id": "1", "@referredType": "x"}},
                timeout=5,
            ).json()
            session.patch(
                f"{base}{BASE}/customer/{created['id']}", json={"status": "Approved"},
                headers={"Content-Type": "application/merge-patch+json"}, timeout=5,
            )
        except (requests.RequestException, ValueError, KeyError):
            return


def committed_event_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("select event_id from outbox order by seq")]


def test_kill_minus_9_then_restart_delivers_every_committed_event(tmp_path):
    db = tmp_path / "crash.db"
    log = (tmp_path / "crash.log").open("ab")
    listener = Listener().start()
    process, base = start_gateway(db, log)
    try:
        response = requests.post(f"{base}{BASE}/hub", json={"callback": listener.url}, timeout=5)
        assert response.status_code == 201
        stop = threading.Event()
        clients = [threading.Thread(target=churn, args=(base, stop)) for _ in range(4)]
        for thread in clients:
            thread.start()
        time.sleep(3)
        os.kill(process.pid, signal.SIGKILL)  # mid-way: requests and deliveries in flight
        process.wait()
        stop.set()
        for thread in clients:
            thread.join()
        before_restart = len(listener.received)
        committed = committed_event_ids(db)
        print("committed", len(committed), "received before restart", before_restart)
        assert len(committed) > 50 and before_restart < len(committed)

        process, base = start_gateway(db, log)
        deadline = time.monotonic() + 60
        while set(committed) - {e["eventId"] for e in list(listener.received)}:
            assert time.monotonic() < deadline, "not every committed event was delivered"
            time.sleep(0.2)
        time.sleep(0.5)
        counts = Counter(e["eventId"] for e in listener.received)
        assert set(counts) == set(committed)
        duplicates = sum(n - 1 for n in counts.values())
        assert duplicates <= 8  # at most what was in flight when the process died
    finally:
        process.terminate()
        process.wait(timeout=10)
        listener.stop()
        log.close()
