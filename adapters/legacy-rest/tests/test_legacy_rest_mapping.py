"""The mapping file becomes marshmallow schemas: TMF order -> CRM payload, CRM change -> update."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from legacy_crm import API_KEY, MAPPING
from marshmallow import ValidationError
from tmf_gateway_legacy_rest.mapping import (
    MISSING,
    load_mapping,
    lookup,
    outbound_schema,
    update_schema,
)

from tmf_gateway.errors import ConfigurationError
from tmf_gateway.ports import ItemUpdate

ORDER = {
    "id": "o-1",
    "priority": "0",
    "relatedParty": [{"id": "p-9", "role": "Payer"}, {"id": "c-7", "role": "Customer"}],
    "productOrderItem": [
        {"id": "1", "action": "add", "productOffering": {"id": "bb-100"}},
        {"id": "2", "action": "delete", "productOffering": {"id": "tv"}},
    ],
}


def test_an_order_gets_the_crm_field_names_nesting_value_maps_and_defaults():
    mapping = load_mapping(MAPPING)
    schema = outbound_schema(mapping["submit"]["body"])
    assert schema.dump(ORDER) == {
        "orderRef": "o-1",
        "account": {"accountRef": "c-7"},
        "priority": "URGENT",
        "lines": [{"lineNo": "1", "sku": "bb-100", "op": "NEW"},
                  {"lineNo": "2", "sku": "tv", "op": "CEASE"}],
    }
    plain = {k: v for k, v in ORDER.items() if k != "priority"}
    assert schema.dump(plain)["priority"] == "NORMAL"


def test_absent_fields_without_default_are_left_out():
    schema = outbound_schema({"orderRef": "id", "note": "description"})
    assert schema.dump({"id": "x"}) == {"orderRef": "x"}


def test_a_crm_status_change_becomes_an_item_update():
    schema = update_schema(load_mapping(MAPPING)["updates"]["item"])
    change = {"seq": 4, "orderRef": "o-1", "line": {"no": 2}, "lineStatus": "ERR",
              "remark": "no port"}
    assert schema.load(change) == ItemUpdate("o-1", "2", "failed", "no port")
    assert schema.load({**change, "lineStatus": "DONE", "remark": None}).reason == ""


@pytest.mark.parametrize("change", [
    {"orderRef": "o-1", "line": {"no": 1}, "lineStatus": "ZZZ"},
    {"orderRef": "o-1", "lineStatus": "DONE"},
    ["not", "an", "object"],
])
def test_malformed_changes_are_validation_errors(change):
    schema = update_schema(load_mapping(MAPPING)["updates"]["item"])
    with pytest.raises(ValidationError):
        schema.load(change)


def test_paths_index_and_filter_lists():
    assert lookup(ORDER, "productOrderItem.1.productOffering.id") == "tv"
    assert lookup(ORDER, "relatedParty[role=Payer].id") == "p-9"
    assert lookup(ORDER, "relatedParty[role=Nobody].id") is MISSING
    assert lookup(ORDER, "productOrderItem.9.id") is MISSING


def test_a_bad_mapping_stops_start_up(tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("submit: {}\n")
    with pytest.raises(ConfigurationError, match="needs 'submit' and 'updates'"):
        load_mapping(bad)
    with pytest.raises(ConfigurationError, match="lacks"):
        update_schema({"order_id": "ref"})
    toml = tmp_path / "m.toml"
    toml.write_text('[submit]\npath = "/o"\nbody = {ref = "id"}\n[updates]\npath = "/f"\n'
                    '[updates.item]\norder_id = "r"\nitem_id = "l"\nstate = "s"\n')
    assert load_mapping(toml)["submit"]["body"] == {"ref": "id"}


def test_the_crm_runs_alone_for_trying_the_adapter_by_hand():
    script = Path(__file__).with_name("legacy_crm.py")
    process = subprocess.Popen([sys.executable, str(script), "0"], stdout=subprocess.PIPE,
                               text=True)
    try:
        line = process.stdout.readline()
        url = line.split(" listening on ")[1].split()[0]
        feed = requests.get(f"{url}/crm/v2/feed", headers={"X-Api-Key": API_KEY}, timeout=5)
        assert feed.json() == {"changes": [], "next": 0}
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()
