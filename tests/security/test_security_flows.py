"""With security on: the issue's check (read token lists, cannot PATCH; both in the access log
and the usage report), hub ownership, rate limits, body limit, headers, key revocation."""

from __future__ import annotations

import uuid

from tmf_gateway.cli.security import usage
from tmf_gateway.security.keys import KeyService

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
HUB = "/tmf-api/customerManagement/v4/hub"


def _customer(client, headers) -> str:
    body = {"name": f"Sec {uuid.uuid4().hex[:8]}",
            "engagedParty": {"id": "p1", "@referredType": "Individual"}}
    response = client.post(CUSTOMERS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_read_token_lists_but_cannot_patch_and_both_are_audited(
    secure_app, secure_client, make_token, make_key
):
    customer_id = _customer(secure_client, make_key("loader", "customer:write"))
    reader = f"reader-{uuid.uuid4().hex[:6]}"
    token = make_token(reader, "customer:read")
    assert secure_client.get(CUSTOMERS, headers=token).status_code == 200
    assert secure_client.get(f"{CUSTOMERS}/{customer_id}", headers=token).status_code == 200
    refused = secure_client.patch(
        f"{CUSTOMERS}/{customer_id}", json={"name": "x"},
        headers={**token, "Content-Type": "application/merge-patch+json"},
    )
    assert refused.status_code == 403 and refused.json()["code"] == "ERR403"
    log = secure_app.gateway.services.security.store
    # the list also counts one access per customer it returned (docs/security.md)
    calls = [a for a in log.accesses() if a.client == reader
             and not (a.operation == "listCustomer" and a.customer_id)]
    assert [(a.operation, a.status) for a in calls] == [
        ("listCustomer", 200), ("retrieveCustomer", 200), ("patchCustomer", 403),
    ]
    assert [(a.operation, a.customer_id) for a in log.accesses(customer_id=customer_id)
            if a.client == reader][-2:] == [("retrieveCustomer", customer_id),
                                           ("patchCustomer", customer_id)]
    report = {(r["client"], r["operation"]): r for r in usage(log.accesses())}
    assert report[(reader, "listCustomer")]["calls"] == 1
    assert report[(reader, "listCustomer")]["bytes"] > 0
    assert report[(reader, "patchCustomer")]["errors"] == 1


def test_bad_tokens_are_401(secure_client, make_token):
    for headers in (
        make_token("c", "customer:read", aud="someone-else"),
        make_token("c", "customer:read", iss="https://evil.test/"),
        make_token("c", "customer:read", exp=1),
        {"Authorization": "Bearer not-a-jwt"},
        {"X-API-Key": "tmfk_0000_guess"},
    ):
        response = secure_client.get(CUSTOMERS, headers=headers)
        assert response.status_code == 401
        assert "guess" not in response.text and "Bearer" not in response.text


def test_revoked_key_is_refused(secure_app, secure_client):
    keys = KeyService(secure_app.gateway.services.security.store)
    record, key = keys.create("revokable", ["customer:read"])
    assert secure_client.get(CUSTOMERS, headers={"X-API-Key": key}).status_code == 200
    assert keys.revoke(record.key_id)
    assert secure_client.get(CUSTOMERS, headers={"X-API-Key": key}).status_code == 401
    stored = next(k for k in keys.store.list_keys() if k.key_id == record.key_id)
    assert key.split("_")[-1] not in stored.secret_hash  # only a hash is kept


def test_hub_subscriptions_belong_to_their_owner(secure_client, make_key):
    owner, other = make_key("owner", "customer:write"), make_key("other", "customer:write")
    admin = make_key("ops", "admin")
    created = secure_client.post(HUB, json={"callback": "http://127.0.0.1:9/listener"},
                                 headers=owner)
    assert created.status_code == 201
    url = f"{HUB}/{created.json()['id']}"
    assert secure_client.get(url, headers=other).status_code == 404
    assert secure_client.delete(url, headers=other).status_code == 404
    assert secure_client.get(url, headers=owner).status_code == 200
    assert secure_client.get(url, headers=admin).status_code == 200
    assert secure_client.delete(url, headers=owner).status_code == 204


def test_rate_limit_per_client_answers_429_with_retry_after(secure_client, make_key):
    headers = make_key("throttled", "customer:read")
    statuses = [secure_client.get(CUSTOMERS, headers=headers) for _ in range(6)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited and int(limited[0].headers["Retry-After"]) >= 1
    assert limited[0].json()["code"] == "ERR429"
    # other clients keep their own budget
    assert secure_client.get(CUSTOMERS, headers=make_key("free", "customer:read")).status_code \
        == 200


def test_large_body_is_413(secure_client, make_key):
    response = secure_client.post(
        CUSTOMERS, json={"name": "x" * 30_000}, headers=make_key("big", "customer:write")
    )
    assert response.status_code == 413 and response.json()["code"] == "ERR413"


def test_security_headers_on_answers_and_errors(secure_client, make_key):
    for response in (
        secure_client.get(CUSTOMERS),
        secure_client.get(CUSTOMERS, headers=make_key("h", "customer:read")),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_specs_declare_the_schemes_when_security_is_on(secure_client):
    spec = secure_client.get("/tmf-api/customerManagement/v4/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"apiKey", "bearer", "oauth2"}
    assert set(schemes["oauth2"]["flows"]["clientCredentials"]["scopes"]) == {
        "customer:read", "customer:write"}
    assert spec["security"] == [{"apiKey": []}, {"bearer": []}]
    listing = spec["paths"]["/customer"]["get"]
    assert listing["x-required-scope"] == "customer:read"
    assert {"oauth2": ["customer:read"]} in listing["security"]
    assert "x-tmf-gateway-security" not in spec["info"]


def test_security_is_off_by_default(client):
    from tmf_gateway.config import Settings

    assert Settings().security == "off"
    spec = client.get("/tmf-api/customerManagement/v4/openapi.json").json()
    # the schemes stay declared for generated clients; the spec says none is required here
    assert set(spec["components"]["securitySchemes"]) == {"apiKey", "bearer", "oauth2"}
    assert spec["security"] == []
    assert all("security" not in op for item in spec["paths"].values() for op in item.values()
               if isinstance(op, dict))
    assert spec["info"]["x-tmf-gateway-security"] == "off"
    assert "Security is off on this server" in spec["info"]["description"]
    assert client.get(CUSTOMERS).status_code == 200
