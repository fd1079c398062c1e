"""`Idempotency-Key` on POST against a real gateway process on SQLite and PostgreSQL: a retry
gets the first answer and creates nothing, another body with the same key is 422, concurrent
retries create one resource, a failed first attempt frees its key."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.livesrv import serve_on

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket"
ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"
HUB = "/tmf-api/customerManagement/v4/hub"
PARTY = {"id": "500", "@referredType": "Organization"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                 marks=pytest.mark.postgres)])
def gateway(request, tmp_path_factory) -> str:
    with serve_on(request.param, tmp_path_factory.mktemp(f"idempotency-{request.param}")) as base:
        yield base


def _post(base: str, path: str, body: dict, key: str) -> requests.Response:
    return requests.post(base + path, json=body, headers={"Idempotency-Key": key}, timeout=30)


def _named(base: str, name: str) -> list[dict]:
    return requests.get(base + CUSTOMERS, params={"name": name}, timeout=10).json()


def test_a_retry_gets_the_first_answer_and_creates_nothing(gateway):
    name, key = f"idem-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    first = _post(gateway, CUSTOMERS, {"name": name, "engagedParty": PARTY}, key)
    assert first.status_code == 201, first.text
    again = _post(gateway, CUSTOMERS, {"engagedParty": PARTY, "name": name}, key)  # key order
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(_named(gateway, name)) == 1


def test_the_same_key_with_another_body_is_422(gateway):
    name, key = f"idem-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    assert _post(gateway, CUSTOMERS, {"name": name, "engagedParty": PARTY}, key).status_code == 201
    other = _post(gateway, CUSTOMERS, {"name": name + "-2", "engagedParty": PARTY}, key)
    assert other.status_code == 422
    assert other.json()["code"] == "ERR422" and "Idempotency-Key" in other.json()["message"]
    assert _named(gateway, name + "-2") == []


def test_concurrent_retries_create_one_resource(gateway):
    name, key = f"idem-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    body = {"name": name, "engagedParty": PARTY}
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: _post(gateway, CUSTOMERS, body, key), range(10)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    assert all(a.json()["code"] == "ERR409" for a in answers if a.status_code == 409)
    assert len({a.json()["id"] for a in answers if a.status_code == 201}) == 1
    assert len(_named(gateway, name)) == 1


def test_a_failed_first_attempt_frees_its_key(gateway):
    name, key = f"idem-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    assert _post(gateway, CUSTOMERS, {"name": name}, key).status_code == 400  # no engagedParty
    fixed = _post(gateway, CUSTOMERS, {"name": name, "engagedParty": PARTY}, key)
    assert fixed.status_code == 201
    assert len(_named(gateway, name)) == 1


def test_every_api_s_post_honours_the_key(gateway):
    customer = _post(gateway, CUSTOMERS, {"name": "c", "engagedParty": PARTY},
                     uuid.uuid4().hex).json()
    party = [{"id": customer["id"], "@referredType": "Customer", "role": "Customer"}]
    posts = [
        (TICKETS, {"description": "d", "severity": "Minor", "ticketType": "incident",
                   "relatedParty": party}),
        (ORDERS, {"productOrderItem": [{"id": "1", "action": "add",
                                        "productOffering": {"id": "fibre-1g"}}],
                  "relatedParty": party}),
        (HUB, {"callback": "http://127.0.0.1:9/listener"}),
    ]
    for path, body in posts:
        key = uuid.uuid4().hex
        first, again = _post(gateway, path, body, key), _post(gateway, path, body, key)
        assert first.status_code == again.status_code == 201, (path, first.text)
        assert again.json()["id"] == first.json()["id"], path
        assert again.headers["Idempotent-Replayed"] == "true"


def test_keys_are_per_path(gateway):
    key = uuid.uuid4().hex
    assert _post(gateway, CUSTOMERS, {"name": "p", "engagedParty": PARTY}, key).status_code == 201
    ticket = {"description": "d", "severity": "Minor", "ticketType": "incident"}
    assert _post(gateway, TICKETS, ticket, key).status_code == 201
