"""OAuth2 JWT bearer tokens (PyJWT): signature from a JWKS file or URL, issuer, audience."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt

from ..errors import ConfigurationError
from .keys import Principal

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]


def client_grants(table: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """The `client_scopes` setting: client id -> the scopes the gateway grants it, as a list
    or a space/comma separated string; anything else stops start-up."""
    grants = {}
    for client, scopes in table.items():
        if isinstance(scopes, str):
            scopes = scopes.replace(",", " ").split()
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise ConfigurationError(
                f"client_scopes.{client} must be a list of scopes, e.g. [\"customer:read\"]"
            )
        grants[str(client)] = frozenset(s.strip() for s in scopes if s.strip())
    return grants


class JwtVerifier:
    """Checks tokens; runs off the event loop (the middleware calls it in a worker thread).

    A client listed in `grants` gets exactly the scopes listed there, whatever its token's
    `scope` says: the gateway, not the identity provider, decides what that client may do
    (many providers cannot mint per-API scopes). Unlisted clients keep their token's scopes."""

    def __init__(
        self,
        jwks: str,
        issuer: str,
        audience: str,
        grants: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        if not (jwks and issuer and audience):
            raise ConfigurationError(
                "JWT needs security_jwks (file or URL), security_jwt_issuer and "
                "security_jwt_audience"
            )
        self.issuer, self.audience = issuer, audience
        self.grants = dict(grants or {})
        if jwks.startswith(("http://", "https://")):
            # PyJWKClient caches the key set and refetches only for an unknown key id
            self._client: jwt.PyJWKClient | None = jwt.PyJWKClient(jwks, lifespan=300)
            self._keys = None
        else:
            self._client = None
            self._keys = jwt.PyJWKSet.from_dict(json.loads(Path(jwks).read_text()))

    def _signing_key(self, token: str) -> object:
        if self._client is not None:
            return self._client.get_signing_key_from_jwt(token).key
        kid = jwt.get_unverified_header(token).get("kid")
        keys = self._keys.keys if self._keys else []
        for key in keys:
            if kid is None or key.key_id == kid:
                return key.key
        raise jwt.InvalidTokenError("no key in the JWKS matches the token")

    def verify(self, token: str) -> Principal | None:
        try:
            claims = jwt.decode(
                token,
                self._signing_key(token),  # type: ignore[arg-type]
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError):
            return None
        scope_list = [*_scopes(claims.get("scope")), *_scopes(claims.get("scp"))]
        client = str(
            claims.get("client_id") or claims.get("azp") or claims.get("sub") or "unknown"
        )
        return Principal(client, self.grants.get(client, frozenset(scope_list)))


def _scopes(claim: Any) -> list[str]:
    """`scope` or `scp`: a space separated string (RFC 8693) or a list of strings (Azure AD,
    Okta); anything else grants nothing."""
    if isinstance(claim, str):
        return claim.split()
    if isinstance(claim, list):
        return [item for item in claim if isinstance(item, str)]
    return []
