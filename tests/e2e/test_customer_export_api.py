"""`GET /tmf-gateway/v1/customerExport` with security off: formats, filters, 400s, streaming.
Response validation is on, so every JSON line is also checked against the ops spec."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest

from tmf_gateway.testing.gateway import asgi_get
from tmf_gateway.testing.gateway import gateway_app as build_gateway

EXPORT = "/tmf-gateway/v1/customerExport"
PARTY = {"id": "p-export", "@referredType": "Individual"}


@pytest.fixture(scope="module")
def gateway_app(app_class, tmp_path_factory):
    """An app of this module's own: the hundreds of customers seeded here would turn the shared
    app's unpaged customer lists into 206 pages for other tests."""
    db = tmp_path_factory.mktemp("export") / "export.db"
    with build_gateway(database_url=f"sqlite:///{db}", app=app_class) as app:
        yield app


@pytest.fixture(scope="module")
def client(gateway_app):
    with gateway_app.test_client() as test_client:
        yield test_client


def _seed(gateway_app, tag: str, count: int) -> list[str]:
    """Customers straight into the store: the API's create would be slow for hundreds."""
    ids = [f"{tag}-{n:05d}" for n in range(count)]
    with gateway_app.gateway.store.unit_of_work(write=True) as uow:
        for cid in ids:
            uow.add("customer", {"id": cid, "href": f"/c/{cid}", "@type": "Customer",
                                 "name": f"{tag} {cid}", "status": "Approved",
                                 "engagedParty": PARTY, "description": "d" * 300})
    return ids


def test_jsonl_export_of_the_filtered_customers(client, gateway_app):
    tag = f"exp{uuid.uuid4().hex[:8]}"
    ids = _seed(gateway_app, tag, 5)
    response = client.get(EXPORT, params={"name*": f"^{tag} "})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    assert "customers.jsonl" in response.headers["content-disposition"]
    docs = [json.loads(line) for line in response.text.splitlines()]
    assert [d["id"] for d in docs] == ids  # insertion order
    assert all(d["engagedParty"] == PARTY for d in docs)


def test_csv_export_and_the_filter_narrows_it(client, gateway_app):
    tag = f"csv{uuid.uuid4().hex[:8]}"
    ids = _seed(gateway_app, tag, 3)
    response = client.get(EXPORT, params={"format": "csv", "name": f"{tag} {ids[1]}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["id"], r["engagedParty.id"], r["contactMedium"]) for r in rows] == [
        (ids[1], "p-export", "[]")
    ]
    nothing = client.get(EXPORT, params={"format": "csv", "name": f"{tag} none"})
    assert nothing.status_code == 200 and nothing.text.splitlines() == [
        "id,name,status,@type,engagedParty.id,engagedParty.@referredType,"
        "validFor.startDateTime,validFor.endDateTime,contactMedium"
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"format": "xml"},
        {"nosuch": "1"},
        {"name.first": "x"},
        {"sort": "name"},
        {"limit": "10"},
        {"fields": "nosuch.path", "offset": "1"},
        {"format": "csv", "validFor.startDateTime>": "not-a-date"},
    ],
    ids=lambda p: "&".join(p),
)
def test_bad_format_or_filter_is_a_tmf_400(client, params):
    response = client.get(EXPORT, params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert {"code", "reason", "message"} <= set(body) and body["status"] == "400"


def test_fields_select_attributes_and_csv_columns_as_on_a_list(client, gateway_app):
    tag = f"fld{uuid.uuid4().hex[:8]}"
    ids = _seed(gateway_app, tag, 3)
    jsonl = client.get(EXPORT, params={"name*": f"^{tag} ", "fields": "id,engagedParty.id"})
    assert jsonl.status_code == 200, jsonl.text
    assert [json.loads(line) for line in jsonl.text.splitlines()] == [
        {"id": cid, "engagedParty": {"id": PARTY["id"]}} for cid in ids
    ]
    table = client.get(EXPORT, params={"name*": f"^{tag} ", "format": "csv", "fields": "name"})
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows == [["name"], *[[f"{tag} {cid}"] for cid in ids]]


def test_the_body_is_streamed_in_pieces_not_built_first(gateway_app, client):
    """Call the ASGI app directly and count the body messages: a buffered body is one."""
    tag = f"big{uuid.uuid4().hex[:8]}"
    ids = _seed(gateway_app, tag, 600)  # ~250 KB: several 64 KB chunks
    messages: list[dict] = []
    async def send(message: dict) -> None:
        messages.append(message)

    asgi_get(gateway_app, EXPORT, f"name*=%5E{tag}".encode(), send)
    assert messages[0]["type"] == "http.response.start" and messages[0]["status"] == 200
    assert b"content-length" not in dict(messages[0]["headers"])
    bodies = [m for m in messages if m["type"] == "http.response.body"]
    assert len([m for m in bodies if m.get("more_body")]) >= 3
    lines = b"".join(m.get("body", b"") for m in bodies).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == ids
