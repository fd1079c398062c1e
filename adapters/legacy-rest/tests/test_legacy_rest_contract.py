"""legacy-rest against the CRM on 127.0.0.1: the fulfilment contract, breaker, error mapping."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from tests_support import CrmFaults
from tmf_gateway_legacy_rest import create_adapter

from tmf_gateway.errors import SouthboundError, SouthboundUnavailable
from tmf_gateway.testing import FulfilmentHarness, OrderFulfilmentContract, contract_tests

SKUS = {"complete": "bb-100", "fail": "bb-fail", "reject": "bb-bad",
        "refuseCancel": "bb-hold-nocancel"}
_ids = itertools.count(1)


class CrmHarness(CrmFaults, FulfilmentHarness):
    capability = "fulfilment"
    settle_seconds = 5.0

    def order(self, outcome: str) -> dict[str, Any] | None:
        sku = SKUS.get(outcome)
        if sku is None:
            return None
        return {"id": f"ord-{next(_ids)}", "productOrderItem": [
            {"id": "1", "action": "add", "productOffering": {"id": sku}},
            {"id": "2", "action": "add", "productOffering": {"id": "bb-router"}},
        ], "relatedParty": [{"id": "c-1", "role": "Customer"}]}


TestLegacyRestFulfilment = contract_tests(OrderFulfilmentContract, CrmHarness, "crm", "crm_options")


def _order(sku: str = "bb-100") -> dict[str, Any]:
    return CrmHarness(None, {}).order("complete") | {"productOrderItem": [
        {"id": "1", "action": "add", "productOffering": {"id": sku}}]}


def test_the_crm_receives_its_own_field_names(crm, crm_options):
    order = _order()
    create_adapter(crm_options).fulfilment.submit(order)
    assert crm.received[-1] == {
        "orderRef": order["id"], "account": {"accountRef": "c-1"}, "priority": "NORMAL",
        "lines": [{"lineNo": "1", "sku": "bb-100", "op": "NEW"}],
    }


def test_500s_open_the_breaker_which_fails_fast_and_closes_after_recovery(crm, crm_options):
    fulfilment = create_adapter(crm_options).fulfilment
    crm.fault = "error500"
    for _ in range(3):
        with pytest.raises(SouthboundUnavailable):
            fulfilment.poll_updates()
    assert fulfilment.http.breaker_state == "open"
    calls = crm.requests
    with pytest.raises(SouthboundUnavailable, match="circuit breaker open"):
        fulfilment.submit(_order())
    assert crm.requests == calls  # an open breaker does not go to the network at all
    crm.fault = None
    OrderFulfilmentContract._eventually(fulfilment.submit, _order(), 10)  # after the reset
    assert fulfilment.http.breaker_state == "closed"
    assert crm.requests == calls + 1  # one trial call, and it closed the breaker


def test_refusals_do_not_count_against_the_breaker(crm, crm_options):
    fulfilment = create_adapter(crm_options).fulfilment
    for _ in range(5):
        with pytest.raises(SouthboundError) as raised:
            fulfilment.submit(_order("bb-bad"))
        assert raised.value.status == 422
    assert fulfilment.http.breaker_state == "closed"


def test_a_wrong_api_key_is_a_southbound_error_not_a_driver_error(crm, crm_options):
    fulfilment = create_adapter({**crm_options, "headers": {}}).fulfilment
    with pytest.raises(SouthboundError, match="401"):
        fulfilment.poll_updates()


def test_one_malformed_change_is_skipped_and_the_feed_moves_on(crm, crm_options):
    fulfilment = create_adapter(crm_options).fulfilment
    crm.events.append({"seq": 1, "orderRef": "x", "line": {"no": 1}, "lineStatus": "???"})
    crm.events.append({"seq": 2, "orderRef": "x", "line": {"no": 1}, "lineStatus": "WIP"})
    assert [u.state for u in fulfilment.poll_updates()] == ["inProgress"]
    assert fulfilment.cursor == 2
