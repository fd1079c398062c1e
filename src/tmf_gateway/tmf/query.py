"""TMF630 query parsing: attribute filters with operators, sort, fields, offset and limit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidQuery
from . import values
from .schema import FieldPath, ResourceSchema, UnknownAttribute

RESERVED = frozenset({"fields", "offset", "limit", "sort", "depth", "expand"})
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "regex")
MAX_OFFSET = 2**62
SYMBOLS = {">=": "gte", "<=": "lte", "!": "ne", ">": "gt", "<": "lt", "*": "regex"}


@dataclass(frozen=True)
class Condition:
    """`field <op> any of values`; values are typed by the schema (datetime, number, ...)."""

    field: FieldPath
    op: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class SortKey:
    field: FieldPath
    descending: bool


@dataclass(frozen=True)
class Query:
    """One parsed TMF630 list request; stores compile it, the memory store evaluates it."""

    conditions: tuple[Condition, ...] = ()
    sort: tuple[SortKey, ...] = ()
    fields: tuple[str, ...] | None = None
    offset: int = 0
    limit: int = 100


def _split_operator(key: str, value: str) -> tuple[str, str, str]:
    """(path, op, value) from `a.b.gt=v`, `a.b>=v`, `a.b*=v`, and `a>v` without '='."""
    if not value:
        for symbol in (">=", "<=", ">", "<"):
            if symbol in key:
                path, _, rest = key.partition(symbol)
                return path, SYMBOLS[symbol], rest
    for symbol in (">=", "<=", "!", ">", "<", "*"):
        if key.endswith(symbol) and len(key) > len(symbol):
            return key[: -len(symbol)], SYMBOLS[symbol], value
    head, _, tail = key.rpartition(".")
    if head and tail in OPERATORS:
        return head, tail, value
    return key, "eq", value


def _typed(field: FieldPath, op: str, raw: str) -> tuple[Any, ...]:
    if op == "regex":
        try:
            re.compile(raw)
        except re.error as exc:
            raise InvalidQuery(f"'{field.path}': invalid regular expression: {exc}") from None
        return (raw,)
    parts = raw.split(",") if raw != "" else [""]
    try:
        return tuple(values.coerce(field.kind, part) for part in parts)
    except ValueError as exc:
        raise InvalidQuery(f"filter on '{field.path}': {exc}") from None


def _resolve(schema: ResourceSchema, path: str, purpose: str) -> FieldPath:
    try:
        field = schema.resolve(path)
    except UnknownAttribute:
        raise InvalidQuery(
            f"cannot {purpose} on '{path}': the resource has no such attribute"
        ) from None
    if field.kind == values.OBJECT:
        raise InvalidQuery(f"cannot {purpose} on '{path}': it is an object, name one of its parts")
    return field


def _int_param(name: str, raw: str, minimum: int) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise InvalidQuery(f"'{name}' must be an integer, not '{raw}'") from None
    if number < minimum:
        raise InvalidQuery(f"'{name}' must be at least {minimum}")
    return number


def parse_query(
    params: Iterable[tuple[str, str]],
    schema: ResourceSchema,
    default_limit: int = 100,
    max_limit: int = 1000,
) -> Query:
    """Parse query-string pairs; the same (path, operator) repeated is OR, different ones AND."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    fields_by_key: dict[tuple[str, str], FieldPath] = {}
    sort: tuple[SortKey, ...] = ()
    selected: tuple[str, ...] | None = None
    offset, limit = 0, default_limit
    for key, raw in params:
        if key == "fields":
            selected = tuple(part.strip() for part in raw.split(",") if part.strip())
        elif key == "offset":
            # nothing lies past 2**62 rows; clamping keeps huge offsets out of SQL overflow
            offset = min(_int_param("offset", raw, 0), MAX_OFFSET)
        elif key == "limit":
            # TMF630: 0 asks for the counts only; above the maximum is clamped, not refused
            limit = min(_int_param("limit", raw, 0), max_limit)
        elif key == "sort":
            sort = tuple(_sort_key(schema, part.strip()) for part in raw.split(",") if part.strip())
        elif key in RESERVED:
            continue
        else:
            path, op, value = _split_operator(key, raw)
            field = _resolve(schema, path, "filter")
            op = "eq" if op == "in" else op
            fields_by_key[(path, op)] = field
            grouped.setdefault((path, op), []).extend(_typed(field, op, value))
    conditions = tuple(
        Condition(fields_by_key[key], key[1], tuple(vals)) for key, vals in grouped.items()
    )
    return Query(conditions, sort, selected, offset, limit)


def _sort_key(schema: ResourceSchema, part: str) -> SortKey:
    descending = part.startswith("-")
    path = part.lstrip("+-")
    field = _resolve(schema, path, "sort")
    if field.crosses_array:
        raise InvalidQuery(f"cannot sort on '{path}': it is inside a list")
    return SortKey(field, descending)
