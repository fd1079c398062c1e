"""legacy-rest as feasibility check and customer directory of the CRM on 127.0.0.1: the kit's
contracts, and the CRM's own field names for customers ("accounts")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests_support import CrmFaults
from tmf_gateway_legacy_rest import create_adapter

from tmf_gateway.errors import SouthboundRejected
from tmf_gateway.testing import (
    CustomerDirectoryContract,
    CustomerDirectoryHarness,
    FeasibilityContract,
    FeasibilityHarness,
    contract_tests,
)


class CrmFeasibilityHarness(CrmFaults, FeasibilityHarness):
    capability = "feasibility"

    def case(self, outcome: str) -> tuple[dict[str, Any], dict[str, Any]]:
        sku = "bb-100" if outcome == "feasible" else "bb-nofeas-rural"
        item = {"id": "1", "action": "add", "productOffering": {"id": sku}}
        order = {"id": "feas-1", "productOrderItem": [item],
                 "relatedParty": [{"id": "c-1", "role": "Customer"}]}
        return order, item


TestLegacyRestFeasibility = contract_tests(
    FeasibilityContract, CrmFeasibilityHarness, "crm", "crm_options"
)


class CrmDirectoryHarness(CrmFaults, CustomerDirectoryHarness):
    capability = "customer_directory"

    def customer(self, outcome: str) -> dict[str, Any] | None:
        customer = super().customer("accept")
        assert customer is not None
        return customer if outcome == "accept" else {**customer, "name": "Refused & Sons"}


TestLegacyRestCustomerDirectory = contract_tests(
    CustomerDirectoryContract, CrmDirectoryHarness, "crm", "crm_options"
)


CUSTOMER = {"id": "cust-42", "name": "Ada Lovelace", "status": "Approved",
            "engagedParty": {"id": "ind-7", "@referredType": "Individual"}}


def test_the_crm_gets_an_account_in_its_own_field_names(crm, crm_options):
    directory = create_adapter(crm_options).customer_directory
    assert directory.push(CUSTOMER) == "ACC-00001"
    assert crm.account_writes[-1] == {
        "accountRef": "cust-42", "displayName": "Ada Lovelace", "lifecycle": "ACTIVE",
        "holder": {"partyRef": "ind-7", "kind": "PERSON"},
    }


def test_an_account_comes_back_as_a_tmf_customer(crm, crm_options):
    directory = create_adapter(crm_options).customer_directory
    directory.push(CUSTOMER)
    entry = directory.lookup("ACC-00001")
    assert entry.legacy_id == "ACC-00001"
    assert entry.customer == {"id": "cust-42", "name": "Ada Lovelace", "status": "Approved",
                              "engagedParty": {"id": "ind-7"}}


def test_feasibility_sends_the_crm_its_fields_and_reads_its_verdict(crm, crm_options):
    feasibility = create_adapter(crm_options).feasibility
    order, item = CrmFeasibilityHarness(crm, crm_options).case("infeasible")
    assert feasibility.assess(order, item) == "no coverage at the account's address"


def test_a_mapping_may_offer_only_a_customer_directory(crm, crm_options):
    from legacy_crm import MAPPING
    from tmf_gateway_legacy_rest import load_mapping

    customers_only = {"customers": load_mapping(MAPPING)["customers"]}
    adapter = create_adapter({**crm_options, "mapping": customers_only})
    assert adapter.fulfilment is None and adapter.feasibility is None
    assert adapter.customer_directory.push(CUSTOMER)


def test_the_crm_deletes_the_account_and_a_mapping_without_remove_refuses(crm, crm_options):
    from legacy_crm import MAPPING
    from tmf_gateway_legacy_rest import load_mapping

    directory = create_adapter(crm_options).customer_directory
    directory.push(CUSTOMER)
    directory.remove(CUSTOMER["id"])
    assert CUSTOMER["id"] not in crm.accounts
    customers = {k: v for k, v in load_mapping(MAPPING)["customers"].items() if k != "remove"}
    keeping = create_adapter({**crm_options, "mapping": {"customers": customers}})
    keeping.customer_directory.push(CUSTOMER)
    with pytest.raises(SouthboundRejected, match=r"no customers\.remove"):
        keeping.customer_directory.remove(CUSTOMER["id"])
    assert CUSTOMER["id"] in crm.accounts  # refused, so the gateway logs it and moves on


def test_tmf_gateway_directory_lookup_shows_the_crm_record(crm, crm_options, tmp_path,
                                                          monkeypatch, capsys):
    from legacy_crm import API_KEY, MAPPING

    from tmf_gateway import cli

    create_adapter(crm_options).customer_directory.push(CUSTOMER)
    config = tmp_path / "gateway.toml"
    config.write_text(
        '[tmf_gateway]\nsouthbound = "simulator"\nsouthbound_customer_directory = "legacy-rest"\n'
        f'[tmf_gateway.southbound_options.legacy-rest]\nbase_url = "{crm.url}"\n'
        f'mapping = "{MAPPING}"\nheaders = {{X-Api-Key = "{API_KEY}"}}\n'
    )
    monkeypatch.setenv("TMF_GATEWAY_CONFIG", str(config))
    assert cli.main(["directory", "lookup", "cust-42"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "legacyId": "ACC-00001", "customer": {"id": "cust-42", "name": "Ada Lovelace",
                                              "status": "Approved",
                                              "engagedParty": {"id": "ind-7"}}}
    assert cli.main(["directory", "lookup", "nobody"]) == 1
    assert "no customer 'nobody'" in capsys.readouterr().err
    crm.stop()
    assert cli.main(["directory", "lookup", "cust-42"]) == 2  # a TMF error, not a traceback
    assert "tmf-gateway: GET" in capsys.readouterr().err
