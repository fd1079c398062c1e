"""Problem reports and customer records over HTTP: a customer's report names the customer,
and contact media are checked when written."""

from __future__ import annotations

import pytest

from tmf_gateway.testing.gateway import create_customer, gateway_app

TICKETS = "/tmf-api/troubleTicket/v4/troubleTicket"
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
MERGE = {"Content-Type": "application/merge-patch+json"}


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    db = tmp_path_factory.mktemp("reports") / "gw.db"
    with gateway_app(database_url=f"sqlite:///{db}") as app, app.test_client() as client:
        yield client


def report(**extra):
    return {"description": "no dial tone", "severity": "Major", "ticketType": "Incident",
            **extra}


def test_a_report_from_a_customer_channel_must_name_the_customer(http):
    refused = http.post(TICKETS, json=report(channel={"id": "phone", "name": "Phone"}))
    assert refused.status_code == 400
    assert "names the customer" in refused.json()["message"]
    assert http.get(f"{TICKETS}?description=no dial tone&channel.id=phone").json() == []
    customer = create_customer(http, "Ada")
    party = [{"id": customer["id"], "@referredType": "Customer"}]
    created = http.post(TICKETS, json=report(channel={"id": "phone"}, relatedParty=party))
    assert created.status_code == 201, created.text
    # taking the customer away again is a conflict with what the ticket is
    dropped = http.patch(f"{TICKETS}/{created.json()['id']}", headers=MERGE,
                         json={"relatedParty": []})
    assert dropped.status_code == 409
    assert "names the customer" in dropped.json()["message"]


def test_a_detected_or_internal_report_needs_no_customer(http):
    noc = http.post(TICKETS, json=report(channel={"id": "monitoring"}))
    assert noc.status_code == 201, noc.text
    assert http.post(TICKETS, json=report()).status_code == 201


@pytest.mark.parametrize(("medium", "words"), [
    ({"mediumType": "email", "characteristic": {"emailAddress": "jane.example.com"}},
     "not an email address"),
    ({"mediumType": "email", "characteristic": {"phoneNumber": "+33 1 23 45 67 89"}},
     "needs 'characteristic.emailAddress'"),
    ({"mediumType": "phone", "characteristic": {"phoneNumber": "call me maybe"}},
     "not a phone number"),
    ({"mediumType": "postalAddress", "characteristic": {"street1": "1 rue de la Paix"}},
     "needs 'city'"),
])
def test_malformed_contact_media_are_refused_on_create_and_patch(http, medium, words):
    refused = http.post(CUSTOMERS, json={
        "name": "Bad Contact", "engagedParty": {"id": "p1", "@referredType": "Individual"},
        "contactMedium": [medium]})
    assert refused.status_code == 400
    assert words in refused.json()["message"] and "contactMedium[0]" in refused.json()["message"]
    customer = create_customer(http, "Good Contact")
    patched = http.patch(f"{CUSTOMERS}/{customer['id']}", headers=MERGE,
                         json={"contactMedium": [medium]})
    assert patched.status_code == 400
    assert "contactMedium" not in http.get(f"{CUSTOMERS}/{customer['id']}").json()


def test_well_formed_contact_media_are_stored(http):
    media = [
        {"mediumType": "email", "preferred": True,
         "characteristic": {"emailAddress": "jane@example.com"}},
        {"mediumType": "mobile", "characteristic": {"phoneNumber": "+33 6 12 34 56 78"}},
        {"mediumType": "postalAddress",
         "characteristic": {"street1": "1 rue de la Paix", "city": "Paris", "postCode": "75002",
                            "country": "FR"}},
    ]
    customer = create_customer(http, "Jane", contactMedium=media)
    assert http.get(f"{CUSTOMERS}/{customer['id']}").json()["contactMedium"] == media
