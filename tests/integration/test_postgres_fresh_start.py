"""Two gateway processes started together on a fresh PostgreSQL database, taking traffic at
once: both migrate, create their cursors and fan out without a single error in their logs."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.integration.listeners import Listener
from tests.pg import fresh_schema
from tmf_gateway.testing.process import launch, wait_until_serving

pytestmark = pytest.mark.postgres
BASE = "/tmf-api/customerManagement/v4"


def _create(base: str, n: int) -> int:
    return requests.post(f"{base}{BASE}/customer", json={
        "name": f"fresh {n}", "engagedParty": {"id": "1", "@referredType": "Individual"}},
        timeout=10).status_code


def test_two_processes_on_a_fresh_database_start_without_errors(tmp_path):
    listener = Listener().start()
    processes, logs, handles = [], [], []
    with fresh_schema() as url:
        try:
            bases = []
            for n in range(2):  # both start at once, on the fresh schema
                logs.append(tmp_path / f"gw{n}.log")
                handles.append(logs[-1].open("wb"))
                process, base = launch(
                    handles[-1], wait=False, TMF_GATEWAY_STORE="postgresql",
                    TMF_GATEWAY_DATABASE_URL=url, TMF_GATEWAY_DISPATCH_INTERVAL="0.01")
                processes.append(process)
                bases.append(base)
            for base, process in zip(bases, processes, strict=True):
                wait_until_serving(process, base)
            hub = requests.post(f"{bases[0]}{BASE}/hub", json={"callback": listener.url},
                                timeout=10)
            assert hub.status_code == 201
            with ThreadPoolExecutor(8) as pool:  # both dispatchers see the first events at once
                assert set(pool.map(lambda n: _create(bases[n % 2], n), range(40))) == {201}
            deadline = time.monotonic() + 20
            while len(listener.received) < 40:
                assert time.monotonic() < deadline, "events did not arrive"
                time.sleep(0.1)
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)
            for handle in handles:
                handle.close()
            listener.stop()
    for log in logs:
        text = log.read_text(errors="replace")
        assert "ERROR" not in text and "Traceback" not in text, text[-3000:]
    assert len({e["eventId"] for e in listener.received}) == len(listener.received) == 40
