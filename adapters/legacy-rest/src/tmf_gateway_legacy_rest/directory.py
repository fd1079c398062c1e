"""ports.CustomerDirectory over a legacy HTTP/JSON CRM, shaped by the mapping file's
`customers` section (the CRM's own names for customers, e.g. "accounts", and their fields)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmf_gateway.errors import SouthboundError, SouthboundRejected
from tmf_gateway.ports import DirectoryEntry

from .client import HttpCapability, LegacyHttp
from .mapping import MISSING, fill_path, lookup, outbound_schema


class LegacyRestDirectory(HttpCapability):
    """`push` sends the `push.body` rules' payload (keyed by our id, so it is idempotent);
    `lookup` reads one record, `record` rules turn it into a TMF629 Customer fragment, and
    `reference` is the path of the CRM's own id in its answers; `remove` (optional in the
    mapping) deletes a record, an absent one being fine."""

    def __init__(self, http: LegacyHttp, spec: Mapping[str, Any]) -> None:
        self.http, self.spec = http, spec
        self.push_schema = outbound_schema(spec["push"]["body"])
        self.record_schema = outbound_schema(spec["record"])
        self.reference = str(spec["reference"])

    def _legacy_id(self, body: Any, what: str) -> str:
        legacy_id = lookup(body, self.reference) if isinstance(body, dict) else MISSING
        if legacy_id is MISSING or legacy_id in (None, ""):
            raise SouthboundError(f"legacy CRM {what} lacks '{self.reference}': {str(body)[:200]}")
        return str(legacy_id)

    def push(self, customer: dict[str, Any]) -> str:
        spec = self.spec["push"]
        _, body = self.http.request(
            spec.get("method", "PUT"), fill_path(spec["path"], customer),
            refused=spec.get("refused_status", ()), json=self.push_schema.dump(customer),
        )
        return self._legacy_id(body, f"answer to the push of customer {customer.get('id')}")

    def remove(self, customer_id: str) -> None:
        spec = self.spec.get("remove")
        if spec is None:
            raise SouthboundRejected(
                f"the mapping has no customers.remove: customer {customer_id} stays in the CRM")
        self.http.request(
            spec.get("method", "DELETE"), fill_path(spec["path"], {"id": customer_id}),
            refused=spec.get("refused_status", ()), answers=spec.get("absent_status", (404,)),
        )

    def lookup(self, customer_id: str) -> DirectoryEntry | None:
        spec = self.spec["lookup"]
        status, body = self.http.request(
            spec.get("method", "GET"), fill_path(spec["path"], {"id": customer_id}),
            answers=spec.get("absent_status", (404,)),
        )
        if status in spec.get("absent_status", (404,)):
            return None
        legacy_id = self._legacy_id(body, f"record of customer {customer_id}")
        return DirectoryEntry(legacy_id, self.record_schema.dump(body))
