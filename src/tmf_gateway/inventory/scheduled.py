"""The data-quality audit as a background job (`audit_interval_seconds`), and its last result
kept in the store for the admin API (`GET /tmf-gateway/admin/v1/qualityAudit`)."""

from __future__ import annotations

from typing import Any

from ..security.keys import now
from ..storage import southbound_state
from . import audit

SCOPE, KEY = "inventory.audit", "last"  # where the last result is kept (southbound_state)
SAMPLE = 100  # findings kept with the result


class QualityAudits:
    """Runs the audit (read only: fixes stay a deliberate `--fix`) and keeps its last result."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.state = southbound_state.for_store(store)

    def run(self) -> dict[str, Any]:
        started = now()
        return self.record(audit.run(self.store), started, "scheduled")

    def record(self, report: audit.Report, started: str, trigger: str) -> dict[str, Any]:
        """Keep `report` as the last result (the command's runs are recorded too)."""
        result = {
            "startedAt": started, "finishedAt": now(), "trigger": trigger,
            "customers": report.customers, "findings": len(report.findings),
            "byCheck": dict(sorted(report.summary().items())),
            "sample": [{"resource": f.resource, "id": f.resource_id, "check": f.check,
                        "detail": f.detail, "fixable": f.fixable}
                       for f in report.findings[:SAMPLE]],
        }
        self.state.save(SCOPE, {KEY: result})
        return result

    def last(self) -> dict[str, Any] | None:
        return self.state.load(SCOPE).get(KEY)
