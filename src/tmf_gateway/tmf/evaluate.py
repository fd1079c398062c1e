"""Evaluating a parsed TMF630 query against documents in Python (memory store, hub filters)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from . import values
from .query import Condition, Query, SortKey
from .schema import Segment


def values_at(doc: Any, segments: tuple[Segment, ...]) -> Iterator[Any]:
    """Every value reached by the path, stepping into each element of every list on the way."""
    if not segments:
        yield doc
        return
    if not isinstance(doc, dict) or segments[0].key not in doc:
        return
    value = doc[segments[0].key]
    if segments[0].is_array:
        if isinstance(value, list):
            for item in value:
                yield from values_at(item, segments[1:])
    else:
        yield from values_at(value, segments[1:])


def _comparable(kind: str, stored: Any) -> Any:
    if not values.matches_kind(kind, stored):
        return None
    if kind == values.DATETIME:
        return values.parse_datetime(stored)
    return stored


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("eq", "ne"):
        return left == right
    if op == "gt":
        return left > right
    if op == "gte":
        return left >= right
    if op == "lt":
        return left < right
    return left <= right


def condition_matches(doc: dict[str, Any], cond: Condition) -> bool:
    """True when some value at the path satisfies the condition (for `ne`: none equals)."""
    kind = cond.field.kind
    found = False
    for stored in values_at(doc, cond.field.segments):
        if cond.op == "regex":
            if isinstance(stored, str) and re.search(cond.values[0], stored):
                return True
            continue
        left = _comparable(kind, stored)
        if left is None:
            continue
        if any(_compare(cond.op, left, right) for right in cond.values):
            found = True
            break
    return not found if cond.op == "ne" else found


def matches(doc: dict[str, Any], query: Query) -> bool:
    return all(condition_matches(doc, cond) for cond in query.conditions)


def sort_key(doc: dict[str, Any], key: SortKey) -> tuple[bool, Any]:
    """Missing values sort last whatever the direction, as the SQL stores do."""
    for stored in values_at(doc, key.field.segments):
        value = _comparable(key.field.kind, stored)
        if value is not None:
            return (False, value)
    return (True, None)


def order(
    docs: list[tuple[int, dict[str, Any]]], keys: tuple[SortKey, ...]
) -> list[dict[str, Any]]:
    """Sort (seq, doc) pairs by the keys, then by insertion order."""
    ordered = sorted(docs, key=lambda pair: pair[0])
    for key in reversed(keys):
        present = [p for p in ordered if not sort_key(p[1], key)[0]]
        missing = [p for p in ordered if sort_key(p[1], key)[0]]
        present.sort(key=lambda p, k=key: _sortable(sort_key(p[1], k)[1]), reverse=key.descending)
        ordered = present + missing
    return [doc for _, doc in ordered]


def _sortable(value: Any) -> Any:
    return value.timestamp() if isinstance(value, datetime) else value
