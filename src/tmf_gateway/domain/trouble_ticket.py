"""Pure trouble-ticket rules: server-owned fields, dates, final-state patches (status changes:
ticket_states.py)."""

from __future__ import annotations

import copy
from typing import Any

from ..errors import Conflict
from ..tmf.values import parse_datetime
from .lifecycle import TROUBLE_TICKET
from .ticket_states import SERVER_OWNED

# What a client may still change once a ticket is closed, cancelled or rejected.
PATCHABLE_WHEN_FINAL = frozenset({"note"})
RESOLUTION_DATES = ("requestedResolutionDate", "expectedResolutionDate")


def is_final(status: str | None) -> bool:
    return status is not None and TROUBLE_TICKET.is_final(status)


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
