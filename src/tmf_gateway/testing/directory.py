"""The CustomerDirectory contract: what every legacy-CRM adapter must do, as pytest tests."""

from __future__ import annotations

import itertools
import time
from abc import ABC, abstractmethod
from typing import Any

import pytest

from ..errors import SouthboundError, SouthboundRejected, SouthboundUnavailable
from ..ports import CustomerDirectory
from .faults import LegacyFaults
from .kit import AdapterContract, available

# The outcomes a harness is asked to produce customers for (CustomerDirectoryHarness.customer).
ACCEPT, REFUSE = "accept", "refuse"
_ids = itertools.count(1)


class CustomerDirectoryHarness(LegacyFaults, ABC):
    """The adapter, customers with known outcomes and ways to break the legacy CRM. The CRM
    must keep (and give back through `lookup`) at least our id and the customer's `name`."""

    timeout: float = 5.0  # seconds the adapter may take to give up on a slow CRM
    system_name = "the CRM"

    @abstractmethod
    def adapter(self) -> CustomerDirectory:
        """A fresh adapter talking to the legacy CRM (or its stand-in)."""

    def customer(self, outcome: str) -> dict[str, Any] | None:
        """A new TMF629 Customer (unique id) the CRM will `accept` or `refuse`; None if it
        cannot be produced. The default is an ordinary customer for `accept` only."""
        if outcome != ACCEPT:
            return None
        return {"id": f"contract-{time.time_ns()}-{next(_ids)}", "name": "Ada Lovelace",
                "status": "Created", "@type": "Customer",
                "engagedParty": {"id": "party-1", "@referredType": "Individual"}}


def _customer(harness: CustomerDirectoryHarness, outcome: str) -> dict[str, Any]:
    return available(harness.customer(outcome), f"customer the CRM will '{outcome}'")


class CustomerDirectoryContract(AdapterContract, adapter_fixture="directory"):
    """Importable tests of ports.CustomerDirectory; provide the `harness` fixture."""

    def test_a_pushed_customer_is_found_by_our_id_and_by_the_crm_id(self, harness, directory):
        customer = _customer(harness, ACCEPT)
        legacy_id = directory.push(customer)
        assert isinstance(legacy_id, str) and legacy_id
        for key in (customer["id"], legacy_id):
            entry = directory.lookup(key)
            assert entry is not None, f"lookup({key!r}) found nothing"
            assert entry.legacy_id == legacy_id
            assert entry.customer.get("id") == customer["id"]
            assert entry.customer.get("name") == customer["name"]

    def test_pushing_again_updates_and_never_duplicates(self, harness, directory):
        customer = _customer(harness, ACCEPT)
        legacy_id = directory.push(customer)
        assert directory.push(customer) == legacy_id
        changed = {**customer, "name": customer["name"] + " (renamed)"}
        assert directory.push(changed) == legacy_id
        entry = directory.lookup(customer["id"])
        assert entry is not None and entry.customer.get("name") == changed["name"]

    def test_a_removed_customer_is_gone_and_removing_again_is_fine(self, harness, directory):
        customer = _customer(harness, ACCEPT)
        legacy_id = directory.push(customer)
        directory.remove(customer["id"])
        assert directory.lookup(customer["id"]) is None
        assert directory.lookup(legacy_id) is None
        directory.remove(customer["id"])  # the gateway may send a removal twice
        directory.remove(f"never-pushed-{time.time_ns()}")

    def test_an_unknown_customer_is_none(self, harness, directory):
        assert directory.lookup(f"nobody-{time.time_ns()}") is None

    def test_a_refused_customer_raises_southbound_rejected(self, harness, directory):
        customer = _customer(harness, REFUSE)
        with pytest.raises(SouthboundRejected):
            directory.push(customer)

    def test_a_down_crm_raises_southbound_unavailable_and_loses_nothing(self, harness, directory):
        customer = _customer(harness, ACCEPT)
        with harness.down():
            with pytest.raises(SouthboundUnavailable):
                directory.push(customer)
            with pytest.raises(SouthboundUnavailable):
                directory.lookup(customer["id"])
            with pytest.raises(SouthboundUnavailable):
                directory.remove(customer["id"])
        deadline = time.monotonic() + 3 * harness.timeout
        while True:  # as the gateway does: wait out an open breaker, then push again
            try:
                legacy_id = directory.push(customer)
                break
            except SouthboundUnavailable:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        entry = directory.lookup(customer["id"])
        assert entry is not None and entry.legacy_id == legacy_id

    def test_a_slow_crm_times_out_as_southbound_unavailable(self, harness, directory):
        customer = _customer(harness, ACCEPT)
        with harness.slow():
            started = time.monotonic()
            with pytest.raises(SouthboundUnavailable):
                directory.push(customer)
            assert time.monotonic() - started < harness.timeout

    def test_malformed_answers_raise_southbound_errors(self, harness, directory):
        customer = _customer(harness, ACCEPT)
        directory.push(customer)
        with harness.garbled(), pytest.raises(SouthboundError):
            directory.lookup(customer["id"])
