"""The export over the API with security on: `customer:export` is needed (`customer:read` is not
enough), and every export, refused or not, is in the access log and the usage report."""

from __future__ import annotations

import json
import uuid

from tmf_gateway.cli.security import usage

EXPORT = "/tmf-gateway/v1/customerExport"
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def test_export_needs_the_export_scope_and_is_logged(
    secure_app, secure_client, make_key, make_token
):
    name = f"Exported {uuid.uuid4().hex[:8]}"
    created = secure_client.post(
        CUSTOMERS, json={"name": name, "engagedParty": {"id": "p1", "@referredType": "Individual"}},
        headers=make_key("loader", "customer:write"),
    )
    assert created.status_code == 201, created.text
    reader, exporter = f"reader-{uuid.uuid4().hex[:6]}", f"exporter-{uuid.uuid4().hex[:6]}"

    refused = secure_client.get(EXPORT, headers=make_token(reader, "customer:read"))
    assert refused.status_code == 403 and "customer:export" in refused.json()["message"]

    exported = secure_client.get(
        EXPORT, params={"name": name}, headers=make_key(exporter, "customer:export")
    )
    assert exported.status_code == 200, exported.text
    assert [json.loads(line)["id"] for line in exported.text.splitlines()] == [
        created.json()["id"]
    ]
    bad = secure_client.get(
        EXPORT, params={"format": "pdf"}, headers=make_key(exporter, "customer:export")
    )
    assert bad.status_code == 400 and bad.json()["code"].startswith("ERR400")

    log = secure_app.gateway.services.security.store
    logged = [a for a in log.accesses() if a.client in (reader, exporter)]
    # one access per customer the export returned, besides the entry of the call itself
    assert [(a.client, a.customer_id) for a in logged if a.customer_id] == [
        (exporter, created.json()["id"])]
    entries = [a for a in logged if not a.customer_id]
    assert [(a.client, a.operation, a.status) for a in entries] == [
        (reader, "exportCustomers", 403),
        (exporter, "exportCustomers", 200),
        (exporter, "exportCustomers", 400),
    ]
    assert entries[1].bytes == len(exported.content)
    report = {(r["client"], r["operation"]): r for r in usage(entries)}
    assert report[(exporter, "exportCustomers")]["calls"] == 2
    assert report[(exporter, "exportCustomers")]["errors"] == 1
