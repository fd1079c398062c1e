"""The HTTP server's own refusals in the TMF Error shape. A request uvicorn's parser cannot read
(a method outside the HTTP registry such as `BREW`, a malformed request line or header) never
reaches the app, and uvicorn would answer it with a plain-text 400."""

from __future__ import annotations

import sys
from typing import Any

import orjson

from ..errors import BadRequest, GatewayError, MethodNotAllowed

SERVED_METHODS = "GET, POST, PATCH, DELETE"  # what some path of the gateway accepts


def _answer(error: GatewayError, default_headers: Any) -> bytes:
    body = orjson.dumps(error.to_body())
    lines = [f"HTTP/1.1 {error.status} {error.reason}\r\n".encode("latin-1")]
    lines += [name + b": " + value + b"\r\n" for name, value in default_headers]
    if error.status == 405:
        lines.append(f"allow: {SERVED_METHODS}\r\n".encode("latin-1"))
    lines += [
        b"content-type: application/json\r\n",
        b"x-content-type-options: nosniff\r\n",
        b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
        b"connection: close\r\n\r\n",
        body,
    ]
    return b"".join(lines)


try:
    import httptools
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # uvicorn then parses with h11, which accepts any method token
    HttpToolsProtocol = None  # type: ignore[assignment,misc]


if HttpToolsProtocol is not None:

    class TmfHttpToolsProtocol(HttpToolsProtocol):  # module level: workers get it by pickle
        """uvicorn's httptools protocol, answering what its parser refuses as a TMF error."""

        def send_400_response(self, msg: str) -> None:
            # called while handling the parser's error: which one says what was wrong
            parsing = sys.exc_info()[1]
            if isinstance(parsing, httptools.HttpParserInvalidMethodError):
                error: GatewayError = MethodNotAllowed("this HTTP method is not supported")
            else:
                error = BadRequest("the request is not valid HTTP")
            self.transport.write(_answer(error, self.server_state.default_headers))
            self.transport.close()


def protocol() -> Any:
    """uvicorn's `http` argument: TmfHttpToolsProtocol, or "auto" without httptools."""
    return "auto" if HttpToolsProtocol is None else TmfHttpToolsProtocol
