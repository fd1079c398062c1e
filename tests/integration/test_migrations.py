"""Schema migrations: head equals the code's metadata on both dialects, `tmf-gateway migrate`,
the start-up policy, a pre-migration database, and processes starting together."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.schema import DropTable

from tests.livesrv import launch
from tests.pg import fresh_schema
from tmf_gateway import cli
from tmf_gateway.bootstrap import open_store
from tmf_gateway.config import Settings
from tmf_gateway.errors import ConfigurationError
from tmf_gateway.storage import migrations
from tmf_gateway.storage.side_tables import SIDE_TABLES
from tmf_gateway.storage.sqlite import SqliteStore

RESOURCES = migrations.builtin_resources()


@contextmanager
def database(dialect: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(store plugin, URL) of an empty database."""
    if dialect == "postgresql":
        with fresh_schema() as url:
            yield "postgresql", url
    else:
        yield "sqlite", f"sqlite:///{tmp_path}/fresh.db"


DIALECTS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _differences(store, dialect: str) -> list:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, migrations.target_metadata(dialect))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_empty_database_upgraded_to_head_matches_the_metadata(dialect, tmp_path):
    with database(dialect, tmp_path) as (plugin, url):
        store = open_store(Settings(store=plugin, database_url=url), RESOURCES)
        try:
            assert _differences(store, dialect) == []
            with store.engine.connect() as conn:
                assert migrations.current_revision(conn) == migrations.head()
                if dialect == "postgresql":  # what autogenerate does not compare
                    collations = conn.execute(
                        text(
                            "SELECT DISTINCT collation_name FROM information_schema.columns"
                            " WHERE table_schema = current_schema() AND table_name = 'customer'"
                            " AND column_name IN ('type', 'state', 'date', 'party_id', 'label')"
                        )
                    ).scalars().all()
                    assert collations == ["C"]
                    assert conn.execute(
                        text("SELECT tmf_timestamptz('2024-01-01T00:00:00Z') IS NOT NULL")
                    ).scalar_one()
            with store.unit_of_work(write=True) as uow:  # and the store works on it
                uow.add("customer", {"id": "c1", "name": "n", "status": "Created"})
            with store.unit_of_work() as uow:
                assert uow.get("customer", "c1").doc["name"] == "n"
        finally:
            store.close()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_migrate_command_is_idempotent(dialect, tmp_path, capsys):
    with database(dialect, tmp_path) as (_plugin, url):
        assert cli.main(["migrate", "--database-url", url]) == 0
        first = capsys.readouterr().out
        assert f"applied {migrations.BASELINE}: initial schema" in first
        assert cli.main(["migrate", "--database-url", url]) == 0
        second = capsys.readouterr().out
        assert "applied" not in second and "nothing to apply" in second


def test_without_migrate_on_start_an_unmigrated_database_stops_start_up(tmp_path):
    url = f"sqlite:///{tmp_path}/fresh.db"
    settings = Settings(database_url=url, migrate_on_start=False)
    with pytest.raises(ConfigurationError, match=r"run `tmf-gateway migrate`"):
        open_store(settings, RESOURCES)
    assert cli.main(["migrate", "--database-url", url]) == 0
    open_store(settings, RESOURCES).close()  # migrated: starts without migrating


def test_a_database_from_before_migrations_is_adopted_at_the_baseline(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    # what the stores created on start before migrations (the product table came in 0007, the
    # side-data tables in 0002-0005)
    old = SqliteStore(url, [rt for rt in RESOURCES if rt.kind != "product"])
    with old.engine.begin() as conn:
        for table in SIDE_TABLES:
            conn.execute(DropTable(table))
    old.close()
    store = open_store(Settings(database_url=url), RESOURCES)
    try:
        with store.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.head()
        assert _differences(store, "sqlite") == []
    finally:
        store.close()


def _start(database_url: str, plugin: str, log: Path) -> tuple[subprocess.Popen, str]:
    with log.open("wb") as out:  # the child keeps its own handle
        return launch(out, wait=False, TMF_GATEWAY_STORE=plugin,
                      TMF_GATEWAY_DATABASE_URL=database_url)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_processes_starting_at_once_on_a_fresh_database_all_come_up(dialect, tmp_path):
    with database(dialect, tmp_path) as (plugin, url):
        started = [_start(url, plugin, tmp_path / f"gw{n}.log") for n in range(3)]
        try:
            deadline = time.monotonic() + 90
            waiting = dict(enumerate(started))
            while waiting:
                for n, (process, base) in list(waiting.items()):
                    try:
                        got = requests.get(f"{base}/tmf-api/customerManagement/v4/customer",
                                           timeout=1)
                        assert got.status_code == 200, got.text
                        del waiting[n]
                    except requests.ConnectionError:
                        log = (tmp_path / f"gw{n}.log").read_text()
                        assert process.poll() is None, f"gateway {n} exited:\n{log}"
                        assert time.monotonic() < deadline, f"gateway {n} not up:\n{log}"
                time.sleep(0.1)
        finally:
            for process, _base in started:
                process.terminate()
            for process, _base in started:
                process.wait(timeout=30)
