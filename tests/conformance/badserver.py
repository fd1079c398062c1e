"""A small TMF629 server on 127.0.0.1 with planted defects, for tests of the conformance tool.

Apart from the defects it is asked to plant, it follows `bad_tmf629.yaml` strictly, so every
failure the tool reports must come from a planted defect."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
import yaml

SPEC = Path(__file__).with_name("bad_tmf629.yaml")
ROOT = "/tmf-api/customerManagement/v4"
DEFECTS = frozenset({"wrong_total", "no_location", "crash_on_bad_input"})
OPERATORS = {
    "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b,
}
_components = yaml.safe_load(SPEC.read_text())["components"]


def _validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        {"$ref": f"#/components/schemas/{name}", "components": _components}
    )


CREATE, UPDATE, JSON_PATCH = (_validator(n) for n in ("Customer_Create", "Customer_Update",
                                                       "JsonPatch"))


class BadTmf629:
    def __init__(self, defects: frozenset[str]) -> None:
        self.defects = defects
        self.customers: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()


def _handler(state: BadTmf629) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def send(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, reason: str, headers: dict[str, str] | None = None):
            self.send(status, {"code": str(status), "reason": reason}, headers)

        def route(self) -> tuple[str | None, dict[str, list[str]]]:
            """The customer id (`""` for the collection, None when no route) and the query."""
            parts = urlsplit(self.path)
            query: dict[str, list[str]] = {}
            for key, value in parse_qsl(parts.query, keep_blank_values=True):
                query.setdefault(key, []).append(value)
            path = parts.path
            if path == f"{ROOT}/customer":
                return "", query
            prefix = f"{ROOT}/customer/"
            if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                return unquote(path[len(prefix) :]), query
            return None, query

        def body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"null")

        def href(self, cid: str) -> str:
            return f"http://{self.headers.get('Host')}{ROOT}/customer/{cid}"

        def dispatch(self, method: str) -> None:
            cid, query = self.route()
            allowed = {"": "GET, POST", None: ""}.get(cid, "GET, PATCH, DELETE")
            if cid is None:
                return self.error(404, "Not found")
            if method not in allowed.split(", "):
                return self.error(405, "Method not allowed", {"Allow": allowed})
            getattr(self, f"do_{method.lower()}_{'list' if cid == '' else 'one'}")(cid, query)

        def __getattr__(self, name: str) -> Any:
            # every method, declared or not, goes through dispatch (405 rather than 501)
            if name.startswith("do_"):
                return lambda: self.dispatch(name[3:])
            raise AttributeError(name)

        def select(self, doc: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
            if "fields" not in query:
                return doc
            keep = set(query["fields"][0].split(","))
            return {k: v for k, v in doc.items() if k in keep}

        def do_get_list(self, _cid: str, query: dict[str, list[str]]) -> None:
            try:
                offset = int(query.get("offset", ["0"])[0])
                limit = int(query.get("limit", ["1000"])[0])
            except ValueError:
                return self.error(400, "offset and limit are integers")
            if not (0 <= offset <= 1000000 and 1 <= limit <= 1000):
                return self.error(400, "offset or limit out of range")
            with state.lock:
                found = list(state.customers.values())
            for key, values in query.items():
                name, _, op = key.partition(".")
                if name != "name":
                    continue
                test = OPERATORS.get(op, lambda a, b: a == b)
                found = [c for c in found if test(c["name"], values[0])]
            page = found[offset : offset + limit]
            total = len(found) + (1 if "wrong_total" in state.defects else 0)
            headers = {"X-Total-Count": str(total), "X-Result-Count": str(len(page))}
            status = 200 if offset == 0 and len(page) == len(found) else 206
            self.send(status, [self.select(c, query) for c in page], headers)

        def do_post_list(self, _cid: str, _query: dict[str, list[str]]) -> None:
            if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
                return self.error(415, "Unsupported media type")
            try:
                doc = self.body()
                if not CREATE.is_valid(doc):
                    raise ValueError("invalid customer")
            except ValueError:
                if "crash_on_bad_input" in state.defects:
                    return self.error(500, "Internal error")
                return self.error(400, "Invalid customer")
            cid = uuid.uuid4().hex
            doc = {"@type": "Customer", **doc, "id": cid, "href": self.href(cid)}  # ours win
            with state.lock:
                state.customers[cid] = doc
            headers = {} if "no_location" in state.defects else {"Location": doc["href"]}
            self.send(201, doc, headers)

        def do_get_one(self, cid: str, query: dict[str, list[str]]) -> None:
            doc = state.customers.get(cid)
            if doc is None:
                return self.error(404, "No such customer")
            self.send(200, self.select(doc, query))

        def do_patch_one(self, cid: str, _query: dict[str, list[str]]) -> None:
            media = self.headers.get("Content-Type", "").split(";")[0]
            if media not in ("application/merge-patch+json", "application/json-patch+json"):
                return self.error(415, "Unsupported media type")
            try:
                change = self.body()
            except ValueError:
                return self.error(400, "Malformed JSON")
            validator = UPDATE if media == "application/merge-patch+json" else JSON_PATCH
            if not validator.is_valid(change):
                return self.error(400, "Invalid patch")
            with state.lock:
                doc = state.customers.get(cid)
                if doc is None:
                    return self.error(404, "No such customer")
                if isinstance(change, list):
                    change = {op["path"][1:]: op["value"] for op in change}
                doc.update(change)
            self.send(200, doc)

        def do_delete_one(self, cid: str, _query: dict[str, list[str]]) -> None:
            with state.lock:
                if state.customers.pop(cid, None) is None:
                    return self.error(404, "No such customer")
            self.send(204)

    return Handler


@contextmanager
def serve_bad(defects: frozenset[str] = DEFECTS) -> Iterator[str]:
    """Yield the API root of a bad TMF629 server on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(BadTmf629(defects)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{ROOT}"
    finally:
        server.shutdown()
        server.server_close()
