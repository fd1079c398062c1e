"""Outcome of one conformance check, and a curl rendering of the request that reproduces it."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from enum import StrEnum

import requests


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    MISSING = "optional feature missing"
    SKIPPED = "skipped"


@dataclass
class CheckResult:
    """One check of one operation: who ran it (schemathesis or tmf), how it ended, and why."""

    name: str
    source: str  # "schemathesis" or "tmf"
    operation: str  # profile operation key, e.g. "POST" or "PATCH merge"
    requirement: str  # "mandatory" or "optional"
    outcome: Outcome
    message: str = ""
    curl: str = ""
    endpoint: str = ""  # e.g. "POST /customer"

    @property
    def blocking(self) -> bool:
        """A failure that makes the server not conformant (and the command exit non-zero)."""
        return self.outcome is Outcome.FAILED and self.requirement == "mandatory"


def curl_for(request: requests.PreparedRequest | None) -> str:
    """A copy-pasteable curl command for a request sent with `requests`."""
    if request is None:
        return ""
    parts = ["curl", "-X", request.method or "GET"]
    skip = {"user-agent", "accept-encoding", "connection", "content-length"}
    for name, value in request.headers.items():
        if name.lower() in skip or (name.lower() == "accept" and value == "*/*"):
            continue
        parts += ["-H", f"{name}: {value}"]
    body = request.body
    if body:
        parts += ["-d", body.decode("utf-8", "replace") if isinstance(body, bytes) else body]
    parts.append(request.url or "")
    return " ".join(shlex.quote(p) for p in parts)
