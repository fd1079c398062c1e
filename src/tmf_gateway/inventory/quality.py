"""Data-quality checks of the customer inventory, and the few fixes that are safe to apply.

Checks (docs/security.md lists them for users):
    missing-name, missing-status      mandatory data absent or blank
    engaged-party-missing             no engagedParty, or one without an id
    invalid-email, invalid-phone      a contact medium whose address or number is malformed
    empty-contact-medium              a contact medium with no address, number or postcode
    duplicate-contact-medium          the same medium twice on one customer      (fixable)
    shared-contact-medium             the same email or phone on another customer
    expired-validity                  validFor ended but the customer is not terminated
    untrimmed-name                    the name has leading or trailing blanks    (fixable)
    order-missing-customer            a product order's Customer party does not exist
    ticket-missing-customer           a trouble ticket's Customer party does not exist
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()\-./]{6,24}$")
PHONE_TYPES = {"phone", "mobile", "telephone", "fax", "telephonenumber"}
CLOSED = {"terminated", "inactive", "closed"}
FIXABLE = {"duplicate-contact-medium", "untrimmed-name"}


@dataclass(frozen=True)
class Finding:
    resource: str  # customer, product_order, trouble_ticket
    resource_id: str
    check: str
    detail: str

    @property
    def fixable(self) -> bool:
        return self.check in FIXABLE


def _medium_value(medium: dict[str, Any]) -> tuple[str, str]:
    kind = str(medium.get("mediumType") or "").lower()
    ch = medium.get("characteristic") or {}
    for key in ("emailAddress", "phoneNumber", "faxNumber", "postCode", "street1", "city"):
        if ch.get(key):
            return kind, str(ch[key]).strip().lower()
    return kind, ""


def _phone_ok(value: str) -> bool:
    return bool(PHONE.match(value)) and sum(c.isdigit() for c in value) >= 6


def _expired(doc: dict[str, Any], now: datetime) -> bool:
    end = (doc.get("validFor") or {}).get("endDateTime")
    if not end or str(doc.get("status", "")).lower() in CLOSED:
        return False
    try:
        ended = datetime.fromisoformat(str(end).replace("Z", "+00:00"))
    except ValueError:
        return False
    return (ended if ended.tzinfo else ended.replace(tzinfo=UTC)) < now


def check_customer(doc: dict[str, Any], now: datetime | None = None) -> Iterator[Finding]:
    """Findings on one customer by itself (no other customer or resource needed)."""
    now = now or datetime.now(UTC)
    cid = str(doc.get("id"))

    def finding(check: str, detail: str) -> Finding:
        return Finding("customer", cid, check, detail)

    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        yield finding("missing-name", "the customer has no name")
    elif name != name.strip():
        yield finding("untrimmed-name", f"name {name!r} has leading or trailing blanks")
    if not doc.get("status"):
        yield finding("missing-status", "the customer has no status")
    party = doc.get("engagedParty")
    if not isinstance(party, dict) or not party.get("id"):
        yield finding("engaged-party-missing", "no engagedParty with an id")
    seen: set[tuple[str, str]] = set()
    for index, medium in enumerate(doc.get("contactMedium") or []):
        if not isinstance(medium, dict):
            continue
        kind, value = _medium_value(medium)
        where = f"contactMedium[{index}]"
        if not value:
            yield finding("empty-contact-medium", f"{where} ({kind or 'no type'}) is empty")
            continue
        if kind == "email" and not EMAIL.match(value):
            yield finding("invalid-email", f"{where}: {value!r} is not an email address")
        if kind in PHONE_TYPES and not _phone_ok(value):
            yield finding("invalid-phone", f"{where}: {value!r} is not a phone number")
        if (kind, value) in seen:
            yield finding("duplicate-contact-medium", f"{where} repeats {kind} {value!r}")
        seen.add((kind, value))
    if _expired(doc, now):
        yield finding("expired-validity", f"validFor ended {doc['validFor']['endDateTime']}")


def contact_keys(doc: dict[str, Any]) -> set[tuple[str, str]]:
    """The email addresses and phone numbers of a customer, for the shared-medium check."""
    keys = set()
    for medium in doc.get("contactMedium") or []:
        if isinstance(medium, dict):
            kind, value = _medium_value(medium)
            if value and (kind == "email" or kind in PHONE_TYPES):
                keys.add((kind, value))
    return keys


def customer_refs(doc: dict[str, Any]) -> set[str]:
    """Ids of the customers a product order or trouble ticket names."""
    return {
        str(p["id"])
        for p in doc.get("relatedParty") or []
        if isinstance(p, dict) and p.get("@referredType") == "Customer" and p.get("id")
    }


def fixed(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The customer with the safe fixes applied (trimmed name, repeated media dropped), or None
    when nothing changes."""
    new = copy.deepcopy(doc)
    if isinstance(new.get("name"), str) and new["name"].strip():
        new["name"] = new["name"].strip()
    if isinstance(new.get("contactMedium"), list):
        seen, kept = set(), []
        for medium in new["contactMedium"]:
            key = _medium_value(medium) if isinstance(medium, dict) else None
            if key and key[1] and key in seen:
                continue
            if key:
                seen.add(key)
            kept.append(medium)
        new["contactMedium"] = kept
    return None if new == doc else new
