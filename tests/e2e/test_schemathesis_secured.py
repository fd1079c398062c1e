"""Schemathesis' auth checks against a real gateway with security on: every operation of every
TMF API refuses missing and wrong credentials (`ignored_auth`), and answers as specified with an
admin key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.livesrv import serve
from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.bootstrap import open_store
from tmf_gateway.config import Settings
from tmf_gateway.security.keys import KeyService
from tmf_gateway.security.storage import for_store

ROOT = Path(__file__).resolve().parents[2]
APIS = {api.name: api.hub.api_root for api in API_TABLE}
RESOURCES = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    db = tmp_path_factory.mktemp("st-secure") / "secure.db"
    store = open_store(Settings(database_url=f"sqlite:///{db}"), RESOURCES)
    _record, key = KeyService(for_store(store)).create("schemathesis", ["admin"])
    store.close()
    with serve(db, TMF_GATEWAY_SECURITY="on") as base:
        yield base, key


@pytest.mark.slow
@pytest.mark.parametrize("api", sorted(APIS))
def test_schemathesis_auth_checks(secured, api):
    base, key = secured
    root = APIS[api]
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run",
        f"{base}{root}/openapi.json", "--url", f"{base}{root}",
        "--checks", "ignored_auth,not_a_server_error,status_code_conformance",
        "--phases", "fuzzing", "--max-examples", "2", "--workers", "1",
        "--seed", "20261123", "-H", f"X-API-Key: {key}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:]
