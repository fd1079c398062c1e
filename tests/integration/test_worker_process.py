"""`tmf-gateway worker` beside a server that runs no background jobs: the worker delivers the
server's events, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import requests

from tests.integration.listeners import Listener
from tests.livesrv import serve

BASE = "/tmf-api/customerManagement/v4"


def test_a_worker_process_delivers_the_servers_events_and_stops_on_sigterm(tmp_path):
    db = tmp_path / "gw.db"
    listener = Listener().start()
    env = {**os.environ, "TMF_GATEWAY_DATABASE_URL": f"sqlite:///{db}",
           "TMF_GATEWAY_DISPATCH_INTERVAL": "0.05"}
    try:
        with serve(db, TMF_GATEWAY_BACKGROUND="false") as base:
            assert requests.post(f"{base}{BASE}/hub", json={"callback": listener.url},
                                 timeout=10).status_code == 201
            created = requests.post(f"{base}{BASE}/customer", json={
                "name": "w", "engagedParty": {"id": "1", "@referredType": "Individual"}},
                timeout=10)
            assert created.status_code == 201
            time.sleep(0.5)
            assert listener.received == []  # the server itself delivers nothing
            with (tmp_path / "worker.log").open("wb") as log:
                worker = subprocess.Popen([sys.executable, "-m", "tmf_gateway.cli", "worker"],
                                          env=env, stdout=log, stderr=subprocess.STDOUT)
                try:
                    deadline = time.monotonic() + 30
                    while not listener.received:
                        assert time.monotonic() < deadline, "the worker delivered nothing"
                        time.sleep(0.1)
                finally:
                    worker.send_signal(signal.SIGTERM)
                    assert worker.wait(timeout=15) == 0
        assert listener.received[0]["event"]["customer"]["id"] == created.json()["id"]
    finally:
        listener.stop()
