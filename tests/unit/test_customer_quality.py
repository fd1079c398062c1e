"""Each data-quality check finds its planted defect; the safe fixes change only what they say."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tmf_gateway.inventory import quality

GOOD = {
    "id": "c1", "name": "Moon FC", "status": "Approved",
    "engagedParty": {"id": "p1", "@referredType": "Organization"},
    "contactMedium": [
        {"mediumType": "email", "characteristic": {"emailAddress": "info@moon.example"}},
        {"mediumType": "phone", "characteristic": {"phoneNumber": "+44 20 7946 0000"}},
    ],
    "validFor": {"startDateTime": "2020-01-01T00:00:00Z", "endDateTime": "2099-01-01T00:00:00Z"},
}
EMAIL = GOOD["contactMedium"][0]


def _checks(doc):
    return {f.check for f in quality.check_customer(doc, datetime(2026, 11, 23, tzinfo=UTC))}


def test_a_clean_customer_has_no_findings():
    assert _checks(GOOD) == set()


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"name": "  "}, "missing-name"),
        ({"name": " Moon FC "}, "untrimmed-name"),
        ({"status": None}, "missing-status"),
        ({"engagedParty": None}, "engaged-party-missing"),
        ({"engagedParty": {"name": "no id"}}, "engaged-party-missing"),
        ({"contactMedium": [{"mediumType": "email",
                             "characteristic": {"emailAddress": "not-an-email"}}]},
         "invalid-email"),
        ({"contactMedium": [{"mediumType": "mobile",
                             "characteristic": {"phoneNumber": "call me"}}]}, "invalid-phone"),
        ({"contactMedium": [{"mediumType": "email", "characteristic": {}}]},
         "empty-contact-medium"),
        ({"contactMedium": [EMAIL, EMAIL]}, "duplicate-contact-medium"),
        ({"validFor": {"endDateTime": "2021-01-01T00:00:00Z"}}, "expired-validity"),
    ],
)
def test_each_planted_defect_is_found(change, check):
    assert check in _checks({**GOOD, **change})


def test_expired_but_terminated_is_fine():
    assert _checks({**GOOD, "status": "Terminated",
                    "validFor": {"endDateTime": "2021-01-01T00:00:00Z"}}) == set()


def test_safe_fixes_trim_and_drop_repeats_only():
    doc = {**GOOD, "name": " Moon FC ", "contactMedium": [EMAIL, EMAIL]}
    new = quality.fixed(doc)
    assert new["name"] == "Moon FC" and new["contactMedium"] == [EMAIL]
    assert quality.fixed(GOOD) is None
    assert {f.check for f in quality.check_customer(doc)} <= quality.FIXABLE


def test_orders_and_tickets_name_their_customers():
    order = {"relatedParty": [{"id": "c9", "@referredType": "Customer"},
                              {"id": "x", "@referredType": "Individual"}]}
    assert quality.customer_refs(order) == {"c9"}
