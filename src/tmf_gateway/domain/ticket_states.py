"""The TroubleTicket status machine: opening a ticket and every change of its `status`, recorded
in `statusChange` and reported as Moves with their events."""

from __future__ import annotations

from typing import Any

from .lifecycle import TROUBLE_TICKET
from .moves import Move, Moves

TICKET = "TroubleTicket"
STATUS_EVENT = "TroubleTicketStatusChangeEvent"
ENTRY_EVENTS = {"resolved": "TroubleTicketResolvedEvent",
                "pending": "TroubleTicketInformationRequiredEvent"}
# Set by the gateway only: whatever a client sends for them is ignored (overwritten or restored).
SERVER_OWNED = (
    "status",
    "creationDate",
    "lastUpdate",
    "statusChange",
    "statusChangeDate",
    "resolutionDate",
)


def _history_entry(status: str, when: str, reason: str) -> dict[str, Any]:
    return {"status": status, "changeDate": when, "changeReason": reason, "@type": "StatusChange"}


def open_ticket(doc: dict[str, Any], now: str) -> Moves:
    """Make a new ticket acknowledged: server-owned fields overwritten, history started."""
    reason = doc.get("statusChangeReason") or "Ticket created"
    for owned in SERVER_OWNED:
        doc.pop(owned, None)
    doc["status"] = TROUBLE_TICKET.initial
    doc["creationDate"] = doc["lastUpdate"] = doc["statusChangeDate"] = now
    doc["statusChangeReason"] = reason
    doc["statusChange"] = [_history_entry(doc["status"], now, reason)]
    return Moves().add(Move(TICKET, "new", TROUBLE_TICKET.initial, reason))


def ticket_transition(
    old: dict[str, Any], new: dict[str, Any], target: str | None, now: str, reason: str = ""
) -> Moves:
    """Make `new` (the changed copy of ticket `old`) take status `target` if the lifecycle
    allows it, IllegalTransition (409) otherwise; no target, or the same status, is no move."""
    current = old.get("status")
    if target == current or target is None or current is None:
        new["status"] = current
        return Moves()
    TROUBLE_TICKET.check(current, target)
    new["status"] = target
    why = reason or _new_reason(old, new) or f"Status changed to {target}"
    new["statusChangeReason"] = why
    new["statusChangeDate"] = now
    new["statusChange"] = [*old.get("statusChange", []), _history_entry(target, now, why)]
    if target == "resolved":
        new["resolutionDate"] = now
    entry = (ENTRY_EVENTS[target],) if target in ENTRY_EVENTS else ()
    return Moves().add(Move(TICKET, current, target, why), STATUS_EVENT, *entry)


def change_status(old: dict[str, Any], new: dict[str, Any], now: str, reason: str = "") -> Moves:
    """A client's PATCH: the status it wrote into `new` is the requested one."""
    return ticket_transition(old, new, new.get("status"), now, reason)


def _new_reason(old: dict[str, Any], new: dict[str, Any]) -> str:
    reason = new.get("statusChangeReason")
    return reason if isinstance(reason, str) and reason != old.get("statusChangeReason") else ""
