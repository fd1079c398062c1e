"""TMF630 paging edge cases and exact attribute selection, as v4 clients and test kits use them,
on every TMF API (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.e2e.v4client import CUSTOMERS, INSTANT, ORDERS, STORES, TICKETS, app_on
from tmf_gateway.testing.gateway import gateway_app, sqlite_in

NEW = {
    f"{CUSTOMERS}/customer": {"name": "Ada", "engagedParty": {"id": "p", "@referredType": "x"}},
    f"{ORDERS}/productOrder": {"productOrderItem": [{"id": "1", "action": "add",
                                                     "productOffering": {"id": "fibre-1g"}}]},
    f"{TICKETS}/troubleTicket": {"description": "down", "severity": "Major",
                                 "ticketType": "incident"},
}


@pytest.fixture(scope="module", params=STORES)
def http(request, tmp_path_factory):
    for app in app_on(request.param, tmp_path_factory, max_limit=3):
        with app.test_client() as client:
            for url, body in NEW.items():
                for _ in range(4):
                    assert client.post(url, json=body).status_code == 201
            yield client


@pytest.mark.parametrize("url", sorted(NEW))
def test_limit_zero_answers_the_counts_only(http, url):
    response = http.get(url, params={"limit": 0})
    assert response.status_code == 200, response.text
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "4"
    assert response.headers["X-Result-Count"] == "0"


@pytest.mark.parametrize("url", sorted(NEW))
def test_limit_above_the_maximum_is_clamped_and_said_so(http, url):
    response = http.get(url, params={"limit": 50})
    assert response.status_code == 206, response.text
    assert len(response.json()) == 3
    assert response.headers["X-Result-Limit"] == "3"
    assert 'offset=3&limit=3>; rel="next"' in response.headers["Link"]


@pytest.mark.parametrize("name", ["limit", "offset"])
@pytest.mark.parametrize("url", sorted(NEW))
def test_negative_paging_values_are_a_tmf_400_naming_the_parameter(http, url, name):
    response = http.get(url, params={name: -1})
    assert response.status_code == 400
    body = response.json()
    assert {"code", "reason", "message"} <= set(body) and name in body["message"]


@pytest.mark.parametrize("url", sorted(NEW))
def test_fields_returns_exactly_the_named_attributes(http, url):
    listed = http.get(url, params={"fields": "id,@type"}).json()
    assert listed and all(set(doc) == {"id", "@type"} for doc in listed)
    one = listed[0]["id"]
    attribute = "name" if "customer" in url else "state" if "Order" in url else "status"
    retrieved = http.get(f"{url}/{one}", params={"fields": attribute})
    assert retrieved.status_code == 200
    assert set(retrieved.json()) == {attribute}


def test_a_setting_keeps_id_href_and_type(tmp_path):
    with gateway_app(database_url=sqlite_in(tmp_path), fields_keep_identity=True,
                     southbound_options=INSTANT) as app, app.test_client() as client:
        url = f"{CUSTOMERS}/customer"
        created = client.post(url, json=NEW[url]).json()
        listed = client.get(url, params={"fields": "name"}).json()
        assert listed == [{"id": created["id"], "href": created["href"],
                           "@type": created["@type"], "name": "Ada"}]
        one = client.get(f"{url}/{created['id']}", params={"fields": "name"}).json()
        assert set(one) == {"id", "href", "@type", "name"}
