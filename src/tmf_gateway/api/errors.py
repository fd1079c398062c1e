"""One renderer for every error: ours, Connexion's and Starlette's all become the TMF Error body."""

from __future__ import annotations

import logging
import re
from typing import Any

import orjson
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from flask import Response
from starlette.exceptions import HTTPException

from ..errors import (
    BadRequest,
    GatewayError,
    MethodNotAllowed,
    NotFound,
    UnsupportedMediaType,
)

log = logging.getLogger(__name__)

_BY_STATUS: dict[int, type[GatewayError]] = {
    400: BadRequest,
    404: NotFound,
    405: MethodNotAllowed,
    415: UnsupportedMediaType,
}


def _body(error: GatewayError) -> bytes:
    return orjson.dumps(error.to_body())


def flask_response(error: GatewayError) -> Response:
    """Render an error raised inside a Flask view."""
    return Response(
        _body(error), status=error.status, headers=error.headers(), mimetype="application/json"
    )


def from_status(status: int, message: str, headers: dict[str, str] | None = None) -> GatewayError:
    """A GatewayError for a framework error of this status, keeping its message."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        error = GatewayError(message)
        error.status, error.code = status, f"ERR{status}"
        error.reason = "Client error" if status < 500 else "Internal error"
        return error
    return cls(message)


class AllowedMethods:
    """Which methods each path of the specs accepts, for 405 answers with a true Allow header."""

    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern[str], tuple[str, ...]]] = []

    def add_spec(self, base_path: str, spec: dict[str, Any]) -> None:
        for path, item in spec.get("paths", {}).items():
            pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(base_path + path))
            methods = tuple(m.upper() for m in item if m in ("get", "post", "patch", "delete"))
            self._routes.append((re.compile(pattern + "$"), methods))

    def for_path(self, path: str) -> tuple[str, ...]:
        for pattern, methods in self._routes:
            if pattern.match(path):
                return methods
        return ()


def middleware_handlers(allowed: AllowedMethods) -> dict[type[Exception], Any]:
    """Handlers for errors raised before a view runs (routing, validation, decoding)."""

    async def problem(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
        headers: dict[str, str] = {}
        if isinstance(exc, GatewayError):
            error = exc
        elif isinstance(exc, ProblemException):
            error = from_status(exc.status, str(exc.detail or exc.title))
            headers.update(exc.headers or {})
        elif isinstance(exc, HTTPException):
            error = from_status(exc.status_code, str(exc.detail))
            headers.update(exc.headers or {})
        elif isinstance(exc, UnicodeDecodeError):
            error = BadRequest("the request body is not valid UTF-8")
        else:
            log.exception("unexpected error", exc_info=exc)
            error = GatewayError("the gateway failed to handle this request")
        if error.status == 405:
            methods = allowed.for_path(request.url.path)
            if methods:
                headers["Allow"] = ", ".join(methods)
        headers.update(error.headers())
        headers.pop("content-type", None)
        headers.pop("Content-Type", None)
        return ConnexionResponse(
            status_code=error.status,
            body=_body(error),
            content_type="application/json",
            headers=headers,
        )

    return {ProblemException: problem, HTTPException: problem, Exception: problem}
