"""Console sign-in (an API key or bearer token holding the `ops` scope), session and CSRF."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

import flask

from ..errors import Forbidden, GatewayError, Unauthorized
from .context import console

SCOPE = "ops"
OPEN_ENDPOINTS = ("console.login", "console.static")


def csrf_token() -> str:
    token = flask.session.get("csrf")
    if not token:
        token = flask.session["csrf"] = secrets.token_urlsafe(32)
    return token


def guard() -> Any:
    """Before every console request: signed in (security on), and a POST carries the token."""
    if flask.request.method == "POST":
        sent = flask.request.form.get("csrf", "")
        expected = str(flask.session.get("csrf", "")).encode()
        if not sent or not hmac.compare_digest(sent.encode(), expected):
            console().record((flask.request.endpoint or "").removeprefix("console."), 403)
            return flask.render_template(
                "console/error.html", error=Forbidden("the form's CSRF token is missing or stale")
                .to_body()), 403
    if flask.request.endpoint in OPEN_ENDPOINTS:
        return None
    if not console().secured:
        flask.session.setdefault("who", "anonymous")
        return None
    if not flask.session.get("who"):
        return flask.redirect(flask.url_for("console.login", next=flask.request.path))
    return None


def _principal(credential: str) -> Any:
    authenticate = console().gateway.services.security.authenticator
    credential = credential.strip()
    if authenticate is None or not credential:
        return None
    if credential.lower().startswith("bearer "):
        credential = credential[7:].strip()
    if credential.startswith("tmfk_"):
        return authenticate(credential, None)
    return authenticate(None, f"Bearer {credential}")


def login() -> Any:
    if flask.request.method == "GET":
        if not console().secured:
            return flask.redirect(flask.url_for("console.overview"))
        return flask.render_template("console/login.html", error=None)
    try:
        principal = _principal(flask.request.form.get("credential", ""))
    except GatewayError as exc:  # e.g. an expired or forged token
        principal, error = None, exc
    else:
        error = Unauthorized("the API key or token is not valid")
    if principal is not None and not principal.allows(SCOPE):
        error, principal = Forbidden(f"the console needs the scope '{SCOPE}'"), None
    if principal is None:
        console().record("login", error.status)
        return flask.render_template("console/login.html", error=error.to_body()), error.status
    flask.session.clear()
    flask.session.permanent = True
    flask.session["who"] = principal.client
    flask.session["scopes"] = sorted(principal.scopes)
    flask.session["csrf"] = secrets.token_urlsafe(32)
    console().record("login", 200)
    target = flask.request.args.get("next", "")
    if not target.startswith("/console/"):
        target = flask.url_for("console.overview")
    return flask.redirect(target)


def logout() -> Any:
    console().record("logout", 200)
    flask.session.clear()
    return flask.redirect(flask.url_for("console.login"))
