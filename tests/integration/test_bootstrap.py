"""bootstrap() is the one place a gateway is built: the parts a caller passes in are the ones
every service gets, and optional jobs exist only when their part does."""

from __future__ import annotations

from tmf_gateway.bootstrap import bootstrap, served_resource_types
from tmf_gateway.simulator import create_adapter
from tmf_gateway.southbound import Adapter
from tmf_gateway.storage.memory import MemoryStore
from tmf_gateway.testing.gateway import settings_for_tests


def _built(adapter: Adapter):
    store = MemoryStore(served_resource_types())
    gateway = bootstrap(settings_for_tests(store="memory", database_url="memory://"),
                        store=store, adapter=adapter)
    return store, gateway


def test_the_parts_passed_in_are_the_ones_the_services_use():
    adapter = create_adapter({})
    store, gateway = _built(adapter)
    try:
        services = gateway.services
        assert gateway.store is store and gateway.southbound is adapter
        assert services.resources.customer.store is store
        assert services.ordering.processor.orders is services.resources.product_order
        assert services.ticket_desk is not None and services.customer_directory is not None
        assert services.security.authenticator is None  # security is off
    finally:
        gateway.services.events.close()


def test_without_a_ticket_desk_or_a_directory_their_jobs_are_not_built():
    adapter = create_adapter({})
    adapter.ticket_desk = adapter.customer_directory = None
    _, gateway = _built(adapter)
    try:
        assert gateway.services.ticket_desk is None
        assert gateway.services.customer_directory is None
        assert gateway.services.order_notices is None  # no smtp_host
    finally:
        gateway.services.events.close()
