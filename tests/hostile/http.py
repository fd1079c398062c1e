"""HTTP helpers of the hostile suite: every operation of every API (from the served specs), raw
requests that no client library would send, what is stored, and the TMF error check."""

from __future__ import annotations

import json
import select
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

SPECS = (
    "/tmf-api/customerManagement/v4",
    "/tmf-api/productOrderingManagement/v4",
    "/tmf-api/troubleTicket/v4",
    "/tmf-gateway/v1",
    "/tmf-gateway/admin/v1",
)
COLLECTIONS = (
    "/tmf-api/customerManagement/v4/customer",
    "/tmf-api/productOrderingManagement/v4/productOrder",
    "/tmf-api/productOrderingManagement/v4/cancelProductOrder",
    "/tmf-api/troubleTicket/v4/troubleTicket",
)


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # absolute, path parameters filled with a stored id (or a made-up one)
    takes_body: bool

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def operations(base: str) -> list[Operation]:
    """Every operation the gateway serves, from its own specs."""
    ids = {path.rsplit("/", 1)[1]: _first_id(base + path) for path in COLLECTIONS}
    found = []
    for root in SPECS:
        spec = requests.get(f"{base}{root}/openapi.json", timeout=10).json()
        for template, item in spec["paths"].items():
            collection = template.split("/")[1]
            path = template.replace("{id}", ids.get(collection) or "no-such-id")
            for part in [p for p in path.split("/") if p.startswith("{")]:
                path = path.replace(part, "no-such-id")
            for method, op in item.items():
                if method in ("get", "post", "patch", "delete", "put"):
                    found.append(Operation(method.upper(), root + path, "requestBody" in op))
    assert len(found) > 20, found
    return found


def _first_id(url: str) -> str | None:
    items = requests.get(url, params={"limit": 1}, timeout=10).json()
    return items[0]["id"] if items else None


def snapshot(base: str) -> dict[str, Any]:
    """Every stored resource of every collection, in full."""
    return {path: requests.get(base + path, params={"limit": 1000}, timeout=30).json()
            for path in COLLECTIONS}


def assert_tmf_error(status: int, body: bytes, context: object) -> None:
    """A 4xx with the TMF Error body: never a 5xx, never a bare redirect or HTML page."""
    assert 400 <= status < 500, f"{context}: {status} {body[:300]!r}"
    error = json.loads(body)
    assert {"code", "reason", "message", "status"} <= set(error), f"{context}: {error}"
    assert error["status"] == str(status), f"{context}: {error}"


def raw(base: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send exactly these bytes (head lines without Host/Connection) and read the answer."""
    url = urlsplit(base)
    request = (f"{head}\r\nHost: {url.netloc}\r\nConnection: close\r\n\r\n").encode("latin-1")
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(request)
        # a server may answer from the head alone (413 on Content-Length) and close: read that
        if body and not select.select([sock], [], [], 0.3)[0]:
            sock.sendall(body)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            if not chunks:
                raise
    response = b"".join(chunks)
    header, _, payload = response.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in header.lower():
        payload = _unchunk(payload)
    return status, payload


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2:]
    return out
