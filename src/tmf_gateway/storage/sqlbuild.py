"""SQL building blocks every part of the SQL store shares: the JSON dialect port, TMF630
comparisons and filters compiled to SQL, and the upsert of SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Table, false, func, not_, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..domain.resources import ResourceType
from ..tmf.query import Condition, Query, SortKey
from .indexing import column_param


class JsonDialect(Protocol):
    """What differs between SQL databases: JSON access, and how documents are (de)serialised."""

    def condition(self, doc: Any, cond: Condition) -> ColumnElement[bool]: ...

    def sort_expression(self, doc: Any, key: SortKey) -> ColumnElement[Any]: ...

    def encode(self, doc: dict[str, Any]) -> Any: ...

    def decode(self, value: Any) -> dict[str, Any]: ...


class SqlTables(Protocol):
    """What the parts of a SQL unit of work read off their store."""

    tables: Mapping[str, Table]
    lock_claimed_rows: bool  # PostgreSQL: claim rows with FOR UPDATE SKIP LOCKED

    def statement(self, key: tuple[str, str], build: Callable[[], Any]) -> Any:
        """A statement built once per store (its values passed to execute())."""
        ...


def compare(op: str, left: Any, right: Any) -> ColumnElement[bool]:
    """`left <op> right` for the TMF630 comparison operators (eq/ne both as equality)."""
    if op in ("eq", "ne"):
        return left == right
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def loosest(op: str, values: Sequence[Any]) -> Sequence[Any]:
    """`x > a OR x > b` is `x > min(a, b)`: one comparison instead of an OR chain, which
    SQLite refuses as too deep at some hundred terms. Values of one filter share a type."""
    if op in ("gt", "gte", "lt", "lte") and len(values) > 1:
        try:
            return [min(values) if op in ("gt", "gte") else max(values)]
        except TypeError:
            return values
    return values


def negate_if_ne(op: str, matched: ColumnElement[bool]) -> ColumnElement[bool]:
    """`ne` means no value equals: NOT of the equality, a missing attribute counting as no match."""
    return not_(func.coalesce(matched, false())) if op == "ne" else matched


def where_clauses(
    table: Table, rt: ResourceType, dialect: JsonDialect, query: Query
) -> list[ColumnElement[bool]]:
    """The query's conditions: on an indexed column where there is one, else on the document."""
    clauses = []
    for cond in query.conditions:
        column = rt.indexed.get(cond.field.path)
        if column is not None and cond.op != "regex":
            col = table.c[column]
            if cond.op in ("eq", "ne") and len(cond.values) > 1:
                # one IN list, not an OR chain SQLite may refuse as too deep
                matched = col.in_([column_param(column, v) for v in cond.values])
            else:
                matched = or_(*(
                    compare(cond.op, col, column_param(column, v))
                    for v in loosest(cond.op, cond.values)
                ))
            clauses.append(negate_if_ne(cond.op, matched))
        else:
            clauses.append(dialect.condition(table.c.doc, cond))
    return clauses


def upsert(conn: Connection, table: Table) -> Any:
    """The INSERT of this connection's dialect, which has ON CONFLICT (SQLite and PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return postgresql_insert(table)
    return sqlite_insert(table)
