"""Trouble ticket rules without I/O: the v4 lifecycle, history, dates, final-state patches."""

from __future__ import annotations

import pytest

from tests.lifecycles import official
from tmf_gateway.domain import ticket_states
from tmf_gateway.domain import trouble_ticket as rules
from tmf_gateway.domain.lifecycle import TROUBLE_TICKET
from tmf_gateway.errors import Conflict, IllegalTransition
from tmf_gateway.services.trouble_ticket import contact_text

NOW = "2026-01-01T10:00:00.000Z"
LATER = "2026-01-01T11:00:00.000Z"

TICKET = official()["TroubleTicket"]
ALLOWED = sorted(TICKET.legal)
FORBIDDEN = sorted(TICKET.illegal)


def opened(**extra):
    doc = {"description": "d", "severity": "Major", "ticketType": "incident", **extra}
    ticket_states.open_ticket(doc, NOW)
    return doc


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions(current, target):
    old = {**opened(), "status": current}
    new = {**old, "status": target}
    ticket_states.change_status(old, new, LATER, "why")
    assert new["status"] == target
    assert new["statusChange"][-1] == {
        "status": target,
        "changeDate": LATER,
        "changeReason": "why",
        "@type": "StatusChange",
    }
    assert new["statusChangeDate"] == LATER
    assert ("resolutionDate" in new) == (target == "resolved")


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_forbidden_transitions_name_the_allowed_states(current, target):
    old = {**opened(), "status": current}
    with pytest.raises(IllegalTransition) as caught:
        ticket_states.change_status(old, {**old, "status": target}, LATER)
    assert caught.value.allowed == TROUBLE_TICKET.allowed(current)


def test_final_states():
    assert {s for s in TROUBLE_TICKET.states if rules.is_final(s)} == TICKET.final


def test_open_ticket_overwrites_server_owned_fields():
    doc = opened(
        status="closed",
        creationDate="2000-01-01T00:00:00Z",
        resolutionDate=NOW,
        statusChange=[{"status": "closed"}],
        statusChangeReason="Phoned in",
    )
    assert doc["status"] == "acknowledged"
    assert doc["creationDate"] == doc["lastUpdate"] == doc["statusChangeDate"] == NOW
    assert "resolutionDate" not in doc
    assert doc["statusChange"] == [
        {
            "status": "acknowledged",
            "changeDate": NOW,
            "changeReason": "Phoned in",
            "@type": "StatusChange",
        }
    ]


def test_restore_server_owned_undoes_client_changes():
    old = opened()
    new = {**old, "creationDate": LATER, "statusChange": [], "resolutionDate": LATER}
    rules.restore_server_owned(old, new)
    assert new == old


def test_final_ticket_takes_notes_only():
    old = {**opened(), "status": "closed"}
    rules.check_final(old, {**old, "note": [{"text": "x"}], "lastUpdate": LATER})
    with pytest.raises(Conflict, match="severity"):
        rules.check_final(old, {**old, "severity": "Minor"})


def test_resolution_dates_not_before_creation():
    rules.check_resolution_dates(opened(requestedResolutionDate=LATER))
    with pytest.raises(Conflict, match="requestedResolutionDate"):
        rules.check_resolution_dates(opened(requestedResolutionDate="2025-12-31T00:00:00Z"))
    with pytest.raises(Conflict, match="expectedResolutionDate"):
        rules.check_resolution_dates(opened(expectedResolutionDate="2020-01-01T00:00:00Z"))


def test_contact_text_prefers_the_preferred_medium():
    customer = {
        "id": "7",
        "name": "Ann",
        "contactMedium": [
            {"mediumType": "phone", "characteristic": {"phoneNumber": "123"}},
            {
                "mediumType": "email",
                "preferred": True,
                "characteristic": {"emailAddress": "ann@example.com"},
            },
        ],
    }
    text = contact_text(customer)
    assert "Ann (id 7)" in text and "email" in text and "ann@example.com" in text
    assert "123" not in text
    assert "no contact medium" in contact_text({"id": "8", "name": "Bo"})
