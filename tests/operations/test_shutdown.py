"""SIGTERM under load: the server stops accepting, finishes what it acknowledged, exits 0."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from tmf_gateway.storage import migrations
from tmf_gateway.storage.sqlite import SqliteStore
from tmf_gateway.testing.process import launch, wait_until_serving

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
SHUTDOWN_TIMEOUT = 10


def start(db: Path, **env: str) -> tuple[subprocess.Popen, str]:
    with db.with_suffix(".log").open("wb") as log:  # the child keeps its own descriptor
        process, base = launch(log, wait=False, TMF_GATEWAY_DATABASE_URL=f"sqlite:///{db}", **env)
    try:
        wait_until_serving(process, base, ready=True)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}:\n{db.with_suffix('.log').read_text()[-3000:]}") from None
    return process, base


@pytest.mark.slow
def test_requests_in_flight_at_sigterm_complete_or_were_never_acknowledged(tmp_path):
    db = tmp_path / "gateway.db"
    process, base = start(db, TMF_GATEWAY_SHUTDOWN_TIMEOUT=str(SHUTDOWN_TIMEOUT))
    acknowledged: list[tuple[str, float, float]] = []  # (id, sent, answered)
    other: list[str] = []
    stop = threading.Event()

    def client(number: int) -> None:
        with requests.Session() as http:
            for n in range(100_000):
                body = {"name": f"c{number}-{n}",
                        "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
                sent = time.monotonic()
                try:
                    response = http.post(f"{base}{CUSTOMERS}", json=body, timeout=30)
                except requests.RequestException:
                    return  # not acknowledged: the client knows to retry
                if response.status_code == 201:
                    acknowledged.append((response.json()["id"], sent, time.monotonic()))
                else:
                    other.append(f"{response.status_code} {response.text[:200]}")
                if stop.is_set():
                    return

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=SHUTDOWN_TIMEOUT + 10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    took = time.monotonic() - signalled

    assert process.returncode == 0, db.with_suffix(".log").read_text()[-3000:]
    assert took < SHUTDOWN_TIMEOUT + 5
    # a 503 "shutting down" is an honest refusal, anything else is not
    assert all(line.startswith("503") for line in other), other
    assert any(sent < signalled < answered for _, sent, answered in acknowledged), (
        "no request was in flight at SIGTERM")
    store = SqliteStore.from_url(f"sqlite:///{db}", migrations.builtin_resources())
    try:
        with store.unit_of_work() as uow:
            lost = [cid for cid, _, _ in acknowledged if uow.get("customer", cid) is None]
    finally:
        store.close()
    assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged creates were lost"
