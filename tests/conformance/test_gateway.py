"""The conformance tool against our own gateway (a real server process): every served API has
no finding at all, optional ones included; the run deletes what it created and leaves alone
what it did not; `--read-only` changes nothing."""

from __future__ import annotations

import pytest
import requests

from tests.livesrv import serve
from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.bootstrap import open_store
from tmf_gateway.cli import main
from tmf_gateway.config import Settings
from tmf_gateway.conformance.profiles import PROFILES
from tmf_gateway.tmf.query import Query

APIS = {api.name: api for api in API_TABLE if api.name in PROFILES}
RESOURCES = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]
FINDINGS = ("NOT CONFORMANT", "Optional feature non-conformant", "Optional feature missing")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    db = tmp_path_factory.mktemp("conformance") / "gw.db"
    with serve(db) as base:
        yield base, db


def count(db, kind: str) -> int:
    store = open_store(Settings(database_url=f"sqlite:///{db}"), RESOURCES)
    try:
        with store.unit_of_work() as uow:
            return uow.query(kind, Query(limit=0)).total
    finally:
        store.close()


def client_changes(db, kind: str, resource_id: str) -> list[str]:
    """The audit trail's actions by a client (the gateway's own jobs, e.g. the ticket desk,
    change resources too)."""
    store = open_store(Settings(database_url=f"sqlite:///{db}"), RESOURCES)
    try:
        with store.unit_of_work() as uow:
            trail = uow.audit_trail(kind, resource_id)
    finally:
        store.close()
    client = trail[0].actor  # who created it; the run calls as the same anonymous client
    return [e.action for e in trail if e.actor == client]


def foreign(base: str, api) -> tuple[str, str, str]:
    """A resource and a hub subscription the run did not create: (url, id, hub url)."""
    root = f"{base}{api.hub.api_root}"
    collection = api.collections[0].resource.path
    made = requests.post(f"{root}/{collection}", json=PROFILES[api.name].sample, timeout=10)
    assert made.status_code == 201, made.text
    hub = requests.post(f"{root}/hub", json={"callback": "http://127.0.0.1:9/listener"},
                        timeout=10)
    assert hub.status_code == 201, hub.text
    return made.json()["href"], made.json()["id"], hub.headers["Location"]


def conformance(base: str, api: str, tmp_path, *extra: str) -> int:
    return main([
        "conformance", "--api", api, "--base-url", f"{base}{APIS[api].hub.api_root}",
        "--max-examples", "5", "--time-budget", "8", "--seed", "20261123",
        "--report-dir", str(tmp_path), *extra,
    ])


@pytest.mark.slow
@pytest.mark.parametrize("api", sorted(APIS))
def test_our_gateway_has_no_finding_and_the_run_cleans_up_after_itself(
    gateway, api, tmp_path, capsys
):
    base, db = gateway
    definition = APIS[api]
    kind, hub_kind = definition.collections[0].resource.kind, definition.hub.kind
    url, resource_id, hub_url = foreign(base, definition)
    before = (count(db, kind), count(db, hub_kind))
    code = conformance(base, api, tmp_path)
    out = capsys.readouterr().out
    report = (tmp_path / f"conformance-{api.lower()}.md").read_text()
    assert code == 0, out[-6000:] + report[:6000]
    assert not any(finding in out for finding in FINDINGS), out[-6000:] + report[:6000]
    assert "cleanup: the server would not delete" not in out, out[-3000:]
    # what it did not create is untouched; what it created is gone
    assert requests.get(url, timeout=10).status_code == 200
    assert client_changes(db, kind, resource_id) == ["create"]
    assert requests.get(hub_url, timeout=10).status_code == 200
    assert (count(db, kind), count(db, hub_kind)) == before


@pytest.mark.slow
def test_read_only_run_changes_nothing(gateway, tmp_path, capsys):
    base, db = gateway
    definition = APIS["TMF629"]
    foreign(base, definition)
    store = open_store(Settings(database_url=f"sqlite:///{db}"), RESOURCES)
    try:
        with store.unit_of_work() as uow:
            last_event = uow.outbox_last_seq()
    finally:
        store.close()
    code = conformance(base, "TMF629", tmp_path, "--read-only")
    out = capsys.readouterr().out
    assert code == 0, out[-6000:]
    assert "read-only" in out and "tmf: passed   list: fields returns exactly" in out
    store = open_store(Settings(database_url=f"sqlite:///{db}"), RESOURCES)
    try:
        with store.unit_of_work() as uow:
            assert uow.outbox_last_seq() == last_event  # no create, change or delete at all
    finally:
        store.close()
