"""HTTP side of the TMF checks: a session on the API root, results with curl reproductions."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import requests

from .profiles import Profile
from .results import CheckResult, Outcome, curl_for
from .safety import Ownership

MISSING_STATUSES = (404, 405, 501)
TIMEOUT = 15


class Probe:
    """Talks to one TMF API root and turns responses into `CheckResult`s."""

    def __init__(
        self,
        profile: Profile,
        base_url: str,
        headers: dict[str, str],
        sample: dict[str, Any] | None = None,
    ) -> None:
        self.profile = profile
        self.root = base_url.rstrip("/")
        self.collection = f"{self.root}/{profile.resource}"
        self.session = requests.Session()
        self.session.headers.update(headers)
        self.sample = sample if sample is not None else profile.sample
        self.run_id = uuid.uuid4().hex[:10]
        # what the run created, deleted at its end (conformance/safety.py)
        self.ownership = Ownership(self.run_id)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return self.session.request(method, url, **kwargs)

    def body(self, text: str) -> dict[str, Any]:
        doc = copy.deepcopy(self.sample)
        doc[self.profile.text_attribute] = text
        return doc

    def create(self, text: str) -> requests.Response:
        response = self.request("POST", self.collection, json=self.body(text))
        if response.status_code == 201:
            try:
                doc = response.json()
            except ValueError:
                return response
            self.ownership.record(
                "POST", f"/{self.profile.resource}", 201, doc, self.collection
            )
        return response

    def forget(self, url: str) -> None:
        """A resource a check deleted itself."""
        self.ownership.forget(url)

    # results -----------------------------------------------------------------------------------
    def result(
        self,
        name: str,
        operation: str,
        outcome: Outcome,
        message: str = "",
        response: requests.Response | None = None,
    ) -> CheckResult:
        requirement = self.profile.requirement(operation)
        if (
            outcome is Outcome.FAILED
            and requirement == "optional"
            and response is not None
            and response.status_code in MISSING_STATUSES
        ):
            outcome = Outcome.MISSING
        request = response.request if response is not None else None
        if response is not None and outcome is not Outcome.PASSED:
            message = f"{message}\n(response status {response.status_code}: {_snippet(response)})"
        return CheckResult(
            name=name,
            source="tmf",
            operation=operation,
            requirement=requirement,
            outcome=outcome,
            message=message.strip(),
            curl=curl_for(request) if outcome is not Outcome.PASSED else "",
            endpoint=f"{request.method} {_path(request.url or '', self.root)}" if request else "",
        )

    def passed(self, name: str, operation: str, response: requests.Response | None = None):
        return self.result(name, operation, Outcome.PASSED, response=response)

    def failed(self, name: str, operation: str, message: str, response=None) -> CheckResult:
        return self.result(name, operation, Outcome.FAILED, message, response)

    def skipped(self, name: str, operation: str, message: str) -> CheckResult:
        return self.result(name, operation, Outcome.SKIPPED, message)


def json_of(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def is_error_body(doc: Any) -> bool:
    """The TMF `Error` body: `code` and `reason` are required strings."""
    return isinstance(doc, dict) and isinstance(doc.get("code"), str) and isinstance(
        doc.get("reason"), str
    )


def _snippet(response: requests.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:300] + ("…" if len(text) > 300 else "") if text else "empty body"


def _path(url: str, root: str) -> str:
    """The request's path as the spec names it: `/customer/{id}` rather than the id itself."""
    path = url[len(root) :] if url.startswith(root) else url
    parts = path.split("?")[0].split("/")
    if len(parts) > 2:
        parts[2] = "{id}"
    return "/".join(parts)


class Created:
    """The resource every check may use: created once per run, or in a read-only run the first
    one the server lists (or why there is none)."""

    def __init__(self, probe: Probe, existing: bool = False) -> None:
        if existing:
            self.response = probe.request("GET", probe.collection, params={"limit": 1})
            listed = json_of(self.response)
            doc = listed[0] if isinstance(listed, list) and listed else None
            self.ok = self.response.status_code in (200, 206) and isinstance(doc, dict)
        else:
            self.response = probe.create(f"conf-{probe.run_id}-main")
            doc = json_of(self.response)
            self.ok = self.response.status_code == 201
        self.ok = self.ok and isinstance(doc, dict) and "id" in doc
        self.doc: dict[str, Any] = doc if self.ok and isinstance(doc, dict) else {}
        self.url = f"{probe.collection}/{self.doc.get('id')}"
        what = "listing resources" if existing else "creating a resource"
        self.why = "" if self.ok else f"{what} failed or found none ({self.response.status_code})"
