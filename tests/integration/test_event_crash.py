"""Kill -9 the gateway while changes pour in; after a restart every committed event arrives."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import requests

from tests.integration.listeners import Listener
from tests.livesrv import launch
from tests.livesrv import stop as stop_process

BASE = "/tmf-api/customerManagement/v4"


def start_gateway(db: Path, log) -> tuple[subprocess.Popen, str]:
    return launch(
        log,
        TMF_GATEWAY_DATABASE_URL=f"sqlite:///{db}",
        TMF_GATEWAY_DELIVERY_TIMEOUT="1",
        TMF_GATEWAY_DISPATCH_INTERVAL="0.05",
        TMF_GATEWAY_DELIVERY_BACKOFF_BASE="0.1",
    )


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


def owed(db: Path) -> int:
    """Deliveries not done yet: pending ones (in flight included) and events not fanned out."""
    with sqlite3.connect(db) as conn:
        pending = conn.execute("select count(*) from delivery where status = 'pending'")
        last = conn.execute("select coalesce(max(seq), 0) from outbox").fetchone()[0]
        fanned = conn.execute("select seq from dispatch_cursor where name = 'fanout'").fetchone()
        return pending.fetchone()[0] + last - (fanned[0] if fanned else 0)


def until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.1)


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
        until(lambda: len(committed_event_ids(db)) > 100 and len(listener.received) > 20,
              "changes to pour in and deliveries to start")
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
        until(lambda: not set(committed) - {e["eventId"] for e in list(listener.received)},
              "every committed event to be delivered")
        until(lambda: owed(db) == 0, "the restarted gateway to owe no delivery")  # no more
        counts = Counter(e["eventId"] for e in listener.received)
        assert set(counts) == set(committed)
        duplicates = sum(n - 1 for n in counts.values())
        assert duplicates <= 8  # at most what was in flight when the process died
    finally:
        stop_process(process)
        listener.stop()
        log.close()
