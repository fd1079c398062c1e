"""One secured gateway per store (SQLite, PostgreSQL) for the console's server-side tests."""

from __future__ import annotations

import json
import re
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.apps import app_on
from tmf_gateway.security.keys import KeyService

STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


ISSUER, AUDIENCE = "https://idp.example.test/", "tmf-gateway"


@pytest.fixture(scope="session")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def jwks(tmp_path_factory, signing_key) -> str:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}))
    return str(path)


@pytest.fixture(scope="session")
def make_token(signing_key):
    def make(client: str, scopes: str) -> str:
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": client, "client_id": client,
                "scope": scopes, "exp": int(time.time()) + 300}
        return jwt.encode(body, signing_key, algorithm="RS256", headers={"kid": "k1"})

    return make


@pytest.fixture(scope="module", params=STORES)
def console_app(request, tmp_path_factory, jwks):
    yield from app_on(request.param, tmp_path_factory, security="on", security_jwks=jwks,
                      security_jwt_issuer=ISSUER, security_jwt_audience=AUDIENCE)


@pytest.fixture(scope="module")
def make_key(console_app):
    keys = KeyService(console_app.gateway.services.security.store)

    def make(client: str, *scopes: str) -> str:
        return keys.create(client, list(scopes))[1]

    return make


@pytest.fixture(scope="module")
def api(console_app, make_key):
    """A TMF API client allowed everything (to set the scene the console then works on)."""
    client = console_app.test_client()
    client.headers["X-API-Key"] = make_key("scene-setter", "admin")
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "every console form carries a CSRF token"
    return found.group(1)


@pytest.fixture
def signed_in(console_app, make_key):
    """A browser-like client signed in to the console as `alice` (ops scope); its CSRF token."""
    client = console_app.test_client(follow_redirects=False)
    token = csrf_of(client.get("/console/login").text)
    answer = client.post("/console/login", data={"credential": make_key("alice", "ops"),
                                                  "csrf": token})
    assert answer.status_code == 302
    return client, csrf_of(client.get("/console/").text)
