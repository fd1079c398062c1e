"""Data-quality audits on a schedule: the job runs the audit in the background and its last
result is read over the admin API (a real HTTP server, a real SQLite file)."""

from __future__ import annotations

import time

import httpx

from tmf_gateway.testing.gateway import create_customer, gateway_app, live_server

AUDIT = "/tmf-gateway/admin/v1/qualityAudit"


def test_a_scheduled_audit_runs_by_itself_and_its_last_result_is_served(tmp_path):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     audit_interval_seconds=0.2) as app:
        with app.test_client() as client:
            create_customer(client, " Padded ")  # untrimmed-name
            create_customer(client, "Fine")
        with live_server(app) as url, httpx.Client(base_url=url) as http:
            assert http.get(AUDIT).status_code == 404  # nothing has run yet
            app.gateway.runner.start()
            deadline = time.monotonic() + 10
            while (answer := http.get(AUDIT)).status_code == 404:
                assert time.monotonic() < deadline, "the scheduled audit never ran"
                time.sleep(0.05)
            result = answer.json()
    assert result["trigger"] == "scheduled"
    assert result["customers"] == 2
    assert result["byCheck"] == {"untrimmed-name": 1}
    assert result["sample"][0]["check"] == "untrimmed-name"
    assert result["sample"][0]["fixable"] is True
    assert result["startedAt"] <= result["finishedAt"]


def test_without_the_setting_no_audit_job_runs(tmp_path):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}") as app:
        app.gateway.runner.run_pending(force=True)  # every job there is, once
        with app.test_client() as client:
            assert client.get(AUDIT).status_code == 404
