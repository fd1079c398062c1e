"""A legacy system refusing connections while orders pile up: a few log lines, not one per order
and round (rate-limited per adapter and cause)."""

from __future__ import annotations

import logging

from legacy_crm import API_KEY, MAPPING

from tmf_gateway.testing.gateway import free_port, gateway_app, sqlite_in

ORDERS = "/tmf-api/productOrderingManagement/v4"


def test_a_refused_connection_outage_writes_a_bounded_number_of_lines(tmp_path, caplog):
    with gateway_app(
        catalog_unknown_offerings="pass", database_url=sqlite_in(tmp_path),
        southbound="legacy-rest",
        southbound_options={"base_url": f"http://127.0.0.1:{free_port()}", "mapping": str(MAPPING),
                            "headers": {"X-Api-Key": API_KEY}, "retries": 0,
                            "breaker_fail_max": 1000},  # every call really fails
        ordering={"submit_retry_base_seconds": 0, "submit_retry_max_seconds": 0},
    ) as app:
        with app.test_client() as http:
            for n in range(20):
                response = http.post(f"{ORDERS}/productOrder", json={"productOrderItem": [
                    {"id": "1", "action": "add", "productOffering": {"id": f"bb-{n}"}}]})
                assert response.status_code == 201, response.text
        processor = app.gateway.services.ordering.processor
        with caplog.at_level(logging.INFO):
            for _ in range(5):
                processor.submit_pending()
        failures = [r for r in caplog.records if "not submitted" in r.getMessage()]
        assert len(failures) == 1  # 100 failed submissions, one line (the next says how many)
        with app.test_client() as http:
            order = http.get(f"{ORDERS}/productOrder?limit=1").json()[0]
        assert order["productOrderErrorMessage"]  # nothing is lost: each order keeps its error
