"""Request hygiene before routing: odd paths, methods and headers, body size and JSON safety.

Every request passes here before Connexion routes it, so a hostile request gets a TMF 4xx
(rendered by api/errors.py) instead of reaching a parser, a handler or a database that would
fail with a 500: paths with empty or dot segments and trailing slashes (404, never a redirect
that skips authentication), unknown methods (405), repeated Content-Type (400), a body over
the size limit however it is sent (413, chunked included), a body without a Content-Type
(415), JSON that is too deep, has NaN/Infinity, NUL or lone surrogates (400), NUL in a query
parameter and more filter values than allowed (400).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import jsoncodec
from ..errors import (
    BadRequest,
    InvalidQuery,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from .request import RAW_BODY

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
NOT_FILTERS = frozenset({"fields", "sort", "offset", "limit"})
TRAILING_OK = frozenset({"/", "/console/"})


class RequestGuard:
    """The ASGI middleware; limits come from settings (max_body_bytes, max_json_depth,
    max_filter_values)."""

    def __init__(
        self, app: ASGIApp, max_body: int, max_depth: int, max_filter_values: int
    ) -> None:
        self.app = app
        self.max_body, self.max_depth, self.max_filter_values = (
            max_body, max_depth, max_filter_values,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        check_path(scope.get("path", ""))
        if scope["method"] not in METHODS:
            raise MethodNotAllowed(f"method {scope['method']} is not supported")
        content_types = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-type"]
        if len(content_types) > 1:
            raise BadRequest("the request has more than one Content-Type header")
        self.check_query(scope.get("query_string", b""))
        body = await self.read_body(scope, receive)
        if body and scope["method"] in WITH_BODY:
            media = content_types[0].decode("latin-1") if content_types else ""
            check_body(body, media, self.max_depth)
        RAW_BODY.set(body)  # for handlers that need the bytes as sent (api/request.py)
        await self.app(scope, replaying(body, receive), send)

    async def read_body(self, scope: Scope, receive: Receive) -> bytes:
        """The whole body, refused with 413 as soon as it is over the limit."""
        limit = self.max_body
        for key, value in scope.get("headers", ()):
            declared = int(value) if key.lower() == b"content-length" and value.isdigit() else 0
            if limit and declared > limit:
                raise PayloadTooLarge(f"request bodies are limited to {limit} bytes")
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit and size > limit:
                raise PayloadTooLarge(f"request bodies are limited to {limit} bytes")
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    def check_query(self, query: bytes) -> None:
        if not query:
            return
        try:
            pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, errors="strict",
                              encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidQuery("the query string is not valid UTF-8") from None
        values = 0
        for name, value in pairs:
            if "\x00" in name or "\x00" in value:
                raise InvalidQuery(f"query parameter '{name}' contains the NUL character")
            if name not in NOT_FILTERS:
                values += value.count(",") + 1
        if self.max_filter_values and values > self.max_filter_values:
            raise InvalidQuery(
                f"the filter has {values} values; at most {self.max_filter_values} are "
                "accepted (setting max_filter_values)"
            )


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the already read body in one message, then the client's own."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def check_path(path: str) -> None:
    """Only canonical paths reach routing: no empty, '.' or '..' segment, no trailing slash
    (Swagger UI's own `/ui/` and the console's home `/console/` excepted), no control
    character."""
    segments = path.split("/")[1:]
    trailing = path.endswith("/") and not path.endswith("/ui/") and path not in TRAILING_OK
    odd = any(s in ("", ".", "..") for s in segments[:-1]) or segments[-1:] in (["."], [".."])
    if trailing or odd or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        raise NotFound("no resource at this path")


def check_body(body: bytes, content_type: str, max_depth: int) -> None:
    media = content_type.split(";", 1)[0].strip().lower()
    if not media:
        raise UnsupportedMediaType(
            "a request body needs a Content-Type header (application/json)"
        )
    if media.endswith("/json") or media.endswith("+json"):
        try:
            jsoncodec.check(body, max_depth)
        except jsoncodec.JsonRefused as exc:
            raise BadRequest(str(exc)) from None
