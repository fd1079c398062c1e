"""`client_scopes`: the gateway's own grant for named JWT clients replaces the token's scopes."""

from __future__ import annotations

import pytest

from tmf_gateway.app import create_app
from tmf_gateway.config import Settings
from tmf_gateway.errors import ConfigurationError
from tmf_gateway.security.tokens import client_grants

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
EXPORT = "/tmf-gateway/v1/customerExport"


def test_a_listed_client_gets_the_listed_scopes_not_its_tokens(secure_client, make_token):
    token = make_token("granted-exporter", "customer:read customer:write")
    assert secure_client.get(EXPORT, headers=token).status_code == 200
    refused = secure_client.get(CUSTOMERS, headers=token)  # the token's customer:read is gone
    assert refused.status_code == 403 and "customer:read" in refused.json()["message"]


def test_the_client_is_found_by_sub_when_the_token_has_no_client_id(secure_client, make_token):
    token = make_token("granted-by-sub", "", client_id=None)
    assert secure_client.get(CUSTOMERS, headers=token).status_code == 200
    assert secure_client.get(EXPORT, headers=token).status_code == 403


def test_unlisted_clients_and_api_keys_keep_their_own_scopes(
    secure_client, make_token, make_key
):
    assert secure_client.get(CUSTOMERS, headers=make_token("other", "customer:read")) \
        .status_code == 200
    assert secure_client.get(EXPORT, headers=make_token("other", "customer:read")) \
        .status_code == 403
    key = make_key("granted-exporter", "customer:read")  # a key carries its own scopes
    assert secure_client.get(CUSTOMERS, headers=key).status_code == 200
    assert secure_client.get(EXPORT, headers=key).status_code == 403


def test_the_table_takes_lists_or_strings_and_refuses_the_rest():
    assert client_grants({"a": ["x:read", "y:write"], "b": "x:read, y:write", "c": []}) == {
        "a": frozenset({"x:read", "y:write"}),
        "b": frozenset({"x:read", "y:write"}),
        "c": frozenset(),
    }
    for bad in (3, ["x", 1], {"x": 1}):
        with pytest.raises(ConfigurationError, match=r"client_scopes\.a "):
            client_grants({"a": bad})


def test_client_scopes_without_jwt_stop_start_up(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", background=False,
                        security="on", client_scopes={"a": ["customer:read"]})
    with pytest.raises(ConfigurationError, match="security_jwks"):
        create_app(settings)
