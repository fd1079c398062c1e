"""The shared SQL store: TMF630 queries compiled to SQL, documents as JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    func,
    select,
)

from ..domain.resources import ResourceType
from ..errors import ConfigurationError, PreconditionFailed
from ..ports import Page, Stored
from ..ports.storage import Port
from ..tmf.query import Query
from .indexing import column_values
from .schema import build_metadata
from .sqlaudit import SqlAuditMixin
from .sqlbuild import JsonDialect, where_clauses
from .sqldelivery import SqlDeliveryMixin
from .sqloutbox import SqlOutboxMixin
from .sqlside import sql_sides


class SqlUnitOfWork(SqlOutboxMixin, SqlAuditMixin, SqlDeliveryMixin):
    """One database transaction over the store's tables."""

    def __init__(self, store: SqlStore, conn: Connection) -> None:
        self._store = store
        self._conn = conn
        self._dialect = store.dialect

    @property
    def connection(self) -> Connection:
        """This unit of work's connection, in its transaction."""
        return self._conn

    def _table(self, kind: str) -> Table:
        return self._store.tables[kind]

    def get(self, kind: str, resource_id: str) -> Stored | None:
        table = self._table(kind)
        statement = self._store.statement(
            ("get", kind),
            lambda: select(table.c.doc, table.c.version).where(table.c.id == bindparam("_id")),
        )
        row = self._conn.execute(statement, {"_id": resource_id}).first()
        return Stored(self._dialect.decode(row[0]), row[1]) if row else None

    def get_for_update(self, kind: str, resource_id: str) -> Stored | None:
        """FOR UPDATE on PostgreSQL; SQLite renders none and needs none (one writer)."""
        table = self._table(kind)
        statement = self._store.statement(
            ("get_for_update", kind),
            lambda: select(table.c.doc, table.c.version)
            .where(table.c.id == bindparam("_id"))
            .with_for_update(),
        )
        row = self._conn.execute(statement, {"_id": resource_id}).first()
        return Stored(self._dialect.decode(row[0]), row[1]) if row else None

    def add(self, kind: str, doc: dict[str, Any]) -> Stored:
        table = self._table(kind)
        rt = self._store.resources[kind]
        self._conn.execute(
            self._store.statement(("add", kind), table.insert),
            {"id": doc["id"], "version": 1, "doc": self._dialect.encode(doc)}
            | column_values(rt, doc),
        )
        return Stored(doc, 1)

    def replace(
        self, kind: str, resource_id: str, doc: dict[str, Any], expected_version: int
    ) -> Stored:
        table = self._table(kind)
        rt = self._store.resources[kind]
        statement = self._store.statement(
            ("replace", kind),
            lambda: table.update().where(
                table.c.id == bindparam("_id"), table.c.version == bindparam("_expected")
            ),
        )
        result = self._conn.execute(
            statement,
            {
                "_id": resource_id,
                "_expected": expected_version,
                "version": expected_version + 1,
                "doc": self._dialect.encode(doc),
            }
            | column_values(rt, doc),
        )
        if result.rowcount != 1:
            raise PreconditionFailed(f"{kind} {resource_id} was changed by someone else")
        return Stored(doc, expected_version + 1)

    def delete(self, kind: str, resource_id: str) -> bool:
        table = self._table(kind)
        statement = self._store.statement(
            ("delete", kind), lambda: table.delete().where(table.c.id == bindparam("_id"))
        )
        return self._conn.execute(statement, {"_id": resource_id}).rowcount == 1

    def query(self, kind: str, query: Query) -> Page:
        table = self._table(kind)
        rt = self._store.resources[kind]
        where = and_(*where_clauses(table, rt, self._dialect, query)) if query.conditions else None
        count = select(func.count()).select_from(table)
        page = select(table.c.doc).select_from(table)
        if where is not None:
            count, page = count.where(where), page.where(where)
        order = []
        for key in query.sort:
            column = rt.indexed.get(key.field.path)
            expr = table.c[column] if column else self._dialect.sort_expression(table.c.doc, key)
            order += [expr.is_(None), expr.desc() if key.descending else expr.asc()]
        page = page.order_by(*order, table.c.seq).offset(query.offset).limit(query.limit)
        total = self._conn.execute(count).scalar_one()
        items = [self._dialect.decode(row[0]) for row in self._conn.execute(page)]
        return Page(items, total)

    def iterate(self, kind: str, batch: int = 500) -> Iterator[dict[str, Any]]:
        table = self._table(kind)
        last = 0
        while True:
            rows = self._conn.execute(
                select(table.c.seq, table.c.doc)
                .where(table.c.seq > last)
                .order_by(table.c.seq)
                .limit(batch)
            ).all()
            if not rows:
                return
            for seq, doc in rows:
                last = seq
                yield self._dialect.decode(doc)

class SqlStore:
    """Resources, outbox, audit and side data in SQL tables; subclasses supply the engine and
    dialect."""

    dialect: JsonDialect
    lock_claimed_rows = False  # PostgreSQL: claim deliveries with FOR UPDATE SKIP LOCKED

    def __init__(self, engine: Engine, resources: Sequence[ResourceType], doc_type: Any) -> None:
        self.engine = engine
        self.resources = {rt.kind: rt for rt in resources}
        self.metadata = build_metadata(resources, doc_type)
        self.tables = self.metadata.tables
        self._statements: dict[tuple[str, str], Any] = {}
        self._sides = sql_sides(self)

    def side(self, port: type[Port]) -> Port | None:
        """Every side-data port, in tables of their own beside the resources'."""
        return self._sides.get(port)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction under the store's writer lock (side data)."""
        with self.unit_of_work(write=True) as uow:
            yield uow.connection

    def statement(self, key: tuple[str, str], build: Callable[[], Any]) -> Any:
        """A statement built once per store, its values passed to execute() as parameters: a
        statement built afresh with `.values(...)` costs SQLAlchemy a coercion and a cache key
        walk on every call, about half a write's CPU (docs/performance.md)."""
        found = self._statements.get(key)
        if found is None:
            found = self._statements[key] = build()
        return found

    def create_schema(self) -> None:
        """Tables straight from the metadata: for stores built with ad-hoc resource types
        (tests, benchmarks); the gateway itself uses `migrate`."""
        with self._schema_lock() as conn:
            self.metadata.create_all(conn)

    @contextmanager
    def _schema_lock(self) -> Iterator[Connection]:
        """A connection in a transaction that no other process changing the schema holds."""
        with self.engine.begin() as conn:
            yield conn

    def migrate(self, apply: bool = True) -> list[Any]:
        """Bring the database to the newest schema revision (migrations/); returns what was
        applied. With `apply` off, a database behind is a ConfigurationError."""
        from . import migrations

        with self._schema_lock() as conn:
            applied = migrations.upgrade_to_head(conn, apply=apply)
            missing = migrations.missing_tables(conn, self.metadata)
        if missing:
            raise ConfigurationError(
                f"no schema migration creates {', '.join(missing)}: add a revision"
                " (src/tmf_gateway/storage/migrations)"
            )
        return applied

    @contextmanager
    def _transaction(self, conn: Connection) -> Iterator[SqlUnitOfWork]:
        with conn.begin():
            yield SqlUnitOfWork(self, conn)

    @contextmanager
    def unit_of_work(self, write: bool = False) -> Iterator[SqlUnitOfWork]:
        with self.engine.connect() as conn, self._transaction(conn) as uow:
            yield uow

    def close(self) -> None:
        self.engine.dispose()
