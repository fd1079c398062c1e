"""Every spec file declares how to authenticate, so clients generated from it know, on or off."""

from __future__ import annotations

import pytest
import yaml

from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.security.guard import declare_security_off, security_schemes
from tmf_gateway.specs import SPEC_DIR


@pytest.mark.parametrize("api", [*API_TABLE, *OPS_TABLE], ids=lambda api: api.name)
def test_spec_file_declares_api_key_bearer_and_oauth2_with_the_scopes_used(api):
    spec = yaml.safe_load((SPEC_DIR / api.spec_file).read_text())
    schemes = spec["components"]["securitySchemes"]
    assert schemes == security_schemes(spec, api.name)
    assert schemes["apiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["bearer"]["scheme"] == "bearer"
    assert schemes["oauth2"]["flows"]["clientCredentials"]["scopes"]
    assert spec["security"] == [{"apiKey": []}, {"bearer": []}]


def test_security_off_keeps_the_schemes_and_requires_none():
    spec = yaml.safe_load((SPEC_DIR / "gateway-ops-v1.yaml").read_text())
    declared = security_schemes(spec, "gateway-ops")
    declare_security_off(spec, "gateway-ops")
    assert spec["components"]["securitySchemes"] == declared
    assert spec["security"] == []
    assert not any("security" in op for item in spec["paths"].values() for op in item.values()
                   if isinstance(op, dict))
