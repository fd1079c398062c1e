"""Upgrading a database that holds data: rows written at the first revisions survive the
upgrade to head on SQLite and PostgreSQL, and a half-made database stops start-up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from tests.integration.test_migrations import DIALECTS, RESOURCES, database
from tests.schemas import SCHEMAS
from tmf_gateway.bootstrap import open_store
from tmf_gateway.config import Settings
from tmf_gateway.errors import ConfigurationError
from tmf_gateway.security.storage import for_store
from tmf_gateway.storage import migrations
from tmf_gateway.tmf.query import parse_query
from tmf_gateway.tmf.schema import ResourceSchema

CUSTOMERS = [
    {"id": f"c{n}", "@type": "Customer", "name": f"Customer {n}", "status": status,
     "engagedParty": {"id": f"p{n}"}, "validFor": {"startDateTime": f"2024-01-0{n}T00:00:00Z"}}
    for n, status in ((1, "Approved"), (2, "Created"), (3, "Approved"))
]
ORDER = {"id": "o1", "@type": "ProductOrder", "state": "inProgress",
         "productOrderItem": [{"id": "1", "action": "add", "state": "inProgress"}]}
TICKET = {"id": "t1", "@type": "TroubleTicket", "status": "acknowledged", "severity": "Major"}
EVENTS = [
    {"eventId": f"e{n}", "eventType": "CustomerCreateEvent",
     "event": {"customer": CUSTOMERS[n - 1]}}
    for n in (1, 2, 3)
]
KEY = {"key_id": "k-1", "client": "billing", "scopes": "customer:read,customer:write",
       "secret_hash": "ab" * 32, "created_at": "2026-01-01T00:00:00Z", "revoked_at": None}


def _doc(dialect: str, doc: dict[str, Any]) -> Any:
    return doc if dialect == "postgresql" else json.dumps(doc)


def _upgrade(url: str, revision: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            command.upgrade(migrations.alembic_config(conn), revision)
    finally:
        engine.dispose()


def _insert(url: str, dialect: str, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Raw rows, as the gateway of that revision wrote them (the tables as they are then)."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            tables = sa.MetaData()
            tables.reflect(conn)
            for name, values in rows.items():
                conn.execute(tables.tables[name].insert(), values)
    finally:
        engine.dispose()


def _resource(dialect: str, doc: dict[str, Any], state: str, date: str | None = None,
              party: str | None = None) -> dict[str, Any]:
    return {"id": doc["id"], "version": 1, "type": doc["@type"], "state": doc.get(state),
            "date": date, "party_id": party, "label": doc.get("name"), "doc": _doc(dialect, doc)}


def _seed_at_first_revisions(url: str, dialect: str) -> None:
    _upgrade(url, migrations.BASELINE)
    _insert(url, dialect, {
        "customer": [
            _resource(dialect, c, "status", c["validFor"]["startDateTime"], c["engagedParty"]["id"])
            for c in CUSTOMERS
        ],
        "product_order": [_resource(dialect, ORDER, "state")],
        "trouble_ticket": [_resource(dialect, TICKET, "status")],
        "outbox": [
            {"event_id": e["eventId"], "event_type": e["eventType"], "resource_kind": "customer",
             "resource_id": e["event"]["customer"]["id"], "created_at": "2026-01-01T00:00:00Z",
             "payload": _doc(dialect, e)}
            for e in EVENTS
        ],
        "audit_log": [{"kind": "customer", "resource_id": "c1", "version": 1,
                       "at": "2026-01-01T00:00:00Z", "actor": "alice", "action": "create",
                       "changes": "[]"}],
        "dispatch_cursor": [{"name": "fanout", "seq": 2}],
    })
    _upgrade(url, "0002")  # API keys arrived in 0002: the first revision that can hold one
    _insert(url, dialect, {"api_key": [KEY]})


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rows_written_at_the_first_revisions_survive_the_upgrade_to_head(dialect, tmp_path):
    with database(dialect, tmp_path) as (plugin, url):
        _seed_at_first_revisions(url, dialect)
        store = open_store(Settings(store=plugin, database_url=url), RESOURCES)  # start-up
        try:
            with store.engine.connect() as conn:
                assert migrations.current_revision(conn) == migrations.head()
            with store.unit_of_work() as uow:
                assert [uow.get("customer", c["id"]).doc for c in CUSTOMERS] == CUSTOMERS
                assert uow.get("product_order", "o1").doc == ORDER
                assert uow.get("trouble_ticket", "t1").doc == TICKET
                outbox = uow.outbox_after(0, 100)
                assert [(e.event_id, e.payload) for e in outbox] == [
                    (e["eventId"], e) for e in EVENTS
                ]
                assert [(e.actor, e.action) for e in uow.audit_trail("customer", "c1")] == [
                    ("alice", "create")
                ]
                assert uow.get_cursor("fanout") == 2
                query = parse_query([("status", "Approved"), ("sort", "-validFor.startDateTime")],
                                    ResourceSchema(SCHEMAS, "Thing"), 100)
                page = uow.query("customer", query)  # the indexed columns still answer
                assert [d["id"] for d in page.items] == ["c3", "c1"]
            key = for_store(store).get_key("k-1")
            assert key is not None and vars(key) == KEY
            with store.unit_of_work(write=True) as uow:  # and the upgraded store takes writes
                stored = uow.get("customer", "c2")
                uow.replace("customer", "c2", {**stored.doc, "status": "Approved"}, 1)
                uow.record_event({"eventId": "e4", "eventType": "CustomerStateChangeEvent"},
                                 "customer", "c2")
            with store.unit_of_work() as uow:
                assert [e.seq for e in uow.outbox_after(0, 100)][-1] > outbox[-1].seq
        finally:
            store.close()


def test_a_database_with_some_gateway_tables_and_no_history_stops_start_up(tmp_path: Path):
    url = f"sqlite:///{tmp_path}/half.db"
    _upgrade(url, migrations.BASELINE)
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # half a pre-migration database: no history, no outbox
        conn.execute(sa.text(f"DROP TABLE {migrations.VERSION_TABLE}"))
        conn.execute(sa.text("DROP TABLE outbox"))
        conn.execute(sa.text("DROP TABLE dispatch_cursor"))
    engine.dispose()
    with pytest.raises(ConfigurationError, match=r"lacks dispatch_cursor, outbox: start the"):
        open_store(Settings(database_url=url), RESOURCES)
    engine = sa.create_engine(url)
    with engine.connect() as conn:  # and nothing was created or stamped on it
        assert not sa.inspect(conn).has_table(migrations.VERSION_TABLE)
        assert not sa.inspect(conn).has_table("outbox")
    engine.dispose()
