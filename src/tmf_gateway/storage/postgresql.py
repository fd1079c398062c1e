"""PostgreSQL store: JSONB documents, containment and JSON path filters, many processes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    DateTime,
    LargeBinary,
    Numeric,
    Text,
    case,
    cast,
    create_engine,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, JSONPATH
from sqlalchemy.exc import DBAPIError

from .. import jsoncodec
from ..domain.resources import ResourceType
from ..errors import InvalidQuery, InvalidResource
from ..tmf import values
from ..tmf.query import Condition, Query, SortKey
from ..tmf.schema import Segment
from .postgresql_schema import add_postgres_schema, engine_url
from .sql import SqlStore, SqlUnitOfWork
from .sqlbuild import compare, negate_if_ne


def text_array_literal(keys: Sequence[str]) -> str:
    """`'{"a","b"}'`: a path for `#>`, as SQL text; keys come from our specs, quoted anyway."""
    quoted = ",".join('"' + k.replace("\\", "\\\\").replace('"', '\\"') + '"' for k in keys)
    return "'{" + quoted.replace("'", "''") + "}'"


def json_path(segments: Sequence[Segment]) -> str:
    """A lax SQL/JSON path stepping into every element of each list, e.g. `$."a"[*]."b"`."""
    out = "$"
    for seg in segments:
        out += '."' + seg.key.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if seg.is_array:
            out += "[*]"
    return out


def _nested(segments: Sequence[Segment], value: Any) -> Any:
    """The document fragment that `doc @> fragment` finds: lists wrap their element."""
    for seg in reversed(segments):
        value = {seg.key: [value] if seg.is_array else value}
    return value


def _string(leaf: Any) -> Any:
    """The JSON value as text when it is a JSON string, else NULL."""
    return case(
        (
            func.jsonb_typeof(leaf) == "string",
            leaf.op("#>>", return_type=Text)(literal_column("'{}'")),
        )
    )


def _contains(doc: Any, fragment: Any) -> ColumnElement[bool]:
    return doc.op("@>", is_comparison=True)(literal(fragment, JSONB))


def _typed_leaf(kind: str, leaf: Any) -> Any:
    """The JSON value as an SQL value of the filter's kind; NULL when the JSON type differs."""
    jtype = func.jsonb_typeof(leaf)
    if kind == values.NUMBER:
        return case((jtype == "number", cast(leaf, Numeric)))
    if kind == values.BOOLEAN:
        return case((jtype == "boolean", cast(leaf, Boolean)))
    text = _string(leaf)
    if kind == values.DATETIME:
        return func.tmf_timestamptz(text)
    return text.collate("C")  # binary (code point) order, as Python and SQLite compare


def _bound(kind: str, value: Any) -> Any:
    if kind == values.NUMBER:
        # the decimal a client wrote, not a float8 rounded to 15 digits on the server
        exact = Decimal(repr(value)) if isinstance(value, float) else value
        return cast(literal(exact, Numeric), Numeric)
    if kind == values.BOOLEAN:
        return literal(value, Boolean)
    if kind == values.DATETIME:
        return literal(value, DateTime(timezone=True))
    return literal(value, Text)


