"""TMF629 over HTTP, as a BSS client uses it; response validation is on for every call."""

from __future__ import annotations

import logging
import uuid

import pytest

from tmf_gateway.testing.gateway import create_customer, gateway_app

BASE = "/tmf-api/customerManagement/v4"
MOON = {
    "name": "Moon Football Club",
    "engagedParty": {"id": "500", "@referredType": "Organization"},
}


def new_customer(client, **extra):
    return create_customer(client, **{**MOON, "name": f"c-{uuid.uuid4().hex[:8]}", **extra})


def assert_tmf_error(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert {"code", "reason", "message", "status", "@type"} <= set(body)
    assert body["status"] == str(status)


def test_create_customer_as_in_the_spec(client):
    response = client.post(f"{BASE}/customer", json=MOON)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == body["href"]
    assert body["href"].startswith("http") and body["href"].endswith(f"/customer/{body['id']}")
    assert body["@type"] == "Customer"
    assert body["status"] == "Created"
    assert body["name"] == "Moon Football Club"
    assert body["engagedParty"]["id"] == "500"


def test_retrieve_with_fields_and_etag(client):
    created = new_customer(client)
    response = client.get(f"{BASE}/customer/{created['id']}", params={"fields": "name"})
    assert response.status_code == 200
    assert response.json() == {"name": created["name"]}
    assert response.headers["etag"] == '"1"'


def test_unknown_id_is_404_tmf_error(client):
    assert_tmf_error(client.get(f"{BASE}/customer/nosuch"), 404)
    assert_tmf_error(client.patch(f"{BASE}/customer/nosuch", json={"name": "x"}), 404)
    assert_tmf_error(client.delete(f"{BASE}/customer/nosuch"), 404)


def test_engaged_party_is_mandatory(client):
    assert_tmf_error(client.post(f"{BASE}/customer", json={"name": "x"}), 400)
    created = new_customer(client)
    response = client.patch(
        f"{BASE}/customer/{created['id']}",
        json={"engagedParty": None},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert_tmf_error(response, 400)
    assert client.get(f"{BASE}/customer/{created['id']}").json()["engagedParty"]["id"] == "500"


def test_malformed_bodies_are_400(client):
    assert_tmf_error(
        client.post(
            f"{BASE}/customer", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        400,
    )
    assert_tmf_error(client.post(f"{BASE}/customer", json={**MOON, "name": 5}), 400)
    response = client.post(
        f"{BASE}/customer",
        content=b'{"name": "\xff"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400


def test_merge_patch_and_json_patch(client):
    created = new_customer(client)
    url = f"{BASE}/customer/{created['id']}"
    merged = client.patch(
        url,
        json={
            "status": "Approved",
            "contactMedium": [
                {"mediumType": "email", "characteristic": {"emailAddress": "a@example.com"}}
            ],
        },
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert merged.status_code == 200
    assert merged.json()["status"] == "Approved"
    assert merged.headers["etag"] == '"2"'
    patched = client.patch(
        url,
        json=[{"op": "replace", "path": "/contactMedium/0/characteristic/emailAddress",
               "value": "b@example.com"}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert patched.status_code == 200
    assert patched.json()["contactMedium"][0]["characteristic"]["emailAddress"] == (
        "b@example.com")
    plain = client.patch(url, json={"name": "plain json"})
    assert plain.json()["name"] == "plain json"


def test_patch_media_type_other_than_json_is_415(client):
    created = new_customer(client)
    response = client.patch(
        f"{BASE}/customer/{created['id']}",
        content=b"name=x",
        headers={"Content-Type": "text/plain"},
    )
    assert_tmf_error(response, 415)


def test_server_owned_fields_cannot_change(client):
    created = new_customer(client)
    response = client.patch(
        f"{BASE}/customer/{created['id']}",
        json=[{"op": "replace", "path": "/id", "value": "mine"}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert_tmf_error(response, 400)


def test_invalid_patched_result_is_refused_and_nothing_stored(client):
    created = new_customer(client)
    url = f"{BASE}/customer/{created['id']}"
    response = client.patch(
        url,
        json=[{"op": "replace", "path": "/name", "value": 42}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert_tmf_error(response, 400)  # the patched resource would be invalid: the client's error
    missing_target = client.patch(
        url,
        json=[{"op": "remove", "path": "/nosuch"}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert_tmf_error(missing_target, 409)
    malformed = client.patch(
        url,
        json=[{"op": "add", "path": "/name"}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    assert_tmf_error(malformed, 400)
    merge_breaking_rules = client.patch(
        url,
        json={"engagedParty": None},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert_tmf_error(merge_breaking_rules, 400)
    again = client.get(url)
    assert again.json()["name"] == created["name"]
    assert again.headers["etag"] == '"1"'


def test_if_match(client):
    created = new_customer(client)
    url = f"{BASE}/customer/{created['id']}"
    stale = client.patch(url, json={"status": "Approved"}, headers={"If-Match": '"7"'})
    assert_tmf_error(stale, 412)
    fresh = client.patch(url, json={"status": "Approved"}, headers={"If-Match": '"1"'})
    assert fresh.status_code == 200
    assert_tmf_error(client.delete(url, headers={"If-Match": '"1"'}), 412)
    assert client.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert_tmf_error(client.get(url), 404)


def test_unsupported_method_is_405_with_allow(client):
    created = new_customer(client)
    response = client.put(f"{BASE}/customer/{created['id']}", json=MOON)
    assert_tmf_error(response, 405)
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "DELETE"}


def test_unknown_filter_and_bad_operator_values_are_400(client):
    assert_tmf_error(client.get(f"{BASE}/customer", params={"nosuch": "1"}), 400)
    assert_tmf_error(
        client.get(f"{BASE}/customer", params={"validFor.startDateTime.gt": "soon"}), 400
    )
    assert_tmf_error(client.get(f"{BASE}/customer", params={"limit": "abc"}), 400)


def test_audit_trail_records_who_when_what(gateway_app, client):
    created = new_customer(client)
    client.patch(f"{BASE}/customer/{created['id']}", json={"status": "Approved"})
    trail = gateway_app.gateway.services.resources.customer.audit_trail(created["id"])
    assert [e.action for e in trail] == ["create", "update"]
    assert trail[1].changes == [{"op": "replace", "path": "/status", "value": "Approved"}]
    assert all(e.actor and e.at for e in trail)


def test_hub_register_get_delete(client):
    response = client.post(
        f"{BASE}/hub", json={"callback": "http://127.0.0.1:9/listener", "query": "eventType=X"}
    )
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"].endswith(f"/hub/{body['id']}")
    assert (
        client.get(f"{BASE}/hub/{body['id']}").json()["callback"] == "http://127.0.0.1:9/listener"
    )
    assert client.delete(f"{BASE}/hub/{body['id']}").status_code == 204
    assert_tmf_error(client.get(f"{BASE}/hub/{body['id']}"), 404)
    assert_tmf_error(client.post(f"{BASE}/hub", json={"query": "x"}), 400)


@pytest.fixture(scope="module")
def thousand(tmp_path_factory):
    """A gateway holding exactly 1,000 customers, for counting and paging."""
    db = tmp_path_factory.mktemp("thousand") / "g.db"
    with gateway_app(database_url=f"sqlite:///{db}") as app, app.test_client() as test_client:
        for n in range(1000):
            create_customer(
                test_client, f"customer-{n:04d}",
                engagedParty={"id": f"party-{n % 10}", "@referredType": "Organization"},
                validFor={"startDateTime": f"2024-{1 + n % 12:02d}-01T00:00:00Z"},
            )
        yield test_client


def test_paging_over_a_thousand(thousand):
    response = thousand.get(
        f"{BASE}/customer", params={"status": "Created", "limit": 10, "offset": 990}
    )
    assert response.status_code == 206
    assert response.headers["x-total-count"] == "1000"
    assert response.headers["x-result-count"] == "10"
    assert next(c["name"] for c in response.json()) == "customer-0990"
    assert 'rel="prev"' in response.headers["link"] and 'rel="next"' not in response.headers["link"]


def test_filters_sort_fields_over_a_thousand(thousand):
    by_name = thousand.get(f"{BASE}/customer", params={"name": "customer-0042"}).json()
    assert [c["name"] for c in by_name] == ["customer-0042"]
    only_names = thousand.get(f"{BASE}/customer", params={"fields": "name", "limit": 3}).json()
    assert all(set(c) == {"name"} for c in only_names)
    desc = thousand.get(f"{BASE}/customer", params={"sort": "-name", "limit": 2}).json()
    assert [c["name"] for c in desc] == ["customer-0999", "customer-0998"]
    later = thousand.get(
        f"{BASE}/customer",
        params={"validFor.startDateTime.gt": "2024-11-15T00:00:00Z", "limit": 1000},
    )
    assert later.status_code == 200
    assert later.headers["x-total-count"] == str(len(range(11, 1000, 12)))
    party = thousand.get(f"{BASE}/customer", params={"engagedParty.id": "party-3,party-4"})
    assert party.headers["x-total-count"] == "200"


def test_filters_and_patches_log_no_warnings(client, caplog):
    """Operators alert on WARNING and ERROR logs; a filter on any attribute, or a PATCH (whose
    operation accepts two media types), is normal traffic."""
    created = new_customer(client)
    with caplog.at_level(logging.DEBUG):
        response = client.get(f"{BASE}/customer", params={"name": created["name"], "limit": 5})
        assert response.status_code == 200
        assert client.get(f"{BASE}/customer/nosuch", params={"extra": "1"}).status_code == 404
        patched = client.patch(
            f"{BASE}/customer/{created['id']}",
            json={"statusReason": "checked"},
            headers={"Content-Type": "application/merge-patch+json"},
        )
        assert patched.status_code == 200
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
