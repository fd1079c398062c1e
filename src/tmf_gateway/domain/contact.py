"""Contact media checked on write: an email medium holds an email address, a phone medium a
phone number, a postal medium an address with a city and a street or postcode."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from email_validator import EmailNotValidError, validate_email

PHONE = re.compile(r"^\+?[0-9 ()\-./]{6,24}$")
PHONE_TYPES = frozenset({"phone", "mobile", "telephone", "fax", "telephonenumber"})
POSTAL_TYPES = frozenset({"postal", "postaladdress", "address", "mail"})


def phone_ok(value: str) -> bool:
    return bool(PHONE.match(value)) and sum(c.isdigit() for c in value) >= 6


def email_problem(value: str) -> str | None:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def medium_problems(where: str, medium: Mapping[str, Any]) -> list[str]:
    """What is wrong with one ContactMedium (empty when it is well formed)."""
    kind = str(medium.get("mediumType") or "").lower().replace("_", "")
    ch = medium.get("characteristic") or {}
    problems: list[str] = []
    email, phone = ch.get("emailAddress"), ch.get("phoneNumber")
    if kind == "email" and not email:
        problems.append(f"{where}: an email medium needs 'characteristic.emailAddress'")
    if kind in PHONE_TYPES and not (phone or ch.get("faxNumber")):
        problems.append(f"{where}: a {kind} medium needs 'characteristic.phoneNumber'")
    if email:
        why = email_problem(str(email))
        if why:
            problems.append(f"{where}: emailAddress {email!r} is not an email address ({why})")
    for key in ("phoneNumber", "faxNumber"):
        value = ch.get(key)
        if value and not phone_ok(str(value)):
            problems.append(f"{where}: {key} {value!r} is not a phone number (digits, spaces, "
                            "+ ( ) - . /; at least 6 digits)")
    if kind in POSTAL_TYPES and not (ch.get("city") and (ch.get("street1") or ch.get("postCode"))):
        problems.append(f"{where}: a postal address needs 'city' and 'street1' or 'postCode'")
    return problems


def contact_problems(doc: Mapping[str, Any]) -> list[str]:
    """Problems of every contact medium of a customer."""
    problems: list[str] = []
    for index, medium in enumerate(doc.get("contactMedium") or []):
        if isinstance(medium, Mapping):
            problems.extend(medium_problems(f"contactMedium[{index}]", medium))
    return problems
