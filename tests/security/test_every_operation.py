"""Every operation of every served spec, with security on: 401 without credentials, 403
without its scope, neither with it. Generated from the loaded specs, not listed by hand; the
operations that authenticate callers themselves (x-tmf-gateway-auth) are tested on their own."""

from __future__ import annotations

import re

import pytest

from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.bootstrap import load_spec
from tmf_gateway.security.guard import OWN_AUTH, required_scope
from tmf_gateway.specs import SPEC_DIR


def _operations():
    for api in (*API_TABLE, *OPS_TABLE):
        spec = load_spec(SPEC_DIR / api.spec_file)
        base = spec["servers"][0]["url"]
        for path, item in spec["paths"].items():
            for method, op in item.items():
                if isinstance(op, dict) and "operationId" in op and not op.get(OWN_AUTH):
                    yield pytest.param(
                        method, base + re.sub(r"\{[^}]+\}", "1", path),
                        required_scope(api.name, method, path, op),
                        id=f"{api.name}-{op['operationId']}",
                    )


OPERATIONS = list(_operations())


def _call(client, method, url, headers):
    headers = {"Content-Type": "application/merge-patch+json" if method == "patch"
               else "application/json", **headers}
    body = None if method in ("get", "delete") else b"{}"
    return client.request(method.upper(), url, content=body, headers=headers)


def test_operations_were_generated():
    assert len(OPERATIONS) >= 30


@pytest.mark.parametrize(("method", "url", "scope"), OPERATIONS)
def test_refused_without_credentials(secure_client, method, url, scope):
    response = _call(secure_client, method, url, {})
    assert response.status_code == 401
    assert response.json()["code"] == "ERR401" and response.json()["@type"] == "Error"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "url", "scope"), OPERATIONS)
def test_refused_without_the_scope(secure_client, make_key, method, url, scope):
    unrelated = "customer:read" if scope != "customer:read" else "troubleTicket:read"
    response = _call(secure_client, method, url, make_key("narrow", unrelated))
    assert response.status_code == 403
    assert scope in response.json()["message"] and response.json()["status"] == "403"


@pytest.mark.parametrize(("method", "url", "scope"), OPERATIONS)
def test_allowed_with_the_scope(secure_client, make_key, method, url, scope):
    response = _call(secure_client, method, url, make_key("exact", scope))
    assert response.status_code not in (401, 403), response.text
    assert response.status_code < 500, response.text
