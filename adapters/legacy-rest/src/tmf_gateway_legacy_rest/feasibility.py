"""ports.FeasibilityCheck over a legacy HTTP/JSON system, shaped by the mapping file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from tmf_gateway.errors import SouthboundError

from .client import HttpCapability, LegacyHttp
from .mapping import fill_path, outbound_schema


class _Verdict(Schema):
    """The legacy answer after the mapping's `answer` rules: a boolean and maybe a reason."""

    class Meta:
        unknown = EXCLUDE

    feasible = fields.Boolean(required=True)
    reason = fields.String(load_default="", allow_none=True)


class LegacyRestFeasibility(HttpCapability):
    """Asks the legacy system about one order item: the `feasibility` section's `body` rules
    read `{"order": ..., "item": ...}`; its `answer` rules map the reply to `feasible`/`reason`."""

    def __init__(self, http: LegacyHttp, spec: Mapping[str, Any]) -> None:
        self.http, self.spec = http, spec
        self.body_schema = outbound_schema(spec["body"])
        self.answer_schema = outbound_schema(spec["answer"])

    def assess(self, order: dict[str, Any], item: dict[str, Any]) -> str | None:
        spec = self.spec
        _, body = self.http.request(
            spec.get("method", "POST"), fill_path(spec["path"], item),
            refused=spec.get("refused_status", ()),
            json=self.body_schema.dump({"order": order, "item": item}),
        )
        try:
            verdict = _Verdict().load(self.answer_schema.dump(body if isinstance(body, dict)
                                                              else {}))
        except ValidationError as exc:
            raise SouthboundError(f"legacy feasibility answer is malformed: {exc.messages}: "
                                  f"{str(body)[:200]}") from exc
        if verdict["feasible"]:
            return None
        return verdict["reason"] or "the legacy system cannot deliver this item"
