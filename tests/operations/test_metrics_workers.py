"""Under several workers every scrape counts every worker's requests (multiprocess mode)."""

from __future__ import annotations

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.operations.test_shutdown import start

LIST = "/tmf-api/customerManagement/v4/customer"


def listed(base: str) -> float:
    text = requests.get(f"{base}/metrics", headers={"Connection": "close"}, timeout=10).text
    return sum(
        s.value for family in text_string_to_metric_families(text) for s in family.samples
        if s.name == "tmf_gateway_requests_total" and s.labels.get("operation") == "listCustomer"
    )


@pytest.mark.slow
def test_two_workers_report_one_total(tmp_path):
    process, base = start(tmp_path / "gateway.db", TMF_GATEWAY_WORKERS="2")
    try:
        for _ in range(30):  # a new connection each: the kernel spreads them over the workers
            response = requests.get(f"{base}{LIST}", headers={"Connection": "close"}, timeout=10)
            assert response.status_code == 200
        assert [listed(base) for _ in range(6)] == [30.0] * 6
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0
