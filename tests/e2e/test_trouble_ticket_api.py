"""TMF621 over HTTP: the checks of issue 4 (create, lifecycle, captured customer, filters,
paging), with response validation on for every call."""

from __future__ import annotations

import uuid

from tests.e2e.test_customer_api import assert_tmf_error
from tmf_gateway.testing.gateway import create_customer

BASE = "/tmf-api/troubleTicket/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}


def new_customer(client, name=None, email="jane@example.com"):
    return create_customer(
        client, name or f"Jane {uuid.uuid4().hex[:6]}",
        engagedParty={"id": "ind-1", "@referredType": "Individual"},
        contactMedium=[
            {"mediumType": "phone", "characteristic": {"phoneNumber": "+33 1 23 45 67"}},
            {"mediumType": "email", "preferred": True, "characteristic": {"emailAddress": email}},
        ],
    )


def ticket_body(customer_id=None, **extra):
    body = {"description": "No internet since 9am", "severity": "Major", "ticketType": "incident"}
    if customer_id:
        body["relatedParty"] = [
            {"id": customer_id, "@referredType": "Customer", "role": "Customer"}
        ]
    return {**body, **extra}


def new_ticket(client, **extra):
    response = client.post(f"{BASE}/troubleTicket", json=ticket_body(**extra))
    assert response.status_code == 201, response.text
    return response.json()


def set_status(client, ticket_id, status, reason=None):
    body = {"status": status, **({"statusChangeReason": reason} if reason else {})}
    return client.patch(f"{BASE}/troubleTicket/{ticket_id}", json=body, headers=MERGE)


def test_create_for_a_customer_captures_the_customer(client):
    customer = new_customer(client)
    response = client.post(f"{BASE}/troubleTicket", json=ticket_body(customer["id"]))
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert response.headers["location"] == ticket["href"]
    assert ticket["href"].endswith(f"{BASE}/troubleTicket/{ticket['id']}")
    assert ticket["status"] == "acknowledged"
    assert ticket["creationDate"] == ticket["lastUpdate"] == ticket["statusChangeDate"]
    assert [(s["status"], s["changeDate"]) for s in ticket["statusChange"]] == [
        ("acknowledged", ticket["creationDate"])
    ]
    party = ticket["relatedParty"][0]
    assert party["name"] == customer["name"]
    assert party["href"] == customer["href"]
    contact = next(n for n in ticket["note"] if n["id"] == f"customer-contact-{customer['id']}")
    assert "email" in contact["text"] and "jane@example.com" in contact["text"]
    assert "+33" not in contact["text"]  # the preferred medium, not the first one


def test_captured_details_survive_a_later_customer_change(client):
    customer = new_customer(client, email="old@example.com")
    ticket = new_ticket(client, customer_id=customer["id"])
    client.patch(
        f"{CUSTOMERS}/{customer['id']}",
        json={"name": "Renamed", "contactMedium": []},
        headers=MERGE,
    )
    stored = client.get(f"{BASE}/troubleTicket/{ticket['id']}").json()
    assert stored["relatedParty"][0]["name"] == customer["name"]
    assert any("old@example.com" in n["text"] for n in stored["note"])


def test_unknown_customer_is_400_and_nothing_is_stored(client):
    marker = f"unknown-customer-{uuid.uuid4().hex}"
    response = client.post(
        f"{BASE}/troubleTicket", json=ticket_body("no-such-customer", externalId=marker)
    )
    assert_tmf_error(response, 400)
    assert "no-such-customer" in response.json()["message"]
    listed = client.get(f"{BASE}/troubleTicket", params={"externalId": marker})
    assert listed.json() == []


def test_missing_ticket_type_is_400(client):
    body = ticket_body()
    del body["ticketType"]
    assert_tmf_error(client.post(f"{BASE}/troubleTicket", json=body), 400)


def test_server_owned_fields_on_create_are_overwritten(client):
    ticket = new_ticket(
        client,
        status="closed",
        creationDate="2001-01-01T00:00:00Z",
        resolutionDate="2001-01-02T00:00:00Z",
        statusChange=[{"status": "closed"}],
    )
    assert ticket["status"] == "acknowledged"
    assert not ticket["creationDate"].startswith("2001")
    assert "resolutionDate" not in ticket
    assert [s["status"] for s in ticket["statusChange"]] == ["acknowledged"]


def test_acknowledged_to_closed_is_409_naming_allowed_states(client):
    ticket = new_ticket(client)
    response = set_status(client, ticket["id"], "closed")
    assert_tmf_error(response, 409)
    assert "cancelled, inProgress, rejected" in response.json()["message"]
    assert client.get(f"{BASE}/troubleTicket/{ticket['id']}").json()["status"] == "acknowledged"


def test_in_progress_resolved_closed_with_complete_history(client):
    ticket = new_ticket(client)
    url = f"{BASE}/troubleTicket/{ticket['id']}"
    assert set_status(client, ticket["id"], "inProgress", "Agent took it").status_code == 200
    resolved = set_status(client, ticket["id"], "resolved", "Router replaced")
    assert resolved.status_code == 200
    assert resolved.json()["resolutionDate"] == resolved.json()["statusChangeDate"]
    # the requester rejects the resolution, then accepts the second one
    assert set_status(client, ticket["id"], "inProgress", "Still down").status_code == 200
    assert set_status(client, ticket["id"], "resolved").status_code == 200
    closed = set_status(client, ticket["id"], "closed", "Customer confirmed")
    assert closed.status_code == 200, closed.text
    history = closed.json()["statusChange"]
    assert [h["status"] for h in history] == [
        "acknowledged",
        "inProgress",
        "resolved",
        "inProgress",
        "resolved",
        "closed",
    ]
    assert [h["changeReason"] for h in history][1:3] == ["Agent took it", "Router replaced"]
    assert all(h["changeDate"] for h in history)
    assert closed.json()["statusChangeReason"] == "Customer confirmed"
    assert client.get(url).json()["status"] == "closed"


