"""Pure trouble-ticket rules: opening a ticket, status changes, dates, final-state patches."""

from __future__ import annotations

import copy
from typing import Any

from ..errors import Conflict
from ..tmf.values import parse_datetime
from .lifecycle import TROUBLE_TICKET

# Set by the gateway only: whatever a client sends for them is ignored (overwritten or restored).
SERVER_OWNED = (
    "status",
    "creationDate",
    "lastUpdate",
    "statusChange",
    "statusChangeDate",
    "resolutionDate",
)
# What a client may still change once a ticket is closed, cancelled or rejected.
PATCHABLE_WHEN_FINAL = frozenset({"note"})
RESOLUTION_DATES = ("requestedResolutionDate", "expectedResolutionDate")


def is_final(status: str | None) -> bool:
    return status is not None and TROUBLE_TICKET.is_final(status)


def _history_entry(status: str, when: str, reason: str) -> dict[str, Any]:
    return {"status": status, "changeDate": when, "changeReason": reason, "@type": "StatusChange"}


def open_ticket(doc: dict[str, Any], now: str) -> None:
    """Make a new ticket acknowledged: server-owned fields overwritten, history started."""
    reason = doc.get("statusChangeReason") or "Ticket created"
    for owned in SERVER_OWNED:
        doc.pop(owned, None)
    doc["status"] = TROUBLE_TICKET.initial
    doc["creationDate"] = doc["lastUpdate"] = doc["statusChangeDate"] = now
    doc["statusChangeReason"] = reason
    doc["statusChange"] = [_history_entry(doc["status"], now, reason)]


def change_status(old: dict[str, Any], new: dict[str, Any], now: str, reason: str = "") -> None:
    """Apply `new["status"]` if the lifecycle allows it (409 otherwise); record the history."""
    current, target = old.get("status"), new.get("status")
    if target == current or target is None or current is None:
        new["status"] = current
        return
    TROUBLE_TICKET.check(current, target)
    why = reason or _new_reason(old, new) or f"Status changed to {target}"
    new["statusChangeReason"] = why
    new["statusChangeDate"] = now
    new["statusChange"] = [*old.get("statusChange", []), _history_entry(target, now, why)]
    if target == "resolved":
        new["resolutionDate"] = now


def _new_reason(old: dict[str, Any], new: dict[str, Any]) -> str:
    reason = new.get("statusChangeReason")
    return reason if isinstance(reason, str) and reason != old.get("statusChangeReason") else ""


def restore_server_owned(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Undo a client's changes to server-owned fields (status is handled by change_status)."""
    for owned in SERVER_OWNED:
        if owned == "status":
            continue
        if owned in old:
            new[owned] = copy.deepcopy(old[owned])
        else:
            new.pop(owned, None)


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    return {key for key in set(old) | set(new) if old.get(key) != new.get(key)}


def check_final(old: dict[str, Any], new: dict[str, Any]) -> None:
    """A closed, cancelled or rejected ticket only takes new or edited notes."""
    if not is_final(old.get("status")):
        return
    refused = changed_fields(old, new) - PATCHABLE_WHEN_FINAL - {"lastUpdate"}
    if refused:
        raise Conflict(
            f"the ticket is {old['status']} (a final status): only 'note' can change, "
            f"not {', '.join(sorted(refused))}"
        )


def check_resolution_dates(doc: dict[str, Any]) -> None:
    """Requested and expected resolution dates cannot lie before the ticket was created."""
    created = parse_datetime(doc.get("creationDate", ""))
    if created is None:
        return
    for name in RESOLUTION_DATES:
        value = doc.get(name)
        when = parse_datetime(value) if isinstance(value, str) else None
        if value is not None and when is None:
            raise Conflict(f"'{name}' is not a date-time")
        if when is not None and when < created:
            raise Conflict(
                f"'{name}' ({value}) is before the ticket's creationDate ({doc['creationDate']})"
            )
