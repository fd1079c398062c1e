"""Per-API conformance profiles: default spec, sample bodies and which operations are mandatory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

# Operation keys used by every check and in every report.
LIST, RETRIEVE, CREATE, PATCH_MERGE, PATCH_JSON, DELETE, HUB = (
    "GET list",
    "GET by id",
    "POST",
    "PATCH merge",
    "PATCH json",
    "DELETE",
    "hub",
)


@dataclass(frozen=True)
class Profile:
    """What a conformant server of one TMF API must (and may) do, for the checks to drive it."""

    api: str
    spec_file: str
    resource: str  # collection path segment, e.g. "customer"
    type_name: str  # the @type a server should return by default
    sample: dict[str, Any]  # a valid create body
    text_attribute: str  # a first-level string attribute of the create body, used to filter
    patch_attribute: tuple[str, Any]  # a merge-patch change every conformant server accepts
    mandatory: frozenset[str]
    illegal_transition: dict[str, Any] | None = None  # a PATCH a new resource must refuse (409)
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # makes a resource the run created deletable, for the cleanup (None: DELETE is enough)
    retire: Callable[[requests.Session, str], None] | None = None

    @property
    def default_spec(self) -> Path:
        from ..specs import spec_path

        return spec_path(self.spec_file)

    def requirement(self, operation: str) -> str:
        return "mandatory" if operation in self.mandatory else "optional"


def cancel_order(session: requests.Session, url: str) -> None:
    """An order the run created, made final so it can be deleted: pending ones are cancelled by
    PATCH, open ones by a cancellation request (TMF622)."""
    merge = {"Content-Type": "application/merge-patch+json"}
    answer = session.patch(url, json={"state": "cancelled"}, headers=merge, timeout=15)
    if answer.status_code != 200:
        root, _, order_id = url.rpartition("/productOrder/")
        session.post(f"{root}/cancelProductOrder", json={"productOrder": {"id": order_id}},
                     timeout=15)


PROFILES: dict[str, Profile] = {
    "TMF629": Profile(
        api="TMF629",
        spec_file="tmf629-customer-v4.yaml",
        resource="customer",
        type_name="Customer",
        sample={
            "name": "Conformance Customer",
            "engagedParty": {"id": "500", "@referredType": "Organization"},
        },
        text_attribute="name",
        patch_attribute=("status", "Approved"),
        mandatory=frozenset({LIST, RETRIEVE, CREATE, PATCH_MERGE, DELETE}),
        source="TMF629B v4.0.0 conformance profile",
    ),
    "TMF622": Profile(
        api="TMF622",
        spec_file="tmf622-product-ordering-v4.yaml",
        resource="productOrder",
        type_name="ProductOrder",
        sample={
            "description": "Conformance order",
            "productOrderItem": [
                {"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"}}
            ],
        },
        text_attribute="description",
        patch_attribute=("description", "changed by the conformance run"),
        mandatory=frozenset({LIST, RETRIEVE, CREATE}),
        illegal_transition={"state": "completed"},
        source="TMF622B v4.0.0 conformance profile",
        retire=cancel_order,
    ),
    "TMF621": Profile(
        api="TMF621",
        spec_file="tmf621-trouble-ticket-v4.yaml",
        resource="troubleTicket",
        type_name="TroubleTicket",
        sample={
            "description": "Conformance ticket",
            "severity": "Major",
            "ticketType": "incident",
        },
        text_attribute="description",
        patch_attribute=("description", "changed by the conformance run"),
        mandatory=frozenset({LIST, RETRIEVE, CREATE, PATCH_MERGE}),
        illegal_transition={"status": "closed"},
        source="TMF621B R18 conformance profile",
    ),
}


def operation_key(method: str, path: str, content_type: str | None = None) -> str:
    """Map an HTTP method and a spec path (`/customer/{id}`) to an operation key of the profiles."""
    method = method.upper()
    parts = [p for p in path.split("?")[0].split("/") if p]
    if parts and parts[0] == "hub":
        return HUB
    by_id = len(parts) > 1
    if method == "GET":
        return RETRIEVE if by_id else LIST
    if method == "POST":
        return CREATE
    if method == "PATCH":
        return PATCH_JSON if content_type and "json-patch" in content_type else PATCH_MERGE
    if method == "DELETE":
        return DELETE
    return f"{method} {path}"
