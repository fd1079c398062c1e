"""SQLite store: a file in WAL mode, one writer at a time, JSON1 functions for filters."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    case,
    create_engine,
    event,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.engine import make_url

from .. import jsoncodec
from ..domain.resources import ResourceType
from ..tmf import values
from ..tmf.query import Condition, SortKey
from ..tmf.schema import Segment
from .sql import SqlStore, SqlUnitOfWork
from .sqlbuild import compare, loosest, negate_if_ne


def json_path(keys: Sequence[str]) -> str:
    """A SQLite JSON path with every key quoted, so `@type` and friends are safe."""
    return "$" + "".join('."' + key.replace('"', '""') + '"' for key in keys)


def _groups(segments: tuple[Segment, ...]) -> list[tuple[list[str], bool]]:
    """Split a path at its lists: [(keys to extract, then iterate?)...]."""
    groups: list[tuple[list[str], bool]] = []
    keys: list[str] = []
    for seg in segments:
        keys.append(seg.key)
        if seg.is_array:
            groups.append((keys, True))
            keys = []
    groups.append((keys, False))
    return groups


class SqliteJson:
    """JSON1 access: json_extract for objects, json_each for every list on the path."""

    def _typed(self, kind: str, expr: Any, value: Any) -> tuple[Any, Any]:
        if kind == values.DATETIME:
            return func.julianday(expr), func.julianday(values.normalize_datetime(value))
        if kind == values.BOOLEAN:
            return expr, int(value)
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            return expr, float(value)  # SQLite integers are 64-bit; it reads big JSON ones as REAL
        return expr, value

    def _leaf_condition(self, leaf: Any, cond: Condition) -> ColumnElement[bool]:
        if cond.op == "regex":
            text = case((func.typeof(leaf) == "text", leaf))  # regex applies to strings only
            return text.regexp_match(cond.values[0])
        kind = cond.field.kind
        typed = [self._typed(kind, leaf, v) for v in loosest(cond.op, cond.values)]
        if cond.op in ("eq", "ne") and len(typed) > 1:
            # one IN list: SQLite refuses an OR chain of some hundred terms as too deep
            return typed[0][0].in_([right for _, right in typed])
        return or_(*(compare(cond.op, left, right) for left, right in typed))

    def condition(self, doc: Any, cond: Condition) -> ColumnElement[bool]:
        groups = _groups(cond.field.segments)
        source: Any = doc
        froms = []
        for index, (keys, iterate) in enumerate(groups):
            if not iterate:
                leaf = func.json_extract(source, json_path(keys)) if keys else source
                break
            each = func.json_each(source, json_path(keys)).table_valued("value", name=f"j{index}")
            froms.append(each)
            source = each.c.value
        matched = self._leaf_condition(leaf, cond)
        if froms:
            # each json_each reads the previous one's value: chain them as joins (a plain
            # list of FROMs reads as a cartesian product to SQLAlchemy's linter)
            joined = froms[0]
            for each in froms[1:]:
                joined = joined.join(each, true())
            matched = exists(select(literal(1)).select_from(joined).where(matched))
        return negate_if_ne(cond.op, matched)

    def sort_expression(self, doc: Any, key: SortKey) -> ColumnElement[Any]:
        expr = func.json_extract(doc, json_path([s.key for s in key.field.segments]))
        return func.julianday(expr) if key.field.kind == values.DATETIME else expr

    def encode(self, doc: dict[str, Any]) -> str:
        return jsoncodec.dumps(doc)

    def decode(self, value: Any) -> dict[str, Any]:
        return jsoncodec.loads(value)


class SqliteStore(SqlStore):
    """The embedded default; writes are serialised by a lock and BEGIN IMMEDIATE."""

    dialect = SqliteJson()

    def __init__(
        self,
        url: str,
        resources: Sequence[ResourceType],
        synchronous: str = "NORMAL",
        create: bool = True,
    ) -> None:
        parsed = make_url(url)
        self._lock_path: Path | None = None
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self._lock_path = Path(parsed.database + ".writer-lock")
        engine = create_engine(url, pool_size=16, max_overflow=16, pool_pre_ping=False)
        self._write_lock = threading.Lock()

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(
                "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"
            )

        super().__init__(engine, resources, Text)
        if create:
            self.create_schema()

    @classmethod
    def from_url(cls, url: str, resources: Sequence[ResourceType]) -> SqliteStore:
        """The gateway's path: the schema comes from the migrations (`migrate`)."""
        return cls(url, resources, create=False)

    @contextmanager
    def _schema_lock(self) -> Iterator[Connection]:
        """Schema changes are writes: the writer lock across processes, and BEGIN IMMEDIATE."""
        with self._write_lock, self._process_lock(), self.engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def unit_of_work(self, write: bool = False) -> Iterator[SqlUnitOfWork]:
        if not write:
            with super().unit_of_work() as uow:
                yield uow
            return
        with self._write_lock, self._process_lock(), self.engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with self._transaction(conn) as uow:
                yield uow

    @contextmanager
    def _process_lock(self) -> Iterator[None]:
        """One writer across processes: SQLite's own busy handler sleeps in growing steps, which
        pushes p99 past 100 ms when gateway workers contend; a kernel lock wakes waiters at once."""
        if self._lock_path is None:
            yield
            return
        with self._lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
