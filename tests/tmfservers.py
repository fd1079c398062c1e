"""Loopback stand-ins for a TMF620 product catalog and a TMF637 product inventory (v4 paths and
bodies as in the official files), real HTTP servers for the adapters' tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

CATALOG_ROOT = "/tmf-api/productCatalogManagement/v4"
INVENTORY_ROOT = "/tmf-api/productInventory/v4"


def _values(doc: Any, path: list[str]) -> list[Any]:
    if not path:
        return [doc]
    if isinstance(doc, list):
        return [v for item in doc for v in _values(item, path)]
    if isinstance(doc, dict) and path[0] in doc:
        return _values(doc[path[0]], path[1:])
    return []


class TmfServer:
    """Offerings (read-only) and products (GET, POST, PATCH) kept in dicts; paths under a root
    in `down` are answered 503."""

    def __init__(self) -> None:
        self.offerings: dict[str, dict[str, Any]] = {}
        self.products: dict[str, dict[str, Any]] = {}
        self.down: set[str] = set()
        self.base = ""

    def answer(self, method: str, target: str, body: Any) -> tuple[int, Any]:
        url = urlsplit(target)
        if any(url.path.startswith(root) for root in self.down):
            return 503, {"code": "503", "reason": "down"}
        parts = [unquote(p) for p in url.path.split("/") if p]
        path = "/" + "/".join(parts)
        if path.startswith(CATALOG_ROOT + "/productOffering/") and method == "GET":
            found = self.offerings.get(parts[-1])
            return (200, found) if found else (404, {"code": "404", "reason": "not found"})
        if path == INVENTORY_ROOT + "/product":
            if method == "POST":
                doc = {**body, "href": f"{self.base}{INVENTORY_ROOT}/product/{body['id']}"}
                self.products[doc["id"]] = doc
                return 201, doc
            found = list(self.products.values())
            for key, value in parse_qsl(url.query):
                found = [p for p in found if value in map(str, _values(p, key.split(".")))]
            return 200, found
        if path.startswith(INVENTORY_ROOT + "/product/"):
            product = self.products.get(parts[-1])
            if product is None:
                return 404, {"code": "404", "reason": "not found"}
            if method == "PATCH":
                product.update(body)
            return 200, product
        return 404, {"code": "404", "reason": "no such path"}


@contextmanager
def tmf_server() -> Iterator[TmfServer]:
    state = TmfServer()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            status, answer = state.answer(self.command, self.path, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="tmf-server")
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
