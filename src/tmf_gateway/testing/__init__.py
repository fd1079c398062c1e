"""Contract test kit for southbound adapters: subclass the contracts in your adapter's tests.

    from tmf_gateway.testing import FulfilmentHarness, OrderFulfilmentContract

    class TestMyAdapter(OrderFulfilmentContract):
        @pytest.fixture
        def harness(self):
            return MyHarness()

See docs/adapters.md ("The contract kit").
"""

from .directory import CustomerDirectoryContract, CustomerDirectoryHarness
from .feasibility import FeasibilityContract, FeasibilityHarness
from .fulfilment import FulfilmentHarness, OrderFulfilmentContract, settle
from .ticket_desk import TicketDeskContract, TicketDeskHarness

__all__ = [
    "CustomerDirectoryContract",
    "CustomerDirectoryHarness",
    "FeasibilityContract",
    "FeasibilityHarness",
    "FulfilmentHarness",
    "OrderFulfilmentContract",
    "TicketDeskContract",
    "TicketDeskHarness",
    "settle",
]
