"""PATCH semantics from issue 22: merge-patch null removes an optional attribute (RFC 7396),
nothing a create requires can be removed, and no patch nests a resource past max_json_depth."""

from __future__ import annotations

import pytest

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket"
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
PARTY = {"id": "500", "@referredType": "Organization"}


def _created(client, url: str, body: dict) -> dict:
    response = client.post(url, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] and body["reason"] and body["status"] == str(status)
    return body["message"]


def test_merge_patch_null_removes_an_optional_attribute(client):
    customer = _created(client, CUSTOMERS, {"name": "n", "engagedParty": PARTY,
                                            "statusReason": "why", "status": "Approved"})
    url = f"{CUSTOMERS}/{customer['id']}"
    response = client.patch(url, json={"statusReason": None, "status": "Validated"},
                            headers=MERGE)
    assert response.status_code == 200, response.text
    assert "statusReason" not in response.json() and response.json()["status"] == "Validated"
    assert "statusReason" not in client.get(url).json()


@pytest.mark.parametrize("media", ["merge", "json-patch"])
def test_what_create_requires_cannot_be_removed(client, media):
    customer = _created(client, CUSTOMERS, {"name": "keep", "engagedParty": PARTY})
    ticket = _created(client, TICKETS, {"description": "d", "severity": "Minor",
                                        "ticketType": "incident"})
    for url, field in ((f"{CUSTOMERS}/{customer['id']}", "name"),
                       (f"{TICKETS}/{ticket['id']}", "severity"),
                       (f"{TICKETS}/{ticket['id']}", "description")):
        before = client.get(url)
        if media == "merge":
            response = client.patch(url, json={field: None}, headers=MERGE)
        else:
            response = client.patch(url, json=[{"op": "remove", "path": f"/{field}"}],
                                    headers=JSON_PATCH)
        assert f"'{field}'" in _error(response, 400)
        after = client.get(url)
        assert after.json() == before.json() and after.headers["ETag"] == before.headers["ETag"]


def test_json_patches_cannot_nest_a_resource_past_the_depth_limit(client):
    customer = _created(client, CUSTOMERS, {"name": "deep", "engagedParty": PARTY})
    url = f"{CUSTOMERS}/{customer['id']}"
    value: list = []
    for _ in range(60):
        value = [value]
    first = client.patch(url, json=[{"op": "add", "path": "/characteristic",
                                     "value": [{"name": "a", "value": value}]}],
                         headers=JSON_PATCH)
    assert first.status_code == 200, first.text
    deeper = "/characteristic/0/value" + "/0" * 59
    second = client.patch(url, json=[{"op": "add", "path": deeper + "/-", "value": value}],
                          headers=JSON_PATCH)
    assert "deeper than 100" in _error(second, 400)


def test_a_stored_document_too_deep_to_patch_is_a_409_not_a_500(gateway_app, client):
    """A document stored before the depth limit applied to every write (written straight to
    the store here) cannot be patched, and says so."""
    customer = _created(client, CUSTOMERS, {"name": "legacy", "engagedParty": PARTY})
    deep: list = []
    for _ in range(900):
        deep = [deep]
    store = gateway_app.gateway.store
    with store.unit_of_work(write=True) as uow:
        uow.replace("customer", customer["id"],
                    {**customer, "characteristic": [{"name": "a", "value": deep}]}, 1)
    try:
        response = client.patch(f"{CUSTOMERS}/{customer['id']}", json={"description": "d"},
                                headers=MERGE)
        assert "too deep" in _error(response, 409)
    finally:  # the session's other tests list customers with response validation on
        with store.unit_of_work(write=True) as uow:
            uow.delete("customer", customer["id"])
