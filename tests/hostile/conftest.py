"""A real gateway process per store (SQLite and PostgreSQL) for the hostile-input suite, with
a few resources of every kind stored before any hostile request is sent."""

from __future__ import annotations

import os

import pytest
import requests

from tests.livesrv import serve_on

from .http import Operation, operations, snapshot

# generated variants per store: `make test` runs this many, `make hostile-long` more
EXAMPLES = int(os.environ.get("TMF_GATEWAY_HOSTILE_EXAMPLES", "150"))
PARTY = {"id": "500", "@referredType": "Organization"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                 marks=pytest.mark.postgres)])
def gateway(request, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    with serve_on(request.param, folder) as base:
        _seed(base)
        yield base


def _post(url: str, body: dict) -> dict:
    response = requests.post(url, json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def _seed(base: str) -> None:
    customer = _post(base + "/tmf-api/customerManagement/v4/customer",
                     {"name": "Seed", "engagedParty": PARTY})
    party = [{"id": customer["id"], "@referredType": "Customer", "role": "Customer"}]
    _post(base + "/tmf-api/troubleTicket/v4/troubleTicket",
          {"description": "seed", "severity": "Minor", "ticketType": "incident",
           "relatedParty": party})
    _post(base + "/tmf-api/productOrderingManagement/v4/productOrder",
          {"productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": "tv"}}],
           "relatedParty": party})


@pytest.fixture(scope="module")
def every_operation(gateway) -> list[Operation]:
    return operations(gateway)


@pytest.fixture
def unchanged(gateway):
    """Nothing stored changes while the test sends its hostile requests."""
    before = snapshot(gateway)
    yield
    assert snapshot(gateway) == before
