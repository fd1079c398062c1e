"""One gateway with security on (API keys and JWT from a JWKS file), shared by this folder."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tmf_gateway.config import Settings
from tmf_gateway.security.keys import KeyService
from tmf_gateway.testing.gateway import gateway_app

ISSUER, AUDIENCE = "https://idp.example.test/", "tmf-gateway"


@pytest.fixture(scope="session")
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def secure_app(tmp_path_factory, signing_key):
    folder = tmp_path_factory.mktemp("secure")
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    jwks = folder / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}))
    settings = Settings(
        database_url=f"sqlite:///{folder / 'secure.db'}",
        validate_responses=True,
        background=False,
        security="on",
        security_jwks=str(jwks),
        security_jwt_issuer=ISSUER,
        security_jwt_audience=AUDIENCE,
        rate_limits={"throttled": 0.5},
        client_scopes={"granted-exporter": ["customer:export"], "granted-by-sub": "customer:read"},
        rate_limit_burst=3,
        max_body_bytes=20_000,
    )
    with gateway_app(settings) as app:
        yield app


@pytest.fixture(scope="session")
def secure_client(secure_app):
    with secure_app.test_client() as client:
        yield client


@pytest.fixture(scope="session")
def make_key(secure_app):
    keys = KeyService(secure_app.gateway.services.security.store)

    def make(client: str, *scopes: str) -> dict[str, str]:
        return {"X-API-Key": keys.create(client, list(scopes))[1]}

    return make


@pytest.fixture(scope="session")
def make_token(signing_key):
    def make(client: str, scopes: str, **claims) -> dict[str, str]:
        body = {"iss": ISSUER, "aud": AUDIENCE, "sub": client, "client_id": client,
                "scope": scopes, "exp": int(time.time()) + 300, **claims}
        token = jwt.encode(body, signing_key, algorithm="RS256", headers={"kid": "k1"})
        return {"Authorization": f"Bearer {token}"}

    return make
