"""With security on, an Idempotency-Key belongs to the client that sent it: another client's
request with the same key is its own request, never an answer meant for someone else."""

from __future__ import annotations

import uuid

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
BODY = {"name": "same", "engagedParty": {"id": "p1", "@referredType": "Individual"}}


def test_the_same_key_from_two_clients_creates_two_resources(secure_client, make_key):
    key = uuid.uuid4().hex
    first, second = make_key("idem-a", "customer:write"), make_key("idem-b", "customer:write")
    a = secure_client.post(CUSTOMERS, json=BODY, headers={**first, "Idempotency-Key": key})
    b = secure_client.post(CUSTOMERS, json=BODY, headers={**second, "Idempotency-Key": key})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    again = secure_client.post(CUSTOMERS, json=BODY, headers={**first, "Idempotency-Key": key})
    assert again.json()["id"] == a.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_refused_request_does_not_claim_the_key(secure_client, make_key):
    key = uuid.uuid4().hex
    reader = make_key("idem-reader", "customer:read")
    refused = secure_client.post(CUSTOMERS, json=BODY, headers={**reader, "Idempotency-Key": key})
    assert refused.status_code == 403
    writer = make_key("idem-reader", "customer:write")  # the same client, now allowed
    created = secure_client.post(CUSTOMERS, json=BODY, headers={**writer, "Idempotency-Key": key})
    assert created.status_code == 201
