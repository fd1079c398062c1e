"""What handlers read from the current request, the same under AsyncApp and FlaskApp.

Everything comes from the ASGI scope Connexion's context middleware exposes (and the raw body
the request guard read), never from Flask's or Starlette's request objects, so one handler
serves both app classes. In FlaskApp the handler thread sees the scope because api/bridge.py
runs Flask in a copy of the request's context.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl

from connexion import context as connexion_context

from ..services.context import Caller

RAW_BODY: ContextVar[bytes] = ContextVar("tmf_gateway_raw_body", default=b"")


def _scope() -> dict[str, Any]:
    return connexion_context.scope._get_current_object()  # type: ignore[no-any-return]


def current_scope() -> dict[str, Any]:
    """The ASGI scope of the request being handled (under either app class)."""
    return _scope()


def query_pairs() -> list[tuple[str, str]]:
    """Raw query pairs, repeated keys kept and dotted names intact."""
    raw = _scope().get("query_string", b"").decode("latin-1")
    return parse_qsl(raw, keep_blank_values=True)


def header(name: str) -> str | None:
    wanted = name.lower().encode("latin-1")
    for key, value in _scope().get("headers", ()):
        if key.lower() == wanted:
            return str(value.decode("latin-1"))
    return None


def host_url() -> str:
    """scheme://host[:port] plus the root path the app is mounted under (no trailing slash)."""
    scope = _scope()
    host = header("host")
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}"


def collection_url() -> str:
    """The request's URL without its query."""
    scope = _scope()
    path = scope.get("path", "")
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root):]
    return host_url() + path


def raw_body() -> bytes:
    """The request body as sent (api/guard.py read it before validation)."""
    return RAW_BODY.get()


def caller(public_url: str) -> Caller:
    # with security on, Connexion's context holds the client the security middleware verified
    token = connexion_context.context.get("token_info") or {}
    user = token.get("sub") or "anonymous"
    base = public_url or host_url()
    return Caller(actor=user, base_url=base, admin="admin" in token.get("scopes", ()))


def streamed(
    chunks: Iterable[bytes], media_type: str, headers: dict[str, str]
) -> Any:
    """A 200 response streaming `chunks` (a sync iterator), in the running app's framework:
    Flask streams it from its handler thread; Starlette iterates it in a worker thread."""
    import flask

    if flask.has_request_context():
        return flask.Response(chunks, status=200, mimetype=media_type, headers=headers)
    from starlette.responses import StreamingResponse

    return StreamingResponse(chunks, status_code=200, media_type=media_type, headers=headers)
