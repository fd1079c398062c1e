"""Who is acting and where the gateway is reached, passed from handlers into services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """The client behind a request: recorded in audit trails, used for ownership checks."""

    actor: str = "anonymous"
    base_url: str = "http://127.0.0.1:8080"
    admin: bool = False  # holds the admin scope: may see and remove any hub subscription
