"""The conformance tool against our own gateway (a real server process): every served API
passes with a short budget."""

from __future__ import annotations

import pytest

from tests.livesrv import serve
from tmf_gateway.api.registry import API_TABLE
from tmf_gateway.cli import main
from tmf_gateway.conformance.profiles import PROFILES

APIS = {api.name: api.hub.api_root for api in API_TABLE if api.name in PROFILES}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("conformance") / "gw.db") as base:
        yield base


@pytest.mark.slow
@pytest.mark.parametrize("api", sorted(APIS))
def test_our_gateway_is_conformant(gateway, api, tmp_path, capsys):
    code = main([
        "conformance", "--api", api, "--base-url", f"{gateway}{APIS[api]}",
        "--max-examples", "5", "--time-budget", "8", "--seed", "20261123",
        "--report-dir", str(tmp_path),
    ])
    out = capsys.readouterr().out
    assert code == 0, out[-6000:] + (tmp_path / f"conformance-{api.lower()}.md").read_text()[:6000]
