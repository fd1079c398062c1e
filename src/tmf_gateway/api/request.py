"""What handlers read from the current request: query pairs, caller, headers."""

from __future__ import annotations

import flask
from connexion import context as connexion_context

from ..services.context import Caller


def query_pairs() -> list[tuple[str, str]]:
    """Raw query pairs, repeated keys kept and dotted names intact."""
    return list(flask.request.args.items(multi=True))


def caller(public_url: str) -> Caller:
    # with security on, Connexion's context holds the client the security middleware verified
    token = connexion_context.context.get("token_info") or {}
    user = flask.g.get("tmf_actor") or token.get("sub") or "anonymous"
    base = public_url or flask.request.host_url.rstrip("/")
    return Caller(actor=user, base_url=base, admin="admin" in token.get("scopes", ()))


def header(name: str) -> str | None:
    return flask.request.headers.get(name)


def collection_url() -> str:
    return flask.request.base_url
