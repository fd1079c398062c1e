# ruff: noqa: E402
"""Contract test kits: one entry per adapter kind, and the store kit (tmf_gateway.testing.stores).

An adapter's test module runs a whole contract with one line per kind:

    from tmf_gateway.testing import OrderFulfilmentContract, contract_tests

    TestMyFulfilment = contract_tests(OrderFulfilmentContract, MyHarness, "my_fixture", ...)

(the harness is built from the values of the named fixtures). Subclassing a contract and
overriding its `harness` fixture does the same. See docs/adapters.md ("The contract kit").
"""

import pytest

# the kits' tests run in their users' test sessions: let pytest explain their failed asserts
# (before the imports below, so it must come first: hence E402 off for this file)
pytest.register_assert_rewrite(
    "tmf_gateway.testing.directory", "tmf_gateway.testing.feasibility",
    "tmf_gateway.testing.fulfilment", "tmf_gateway.testing.ticket_desk",
    "tmf_gateway.testing.store_suite",
)

from .directory import CustomerDirectoryContract, CustomerDirectoryHarness
from .feasibility import FeasibilityContract, FeasibilityHarness
from .fulfilment import FulfilmentHarness, OrderFulfilmentContract, settle
from .kit import AdapterContract, contract_tests
from .ticket_desk import TicketDeskContract, TicketDeskHarness

__all__ = [
    "AdapterContract",
    "CustomerDirectoryContract",
    "CustomerDirectoryHarness",
    "FeasibilityContract",
    "FeasibilityHarness",
    "FulfilmentHarness",
    "OrderFulfilmentContract",
    "TicketDeskContract",
    "TicketDeskHarness",
    "contract_tests",
    "settle",
]