def test_final_ticket_takes_notes_only(client):
    ticket = new_ticket(client)
    url = f"{BASE}/troubleTicket/{ticket['id']}"
    assert set_status(client, ticket["id"], "cancelled").status_code == 200
    assert_tmf_error(client.patch(url, json={"severity": "Minor"}, headers=MERGE), 409)
    assert_tmf_error(set_status(client, ticket["id"], "inProgress"), 409)
    noted = client.patch(url, json={"note": [{"text": "called back"}]}, headers=MERGE)
    assert noted.status_code == 200, noted.text
    again = client.patch(
        url,
        json=[{"op": "add", "path": "/note/-", "value": {"text": "closed the loop"}}],
        headers=JSON_PATCH,
    )
    assert again.status_code == 200, again.text
    assert [n["text"] for n in again.json()["note"]] == ["called back", "closed the loop"]


def test_server_owned_fields_on_patch_are_ignored(client):
    ticket = new_ticket(client)
    url = f"{BASE}/troubleTicket/{ticket['id']}"
    response = client.patch(url, json={"resolutionDate": "2030-01-01T00:00:00Z"}, headers=MERGE)
    assert response.status_code == 200
    assert "resolutionDate" not in response.json()
    assert response.headers["etag"] == '"1"'  # nothing changed, nothing stored


def test_resolution_dates_cannot_precede_creation(client):
    past = "2001-01-01T00:00:00Z"
    response = client.post(f"{BASE}/troubleTicket", json=ticket_body(requestedResolutionDate=past))
    assert_tmf_error(response, 409)
    ticket = new_ticket(client, requestedResolutionDate="2099-01-01T00:00:00Z")
    url = f"{BASE}/troubleTicket/{ticket['id']}"
    assert_tmf_error(client.patch(url, json={"expectedResolutionDate": past}, headers=MERGE), 409)
    later = client.patch(
        url, json={"expectedResolutionDate": "2098-06-01T10:00:00Z"}, headers=MERGE
    )
    assert later.status_code == 200


def test_if_match_on_patch(client):
    ticket = new_ticket(client)
    url = f"{BASE}/troubleTicket/{ticket['id']}"
    stale = client.patch(url, json={"priority": "1"}, headers={**MERGE, "If-Match": '"7"'})
    assert_tmf_error(stale, 412)
    fresh = client.patch(url, json={"priority": "1"}, headers={**MERGE, "If-Match": '"1"'})
    assert fresh.status_code == 200 and fresh.headers["etag"] == '"2"'


def test_filters_fields_sort_and_paging(client):
    ticket_type = f"t-{uuid.uuid4().hex[:8]}"
    made = [
        new_ticket(client, ticketType=ticket_type, severity=sev, priority=prio)
        for sev, prio in (("Major", "1"), ("Minor", "2"), ("Major", "3"))
    ]
    assert set_status(client, made[2]["id"], "inProgress").status_code == 200
    listing = f"{BASE}/troubleTicket"

    major = client.get(listing, params={"ticketType": ticket_type, "severity": "Major"}).json()
    assert {t["id"] for t in major} == {made[0]["id"], made[2]["id"]}
    ack = client.get(listing, params={"ticketType": ticket_type, "status": "acknowledged"}).json()
    assert {t["id"] for t in ack} == {made[0]["id"], made[1]["id"]}
    by_priority = client.get(listing, params={"ticketType": ticket_type, "priority": "2"}).json()
    assert [t["id"] for t in by_priority] == [made[1]["id"]]

    selected = client.get(listing, params={"ticketType": ticket_type, "fields": "severity,status"})
    assert all(set(t) == {"severity", "status"} for t in selected.json())

    since = made[0]["creationDate"]
    newest_first = client.get(
        listing,
        params={"ticketType": ticket_type, "creationDate.gte": since, "sort": "-creationDate"},
    ).json()
    dates = [t["creationDate"] for t in newest_first]
    assert len(dates) == 3 and dates == sorted(dates, reverse=True)

    page = client.get(listing, params={"ticketType": ticket_type, "limit": 2, "offset": 1})
    assert page.status_code == 206
    assert page.headers["x-total-count"] == "3" and page.headers["x-result-count"] == "2"
    whole = client.get(listing, params={"ticketType": ticket_type})
    assert whole.status_code == 200 and whole.headers["x-total-count"] == "3"


def test_status_change_emits_status_change_event(client, gateway_app):
    ticket = new_ticket(client)
    set_status(client, ticket["id"], "inProgress")
    with gateway_app.gateway.store.unit_of_work() as uow:
        events = [e for e in uow.outbox_after(0, 100_000) if e.resource_id == ticket["id"]]
    assert [e.event_type for e in events] == [
        "TroubleTicketCreateEvent",
        "TroubleTicketStatusChangeEvent",
        "TroubleTicketAttributeValueChangeEvent",
    ]
    changed = events[1].payload["event"]["troubleTicket"]
    assert (changed["id"], changed["status"]) == (ticket["id"], "inProgress")
    trail = gateway_app.gateway.services.resources.trouble_ticket.audit_trail(ticket["id"])
    assert [e.action for e in trail] == ["create", "update"]
    assert any(c["path"] == "/status" for c in trail[1].changes)
