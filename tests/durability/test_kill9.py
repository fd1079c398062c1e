"""The gateway as a real process, killed with SIGKILL while clients write: after a restart every
acknowledged write is there and every committed event reaches its listener (SQLite, PostgreSQL).

Bounded for `make test`: 4 clients for LOAD_SECONDS (3 s, `TMF_GATEWAY_DURABILITY_SECONDS`)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.integration.listeners import Listener
from tests.pg import fresh_schema
from tmf_gateway.testing.process import launch

BASE = "/tmf-api/customerManagement/v4"
LOAD_SECONDS = float(os.environ.get("TMF_GATEWAY_DURABILITY_SECONDS", "3"))
CLIENTS = 4


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_env(request, tmp_path) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield {"TMF_GATEWAY_STORE": "sqlite",
               "TMF_GATEWAY_DATABASE_URL": f"sqlite:///{tmp_path / 'durable.db'}"}
        return
    with fresh_schema() as url:
        yield {"TMF_GATEWAY_STORE": "postgresql", "TMF_GATEWAY_DATABASE_URL": url}


def start(store_env: dict[str, str], log) -> tuple[subprocess.Popen, str]:
    return launch(log, **store_env, TMF_GATEWAY_DELIVERY_TIMEOUT="1",
                  TMF_GATEWAY_DISPATCH_INTERVAL="0.05", TMF_GATEWAY_DELIVERY_BACKOFF_BASE="0.1")


def write(base: str, acknowledged: list[str], stop: threading.Event) -> None:
    """Create customers until told to stop or the gateway is gone; keep the ids it answered
    201 for: those writes were acknowledged and must survive."""
    session = requests.Session()
    while not stop.is_set():
        try:
            response = session.post(f"{base}{BASE}/customer", json={
                "name": "durable", "engagedParty": {"id": "1", "@referredType": "Individual"}},
                timeout=5)
        except requests.RequestException:
            return
        if response.status_code == 201:
            acknowledged.append(response.json()["id"])


def committed_events(database_url: str) -> list[str]:
    if database_url.startswith("postgresql"):
        from tmf_gateway.storage.postgresql import engine_url

        database_url = engine_url(database_url)
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("select event_id from outbox order by seq")).scalars())
    finally:
        engine.dispose()


def test_sigkill_under_load_loses_no_acknowledged_write_and_no_event(store_env, tmp_path):
    log = (tmp_path / "gateway.log").open("ab")
    listener = Listener().start()
    process, base = start(store_env, log)
    try:
        hub = requests.post(f"{base}{BASE}/hub", json={"callback": listener.url}, timeout=5)
        assert hub.status_code == 201
        acknowledged: list[str] = []
        stop = threading.Event()
        clients = [threading.Thread(target=write, args=(base, acknowledged, stop))
                   for _ in range(CLIENTS)]
        for thread in clients:
            thread.start()
        time.sleep(LOAD_SECONDS)
        os.kill(process.pid, signal.SIGKILL)  # requests, commits and deliveries in flight
        process.wait()
        stop.set()
        for thread in clients:
            thread.join(timeout=10)
        committed = committed_events(store_env["TMF_GATEWAY_DATABASE_URL"])
        assert len(acknowledged) > 20 and len(listener.received) < len(committed)

        process, base = start(store_env, log)
        lost = [cid for cid in acknowledged
                if requests.get(f"{base}{BASE}/customer/{cid}", timeout=5).status_code != 200]
        assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged writes lost"
        deadline = time.monotonic() + 60
        while missing := set(committed) - {e["eventId"] for e in list(listener.received)}:
            assert time.monotonic() < deadline, f"{len(missing)} committed events never arrived"
            time.sleep(0.2)
        created = {e["event"]["customer"]["id"] for e in list(listener.received)
                   if e["eventType"] == "CustomerCreateEvent"}
        assert set(acknowledged) <= created  # each acknowledged write's event, too
    finally:
        process.kill()
        process.wait(timeout=10)
        listener.stop()
        log.close()
