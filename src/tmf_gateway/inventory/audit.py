"""`tmf-gateway audit quality`: run every check over the inventory, with progress; --fix."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from ..domain.resources import CUSTOMER, PRODUCT_ORDER, TROUBLE_TICKET
from ..ports import Store
from ..services.context import Caller
from ..tmf.query import Query
from . import quality

FIX_ACTOR = "tmf-gateway audit quality --fix"


@dataclass
class Report:
    findings: list[quality.Finding] = field(default_factory=list)
    customers: int = 0
    fixed: int = 0

    def summary(self) -> Counter[str]:
        return Counter(f.check for f in self.findings)


def _count(store: Store, kind: str) -> int:
    with store.unit_of_work() as uow:
        return uow.query(kind, Query(limit=1)).total


def run(
    store: Store,
    fixer: Callable[[str, dict[str, Any]], None] | None = None,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
    kinds: dict[str, str] | None = None,
) -> Report:
    """Check every customer, then every order and ticket against the customers' ids.
    Memory grows with the number of customer ids and contact addresses, not documents."""
    kinds = kinds if kinds is not None else {
        PRODUCT_ORDER.kind: "order-missing-customer",
        TROUBLE_TICKET.kind: "ticket-missing-customer",
    }
    report = Report()
    total = _count(store, CUSTOMER.kind)
    ids: set[str] = set()
    owners: dict[tuple[str, str], str] = {}
    with store.unit_of_work() as uow:
        for doc in uow.iterate(CUSTOMER.kind):
            cid = str(doc.get("id"))
            ids.add(cid)
            report.findings.extend(quality.check_customer(doc))
            for key in quality.contact_keys(doc):
                other = owners.setdefault(key, cid)
                if other != cid:
                    report.findings.append(quality.Finding(
                        "customer", cid, "shared-contact-medium",
                        f"{key[0]} {key[1]!r} is also customer {other}'s",
                    ))
            report.customers += 1
            if report.customers % 500 == 0:
                progress(report.customers, total)
    progress(report.customers, total)
    for kind, check in kinds.items():
        with store.unit_of_work() as uow:
            for doc in uow.iterate(kind):
                for missing in sorted(quality.customer_refs(doc) - ids):
                    report.findings.append(quality.Finding(
                        kind, str(doc.get("id")), check, f"customer {missing} does not exist"
                    ))
    if fixer is not None:
        for cid in sorted({f.resource_id for f in report.findings if f.fixable}):
            with store.unit_of_work() as uow:
                stored = uow.get(CUSTOMER.kind, cid)
            new = quality.fixed(stored.doc) if stored else None
            if new is not None:
                fixer(cid, new)
                report.fixed += 1
    return report


def write_csv(findings: list[quality.Finding], out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow(["resource", "id", "check", "detail", "fixable"])
    for f in findings:
        writer.writerow([f.resource, f.resource_id, f.check, f.detail, "yes" if f.fixable else ""])


def bar(done: int, total: int, out: IO[str] | None = None) -> None:
    out = out or sys.stderr  # looked up per call: a default bound at import misses redirection
    share = done / total if total else 1.0
    filled = int(share * 30)
    print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} customers", end="",
          file=out, flush=True)


def service_fixer(service: Any) -> Callable[[str, dict[str, Any]], None]:
    """Apply a fix through the customer service: versioned, audited, with its events."""
    caller = Caller(actor=FIX_ACTOR)

    def fix(cid: str, new: dict[str, Any]) -> None:
        with service.store.unit_of_work(write=True) as uow:
            stored = uow.get(CUSTOMER.kind, cid)
            if stored is not None:
                service.update(uow, stored, new, caller)

    return fix
