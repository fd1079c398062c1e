"""Fixtures for the legacy-rest adapter: a real legacy CRM on 127.0.0.1 and adapter options."""

from __future__ import annotations

import pytest
from legacy_crm import API_KEY, MAPPING, LegacyCrm


@pytest.fixture
def crm():
    service = LegacyCrm().start()
    yield service
    service.close()


@pytest.fixture
def crm_options(crm):
    """Adapter options with small timeouts so faults show quickly."""
    return {
        "base_url": crm.url,
        "mapping": str(MAPPING),
        "headers": {"X-Api-Key": API_KEY},
        "timeout": 0.5,
        "connect_timeout": 0.5,
        "retries": 1,
        "backoff": 0.05,
        "breaker_fail_max": 3,
        "breaker_reset_seconds": 0.5,
    }


@pytest.fixture
def http(app):
    """A test client of the module's own `app` fixture."""
    with app.test_client() as test_client:
        yield test_client
