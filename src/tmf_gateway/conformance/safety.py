"""What a conformance run may touch: only resources it created itself, all deleted at the end;
a read-only run sends safe requests only (GET, HEAD, OPTIONS)."""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import requests

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# a create whose body names another resource acts on it: the cancellation of an order
ACTS_ON = {"/cancelProductOrder": ("productOrder", "/productOrder")}
TIMEOUT = 15
# how to make a resource the run created deletable (TMF622: cancel the order)
Retire = Callable[[requests.Session, str], None]


def read_only_spec(raw: dict[str, Any]) -> dict[str, Any]:
    """The spec without any unsafe operation (and so without links to them)."""
    spec = copy.deepcopy(raw)
    for item in spec.get("paths", {}).values():
        for method in [m for m in item if m.upper() in UNSAFE]:
            del item[method]
        for op in item.values():
            if isinstance(op, dict):
                for response in op.get("responses", {}).values():
                    if isinstance(response, dict):
                        response.pop("links", None)
    return spec


def without_security(raw: dict[str, Any]) -> dict[str, Any]:
    """The spec with no security requirement: a run without credentials cannot test them."""
    spec = copy.deepcopy(raw)
    spec.pop("security", None)
    for item in spec.get("paths", {}).values():
        for op in item.values():
            if isinstance(op, dict):
                op.pop("security", None)
    return spec


class UnsafeRequest(RuntimeError):
    """A read-only run was about to send a request that could change something."""


class Ownership:
    """Resources this run created (by collection path and id), recorded from 201 answers; an
    unsafe request about any other resource is redirected to an id that cannot exist."""

    def __init__(self, run_id: str, read_only: bool = False) -> None:
        self.absent = f"conf-{run_id}-not-ours"
        self.read_only = read_only
        self._lock = threading.Lock()
        self._created: dict[tuple[str, str], str] = {}  # (collection path, id) -> URL

    def owns(self, collection: str, resource_id: Any) -> bool:
        with self._lock:
            return (collection, str(resource_id)) in self._created

    def record(self, method: str, path: str, status: int, body: Any, url: str) -> None:
        """Note a resource created by a POST to `path` (collection) answered with 201."""
        if method.upper() != "POST" or status != 201 or "{" in path:
            return
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            return
        with self._lock:
            self._created[(path, body["id"])] = f"{url.rstrip('/')}/{body['id']}"

    def guard(self, method: str, path: str, path_parameters: dict[str, Any],
              body: Any) -> None:
        """Redirect an unsafe request that would act on a resource this run did not create."""
        if method.upper() not in UNSAFE:
            return
        if self.read_only:
            raise UnsafeRequest(f"read-only run: {method.upper()} {path} was not sent")
        if "{id}" in path:
            collection = path.split("/{id}")[0]
            if not self.owns(collection, path_parameters.get("id")):
                path_parameters["id"] = self.absent
        target = ACTS_ON.get(path)
        if target and method.upper() == "POST" and isinstance(body, dict):
            key, collection = target
            ref = body.get(key)
            if isinstance(ref, dict) and not self.owns(collection, ref.get("id")):
                ref["id"] = self.absent

    def forget(self, url: str) -> None:
        with self._lock:
            for key in [k for k, v in self._created.items() if v == url]:
                del self._created[key]

    def urls(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._created.values()))

    def cleanup(
        self,
        session: requests.Session,
        progress: Callable[[str], None],
        retire: Retire | None = None,
        patience: float = 20.0,
    ) -> list[str]:
        """DELETE everything this run created. What the server will not delete yet (TMF622
        deletes only final orders) is first `retire`d (e.g. cancelled), then retried for
        `patience` seconds; returns the URLs still there."""
        left = self._delete(session, self.urls())
        if left and retire is not None:
            for url in left:
                with contextlib.suppress(requests.RequestException):
                    retire(session, url)
        deadline = time.monotonic() + patience
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = self._delete(session, left)
        if left:
            progress(f"  cleanup: the server would not delete {len(left)} resource(s) this run "
                     "created: " + ", ".join(left[:5]) + (" ..." if len(left) > 5 else ""))
        return left

    @staticmethod
    def _delete(session: requests.Session, urls: Iterable[str]) -> list[str]:
        left = []
        for url in urls:
            try:
                status = session.delete(url, timeout=TIMEOUT).status_code
            except requests.RequestException:
                status = 0
            if status == 409:
                left.append(url)
            elif status not in (200, 202, 204, 404, 405):
                left.append(url)  # a server error now may pass: try again
        return left
