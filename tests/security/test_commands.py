"""The security CLI against the secured app's SQLite file: keys, audit access, usage report."""

from __future__ import annotations

import csv
import io
import json

from tmf_gateway.cli import main

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def test_keys_audit_and_usage_commands(secure_app, secure_client, monkeypatch, capsys):
    monkeypatch.setenv("TMF_GATEWAY_DATABASE_URL", secure_app.gateway.settings.database_url)
    assert main(["keys", "create", "--client", "cli-client", "--scopes", "customer:read"]) == 0
    created = capsys.readouterr()
    key = created.out.strip()
    assert key.startswith("tmfk_") and "shown once" in created.err
    key_id = key.split("_")[1]

    assert secure_client.get(CUSTOMERS, headers={"X-API-Key": key}).status_code == 200
    assert secure_client.get(f"{CUSTOMERS}/nobody-{key_id}",
                             headers={"X-API-Key": key}).status_code == 404

    assert main(["keys", "list", "--format", "json"]) == 0
    listed = {k["key_id"]: k for k in json.loads(capsys.readouterr().out)}
    assert listed[key_id]["client"] == "cli-client" and listed[key_id]["secret_hash"] is None
    assert key.split("_", 2)[2] not in json.dumps(listed)

    assert main(["audit", "access", "--customer", f"nobody-{key_id}", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["client"], r["operation"], r["status"]) for r in rows] == [
        ("cli-client", "retrieveCustomer", "404")
    ]

    assert main(["report", "usage", "--since", "2000-01-01"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["client", "operation", "calls", "errors", "bytes"]
    line = next(row.split() for row in table if row.startswith("cli-client ") and
                "retrieveCustomer" in row)
    assert line[2:4] == ["1", "1"]

    assert main(["keys", "revoke", key_id]) == 0
    capsys.readouterr()
    assert secure_client.get(CUSTOMERS, headers={"X-API-Key": key}).status_code == 401
    assert main(["keys", "revoke", key_id]) == 2
