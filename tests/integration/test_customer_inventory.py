"""`audit quality` on a SQLite store with planted defects, `--fix`, and the streaming export."""

from __future__ import annotations

import csv
import json
import tracemalloc

import pytest

from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.bootstrap import load_spec, open_store
from tmf_gateway.cli import main
from tmf_gateway.config import Settings
from tmf_gateway.inventory import export
from tmf_gateway.specs import SPEC_DIR
from tmf_gateway.tmf.schema import ResourceSchema

RESOURCES = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]
PARTY = {"id": "p1", "@referredType": "Individual"}
EMAIL = {"mediumType": "email", "characteristic": {"emailAddress": "a@b.example"}}


def _customer(cid: str, **fields) -> dict:
    return {"id": cid, "href": f"/c/{cid}", "@type": "Customer", "name": f"Customer {cid}",
            "status": "Approved", "engagedParty": PARTY, **fields}


PLANTED = {
    "c-noname": ("missing-name", {"name": ""}),
    "c-noparty": ("engaged-party-missing", {"engagedParty": None}),
    "c-badmail": ("invalid-email", {"contactMedium": [
        {"mediumType": "email", "characteristic": {"emailAddress": "nope"}}]}),
    "c-twice": ("duplicate-contact-medium", {"contactMedium": [EMAIL, EMAIL]}),
    "c-expired": ("expired-validity", {"validFor": {"endDateTime": "2020-01-01T00:00:00Z"}}),
    "c-blanks": ("untrimmed-name", {"name": " Padded "}),
}


@pytest.fixture
def planted(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'inventory.db'}"
    store = open_store(Settings(database_url=url), RESOURCES)
    with store.unit_of_work(write=True) as uow:
        uow.add("customer", _customer("c-good"))
        for cid, (_check, fields) in PLANTED.items():
            uow.add("customer", _customer(cid, **fields))
        uow.add("product_order", {"id": "o1", "relatedParty": [
            {"id": "c-gone", "@referredType": "Customer"}]})
        uow.add("trouble_ticket", {"id": "t1", "relatedParty": [
            {"id": "c-vanished", "@referredType": "Customer"}]})
    store.close()
    monkeypatch.setenv("TMF_GATEWAY_DATABASE_URL", url)
    monkeypatch.setenv("TMF_GATEWAY_BACKGROUND", "false")
    return url


def test_audit_quality_reports_every_planted_defect_and_fixes_the_safe_ones(
    planted, tmp_path, capsys
):
    report_csv = tmp_path / "findings.csv"
    assert main(["audit", "quality", "--csv", str(report_csv)]) == 1
    captured = capsys.readouterr()
    assert "7 customers checked" in captured.out and "customers" in captured.err
    rows = _rows(report_csv)
    found = {(r["id"], r["check"]) for r in rows}
    for cid, (check, _fields) in PLANTED.items():
        assert (cid, check) in found
    assert ("o1", "order-missing-customer") in found
    assert ("t1", "ticket-missing-customer") in found
    assert not [r for r in rows if r["id"] == "c-good"]

    assert main(["audit", "quality", "--fix", "--quiet"]) == 0
    assert "2 customers fixed" in capsys.readouterr().out
    assert main(["audit", "quality", "--csv", str(report_csv), "--quiet"]) == 1
    left = {r["check"] for r in _rows(report_csv)}
    assert "untrimmed-name" not in left and "duplicate-contact-medium" not in left
    assert "missing-name" in left
    assert main(["audit", "changes", "c-blanks"]) == 0
    assert "audit quality --fix" in capsys.readouterr().out


def test_export_customers_jsonl_csv_and_filter(planted, tmp_path, capsys):
    assert main(["export", "customers", "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7 and json.loads(lines[0])["id"] == "c-good"
    out = tmp_path / "c.csv"
    assert main(["export", "customers", "--format", "csv", "--filter", "name=Customer c-good",
                 "-o", str(out)]) == 0
    assert "exported 1 customers" in capsys.readouterr().err
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["c-good"] and rows[0]["engagedParty.id"] == "p1"
    assert main(["report", "usage", "--format", "json"]) == 0
    usage = json.loads(capsys.readouterr().out)
    assert [u["calls"] for u in usage if u["operation"] == "exportCustomers"] == [2]


def test_export_runs_in_bounded_memory(tmp_path):
    count = 20_000
    store = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'big.db'}"), RESOURCES)
    contact = [{"mediumType": "email", "characteristic": {"emailAddress": "x@y.example"}}] * 3
    with store.unit_of_work(write=True) as uow:
        for n in range(count):
            uow.add("customer", _customer(f"c{n:06d}", contactMedium=contact,
                                          description="x" * 200))
    schema = ResourceSchema(load_spec(SPEC_DIR / "tmf629-customer-v4.yaml")["components"]
                            ["schemas"], "Customer")
    sink = _Discard()
    tracemalloc.start()
    written = export.write(export.customers(store, schema), sink, "jsonl")
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    store.close()
    assert written == count
    one = len(json.dumps(_customer("c000000", contactMedium=contact, description="x" * 200)))
    assert peak < count * one / 5, f"peak {peak} bytes for {count} customers of ~{one} bytes"
    assert sink.lines == count
    assert sink.first is not None
    assert (sink.first["id"], sink.first["contactMedium"]) == ("c000000", contact)


def _rows(path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


class _Discard:
    """Counts the exported lines and keeps the first, so the export is checked, not stored."""

    def __init__(self) -> None:
        self.lines = 0
        self.first: dict | None = None
        self._head = ""

    def write(self, text: str) -> int:
        if self.first is None:
            self._head += text
            if "\n" in self._head:
                self.first = json.loads(self._head.split("\n", 1)[0])
        self.lines += text.count("\n")
        return len(text)
