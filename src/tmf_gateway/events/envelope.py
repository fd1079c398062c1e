"""The v4 TMF event envelope: eventId, eventTime, eventType, and the resource under `event`."""

from __future__ import annotations

import uuid
from typing import Any

from ..domain.resources import ResourceType
from ..tmf.values import now_iso


def build_event(
    resource: ResourceType,
    suffix: str,
    doc: dict[str, Any],
    *,
    field_path: str | None = None,
    description: str | None = None,
    correlation_id: str | None = None,
) -> dict[str, Any]:
    """An event such as CustomerCreateEvent carrying the full resource."""
    event_type = f"{resource.type_name}{suffix}"
    now = now_iso()
    event: dict[str, Any] = {
        "eventId": uuid.uuid4().hex,
        "eventTime": now,
        "eventType": event_type,
        "timeOcurred": now,
        "correlationId": correlation_id or doc.get("id"),
        "domain": resource.api_root.split("/")[2],
        "title": event_type,
        "description": description or f"{resource.type_name} {doc.get('id')}: {suffix[:-5]}",
        "priority": "Normal",
        "event": {resource.event_key: doc},
    }
    if field_path is not None:
        event["fieldPath"] = field_path
    return event
