"""Notes are append-only: a client's PATCH of `note` adds its notes and never drops one."""

from __future__ import annotations

from typing import Any


def append_only(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Make `new["note"]` the notes already on the resource, in their order, followed by the
    notes the client's patch brought that were not there. A merge patch replaces the whole
    array, so without this a client adding a note would erase the gateway's (its special
    handling, information-required and jeopardy notes, a ticket's captured customer contact)."""
    before = [n for n in old.get("note") or [] if isinstance(n, dict)]
    after = new.get("note")
    if after == before or (not before and after is None):
        return
    added = [n for n in after or [] if isinstance(n, dict) and n not in before]
    new["note"] = [*before, *added]
