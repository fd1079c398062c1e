"""The ops console at /console/: server-rendered pages for order-handling and ticket staff,
built on the same services and rules as the TMF APIs (docs/console.md)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import flask

from . import auth, events, orders, overview, tickets
from .context import Console

if TYPE_CHECKING:
    from ..gateway import Gateway

PREFIX = "/console"
# everything the console loads is its own: no CDN, fonts or inline script to allow
POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def blueprint() -> flask.Blueprint:
    """The console's pages, relative to where it is mounted (PREFIX)."""
    bp = flask.Blueprint(
        "console", __name__, template_folder="templates",
        static_folder="static", static_url_path="/static",
    )
    bp.before_request(auth.guard)
    bp.after_request(_content_policy)
    bp.add_url_rule("/", view_func=overview.overview)
    bp.add_url_rule("/login", view_func=auth.login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", view_func=auth.logout, methods=["POST"])
    orders.register(bp)
    tickets.register(bp)
    events.register(bp)

    @bp.app_context_processor
    def _helpers() -> dict[str, Any]:
        return {"csrf_token": auth.csrf_token, "page_url": _page_url}

    return bp


def _content_policy(response: flask.Response) -> flask.Response:
    response.headers.setdefault("Content-Security-Policy", POLICY)
    return response


def _page_url(page: int) -> str:
    """This list page with the same filters, at another page."""
    args = {**flask.request.args.to_dict(), "page": page}
    return flask.url_for(flask.request.endpoint or "", **(flask.request.view_args or {}), **args)


def asgi_app(gateway: Gateway) -> Any:
    """The console as an ASGI app of its own (a Flask app behind a WSGI bridge), for
    `api.frameworks.mount` at PREFIX under either Connexion app class."""
    from a2wsgi import WSGIMiddleware

    settings = gateway.settings
    flask_app = flask.Flask("tmf_gateway.console")
    flask_app.extensions["tmf_console"] = Console(gateway)
    # a random key per process unless set: sessions then last until the process restarts
    flask_app.secret_key = settings.console_secret_key or secrets.token_bytes(32)
    flask_app.config.update(
        SESSION_COOKIE_NAME="tmf_console",
        SESSION_COOKIE_PATH=PREFIX,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.console_session_seconds),
    )
    flask_app.register_blueprint(blueprint())
    return WSGIMiddleware(flask_app)  # type: ignore[arg-type]
