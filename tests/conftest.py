"""Shared fixtures: one gateway app per session (Connexion start-up is slow), on SQLite."""

from __future__ import annotations

import pytest

# in CI, tests that need a real server must run: a skip there is a failure
from tmf_gateway.testing.ci import (  # noqa: F401  (pytest hooks)
    pytest_collection_modifyitems,
    pytest_runtest_makereport,
)
from tmf_gateway.testing.gateway import gateway_app as build_gateway


@pytest.fixture(scope="session")
def gateway_app(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("gateway") / "gateway.db"
    with build_gateway(database_url=f"sqlite:///{db}") as app:
        yield app


@pytest.fixture(scope="session")
def client(gateway_app):
    with gateway_app.test_client() as test_client:
        yield test_client


@pytest.fixture
def http(app):
    """A test client of the module's own `app` fixture (tests/e2e has a module-wide one)."""
    with app.test_client() as test_client:
        yield test_client
