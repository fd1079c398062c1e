"""Values of a document's indexed columns, shared by every store that keeps columns."""

from __future__ import annotations

from typing import Any

from ..domain.resources import ResourceType
from ..tmf import values


def _at(doc: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def column_values(resource: ResourceType, doc: dict[str, Any]) -> dict[str, Any]:
    """Column -> value for the resource's indexed paths; dates in their sortable UTC form."""
    row: dict[str, Any] = {}
    for path, column in resource.indexed.items():
        value = _at(doc, path)
        if column == "date":
            parsed = values.parse_datetime(value) if isinstance(value, str) else None
            value = values.normalize_datetime(parsed) if parsed else None
        elif value is not None and not isinstance(value, str):
            value = None
        row[column] = value
    return row


def column_param(column: str, value: Any) -> Any:
    """A typed filter value as the indexed column stores it."""
    if column == "date":
        return values.normalize_datetime(value)
    return value
