"""The gateway on SQLite and on PostgreSQL (`app`, `http`) for the e2e modules that do not
build their own."""

from __future__ import annotations

import pytest

from tests.e2e.v4client import STORES, app_on


@pytest.fixture(scope="module", params=STORES)
def app(request, tmp_path_factory):
    yield from app_on(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def http(app):
    with app.test_client() as client:
        yield client
