"""Adapters are chosen by name per capability: legacy-rest for orders, the simulator for tickets."""

from __future__ import annotations

import pytest
from legacy_crm import MAPPING
from tmf_gateway_legacy_rest import LegacyRestFulfilment

from tmf_gateway.config import Settings
from tmf_gateway.errors import ConfigurationError
from tmf_gateway.simulator.ticket_desk import SimulatedTicketDesk
from tmf_gateway.southbound import load_adapter

OPTIONS = {"legacy-rest": {"base_url": "http://127.0.0.1:9", "mapping": str(MAPPING)}}


def test_fulfilment_from_legacy_rest_the_rest_from_the_simulator():
    adapter = load_adapter(Settings(southbound="simulator", southbound_fulfilment="legacy-rest",
                                    southbound_options=OPTIONS))
    assert isinstance(adapter.fulfilment, LegacyRestFulfilment)
    assert isinstance(adapter.ticket_desk, SimulatedTicketDesk)
    assert adapter.feasibility is not None
    adapter.fulfilment.close()


def test_an_unknown_name_lists_the_installed_adapters():
    with pytest.raises(ConfigurationError, match=r"installed: .*legacy-rest.*simulator"):
        load_adapter(Settings(southbound_fulfilment="no-such-adapter"))


def test_an_adapter_without_the_capability_stops_start_up():
    with pytest.raises(ConfigurationError, match="'legacy-rest' offers no ticket_desk"):
        load_adapter(Settings(southbound_ticket_desk="legacy-rest", southbound_options=OPTIONS))


def test_legacy_rest_needs_its_options():
    with pytest.raises(ConfigurationError, match="base_url and mapping"):
        load_adapter(Settings(southbound="legacy-rest"))
