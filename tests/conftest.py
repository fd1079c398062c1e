"""Shared fixtures: one gateway app per session (Connexion start-up is slow), on SQLite."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tmf_gateway.app import create_app
from tmf_gateway.config import Settings
from tmf_gateway.testing.ci import SERVER_MARKERS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In CI, tests that need a real server must run: a skip there is a failure."""
    config.stash[_CI_KEY] = os.environ.get("CI", "").lower() in ("1", "true", "yes")


_CI_KEY = pytest.StashKey[bool]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    needs_server = any(item.get_closest_marker(m) for m in SERVER_MARKERS)
    if report.skipped and needs_server and item.config.stash.get(_CI_KEY, False):
        report.outcome = "failed"
        report.longrepr = f"CI=true: {item.nodeid} would skip, but CI must run it"


@pytest.fixture(scope="session")
def gateway_app(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("gateway") / "gateway.db"
    settings = Settings(database_url=f"sqlite:///{db}", validate_responses=True, background=False)
    app = create_app(settings)
    yield app
    app.gateway.store.close()


@pytest.fixture(scope="session")
def client(gateway_app):
    with gateway_app.test_client() as test_client:
        yield test_client
