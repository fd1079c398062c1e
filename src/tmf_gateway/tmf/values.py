"""Typed filter values: turning query-string text into the type the schema declares."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

STRING, NUMBER, BOOLEAN, DATETIME, OBJECT = "string", "number", "boolean", "date-time", "object"


def parse_datetime(text: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 date or date-time as an aware UTC datetime; None if it is not one."""
    if not isinstance(text, str) or len(text) < 10 or not text[:4].isdigit():
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def normalize_datetime(value: datetime) -> str:
    """A fixed-width UTC text form whose text order is time order (used in indexed columns)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_iso() -> str:
    """The current time as the gateway writes it into resources."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def coerce(kind: str, text: str) -> Any:
    """Convert filter text to `kind`; raises ValueError with a message for the client."""
    if kind == NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"'{text}' is not a finite number")
        return int(number) if number.is_integer() and "." not in text else number
    if kind == BOOLEAN:
        if text in ("true", "false"):
            return text == "true"
        raise ValueError(f"'{text}' is not true or false")
    if kind == DATETIME:
        parsed = parse_datetime(text)
        if parsed is None:
            raise ValueError(f"'{text}' is not an ISO 8601 date or date-time")
        return parsed
    return text


def matches_kind(kind: str, value: Any) -> bool:
    """Whether a stored JSON value has the type a filter of `kind` compares against."""
    if kind == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == BOOLEAN:
        return isinstance(value, bool)
    return isinstance(value, str)
