"""The HTTP suite runs against every Connexion app class the gateway can be served by, as
Connexion's own tests do: AsyncApp (the default) and FlaskApp; `app` and `http` are the
gateway on each store (and app class) for the e2e modules that do not build their own."""

from __future__ import annotations

import pytest

from tests.e2e.v4client import STORES, app_on
from tmf_gateway.api.frameworks import APP_CLASSES
from tmf_gateway.testing.gateway import gateway_app as build_gateway


@pytest.fixture(scope="module", params=STORES)
def app(request, tmp_path_factory):
    yield from app_on(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def http(app):
    with app.test_client() as client:
        yield client


@pytest.fixture(scope="session", params=APP_CLASSES)
def app_class(request) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def gateway_app(app_class, tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp(f"gateway-{app_class}") / "gateway.db"
    with build_gateway(database_url=f"sqlite:///{db}", app=app_class) as app:
        yield app


@pytest.fixture(scope="session")
def client(gateway_app):
    """This folder's own client: the root conftest's, made first elsewhere, would talk to the
    root's gateway, not to the app class under test."""
    with gateway_app.test_client() as test_client:
        yield test_client