class PostgresJson:
    """JSONB access: `@>` (GIN-indexed) for equality, typed SQL comparisons otherwise."""

    def _leaf_compare(self, kind: str, op: str, leaf: Any, value: Any) -> ColumnElement[bool]:
        if kind == values.STRING and "\x00" in value:
            # PostgreSQL text holds no NUL: compare the UTF-8 bytes, in the same order
            as_bytes = func.convert_to(_string(leaf), "UTF8")
            return compare(op, as_bytes, literal(value.encode(), LargeBinary))
        return compare(op, _typed_leaf(kind, leaf), _bound(kind, value))

    def _leaf_condition(self, leaf: Any, cond: Condition) -> ColumnElement[bool]:
        if cond.op == "regex":
            return _string(leaf).op("~", is_comparison=True)(literal(cond.values[0], Text))
        return or_(*(self._leaf_compare(cond.field.kind, cond.op, leaf, v) for v in cond.values))

    def condition(self, doc: Any, cond: Condition) -> ColumnElement[bool]:
        field = cond.field
        if cond.op in ("eq", "ne") and field.kind != values.DATETIME:
            fragments = [
                v for v in cond.values if not (isinstance(v, str) and "\x00" in v)
            ]  # JSONB holds no NUL either, so such a value equals nothing stored
            matched = (
                or_(*(_contains(doc, _nested(field.segments, v)) for v in fragments))
                if fragments
                else literal(False)
            )
            return ~matched if cond.op == "ne" else matched
        if not field.crosses_array:
            leaf = doc.op("#>")(literal_column(text_array_literal([s.key for s in field.segments])))
            return negate_if_ne(cond.op, self._leaf_condition(leaf, cond))
        items = func.jsonb_path_query(doc, literal(json_path(field.segments), JSONPATH))
        each = items.table_valued("value", name="j").render_derived(with_types=False)
        matched = exists(
            select(literal(1)).select_from(each).where(self._leaf_condition(each.c.value, cond))
        )
        return negate_if_ne(cond.op, matched)

    def sort_expression(self, doc: Any, key: SortKey) -> ColumnElement[Any]:
        path = text_array_literal([s.key for s in key.field.segments])
        return _typed_leaf(key.field.kind, doc.op("#>")(literal_column(path)))

    def encode(self, doc: dict[str, Any]) -> Any:
        return doc

    def decode(self, value: Any) -> dict[str, Any]:
        return jsoncodec.loads(value) if isinstance(value, str | bytes) else value


# Keys of transaction-level advisory locks: outbox writers, schema changes (any constants do).
OUTBOX_LOCK = 7262263
SCHEMA_LOCK = 7262262


class PostgresUnitOfWork(SqlUnitOfWork):
    """Orders outbox writers, and turns what PostgreSQL refuses in client input into a 400."""

    _outbox_locked = False

    def record_event(self, event: dict[str, Any], kind: str, resource_id: str) -> None:
        """Outbox numbers are handed out and committed in one order: a writer holds the lock
        from its first event to its commit, so the dispatcher's cursor over `seq` can never pass
        a lower number that is still uncommitted (concurrent writers could otherwise commit
        out of order and have an event skipped)."""
        if not self._outbox_locked:
            self._conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({OUTBOX_LOCK})")
            self._outbox_locked = True
        super().record_event(event, kind, resource_id)

    def add(self, kind: str, doc: dict[str, Any]) -> Any:
        with _refused_text():
            return super().add(kind, doc)

    def replace(self, kind: str, resource_id: str, doc: dict[str, Any], expected: int) -> Any:
        with _refused_text():
            return super().replace(kind, resource_id, doc, expected)

    def query(self, kind: str, query: Query) -> Any:
        try:
            return super().query(kind, query)
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "2201B":  # invalid_regular_expression
                raise InvalidQuery(f"regular expression not supported: {exc.orig}") from None
            raise


@contextmanager
def _refused_text() -> Iterator[None]:
    """JSONB cannot hold U+0000 in text; say so as a client error rather than fail."""
    try:
        yield
    except DBAPIError as exc:
        # the server refuses \u0000 in JSONB (22P05); psycopg refuses NUL in text parameters
        if getattr(exc.orig, "sqlstate", None) == "22P05" or "NUL" in str(exc.orig):
            raise InvalidResource(
                "text containing the NUL character (\\u0000) cannot be stored"
            ) from None
        raise


class PostgresStore(SqlStore):
    """Many gateway processes on one database; the conditional UPDATE is the only write guard."""

    dialect = PostgresJson()
    lock_claimed_rows = True

    def __init__(self, url: str, resources: Sequence[ResourceType], create: bool = True) -> None:
        engine = create_engine(
            engine_url(url),
            json_serializer=jsoncodec.dumps,
            json_deserializer=jsoncodec.loads,
            pool_size=10,
            max_overflow=10,
            pool_pre_ping=True,
        )
        super().__init__(engine, resources, JSONB)
        add_postgres_schema(self.metadata, resources)
        if create:
            self.create_schema()

    @classmethod
    def from_url(cls, url: str, resources: Sequence[ResourceType]) -> PostgresStore:
        """The gateway's path: the schema comes from the migrations (`migrate`)."""
        return cls(url, resources, create=False)

    @contextmanager
    def _schema_lock(self) -> Iterator[Connection]:
        # many processes may start at once: serialise DDL with a transaction-level advisory lock
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
            yield conn

    @contextmanager
    def _transaction(self, conn: Connection) -> Iterator[SqlUnitOfWork]:
        with conn.begin():
            yield PostgresUnitOfWork(self, conn)
