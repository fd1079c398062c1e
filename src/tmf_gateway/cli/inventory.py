"""`tmf-gateway export customers`: the customer inventory as JSON lines or CSV, streamed."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from pathlib import Path
from typing import Any

from ..inventory import export
from ..security.access import counted_export
from ..security.keys import now
from ..security.storage import Access, for_store
from ..tmf.schema import ResourceSchema


class _Counting:
    """A text stream that counts the bytes written through it, for the access log."""

    def __init__(self, out: Any) -> None:
        self.out, self.written = out, 0

    def write(self, text: str) -> int:
        self.written += len(text.encode())
        return self.out.write(text)


def _export_customers(args: argparse.Namespace) -> int:
    from ..bootstrap import load_spec, open_store, served_resource_types
    from ..config import load_settings
    from ..specs import SPEC_DIR

    store = open_store(load_settings(), served_resource_types())
    components = load_spec(SPEC_DIR / "tmf629-customer-v4.yaml")["components"]["schemas"]
    schema = ResourceSchema(components, "Customer")

    def progress(count: int) -> None:
        if not args.quiet:
            print(f"\rexported {count} customers", end="", file=sys.stderr, flush=True)

    with contextlib.ExitStack() as stack:
        stack.callback(store.close)
        handle = (
            stack.enter_context(Path(args.output).open("w", newline=""))
            if args.output else sys.stdout
        )
        out = _Counting(handle)
        query = export.parse_filter(export.query_pairs(args.filter or ""), schema)
        log, client = for_store(store), f"cli:{getpass.getuser()}"
        docs = counted_export(export.customers(store, schema, query), log, client)
        export.write(docs, out, args.format, progress, export.csv_columns(query))
        log.append(Access(now(), client, "exportCustomers", None, 200, out.written))
    if not args.quiet:
        print(file=sys.stderr)
    return 0


def _audit_quality(args: argparse.Namespace) -> int:
    from ..bootstrap import bootstrap
    from ..config import load_settings
    from ..inventory import audit

    gateway = bootstrap(load_settings().with_overrides(background=False))
    try:
        fixer = audit.service_fixer(gateway.services.resources.customer) if args.fix else None
        started = now()
        report = audit.run(gateway.store, fixer, (lambda *_: None) if args.quiet else audit.bar)
        gateway.services.quality_audits.record(report, started, "cli")
    finally:
        gateway.services.events.close()
        gateway.store.close()
    if not args.quiet:
        print(file=sys.stderr)
    print(f"{report.customers} customers checked, {len(report.findings)} findings")
    for check, count in sorted(report.summary().items()):
        print(f"  {check:<28} {count}")
    if args.fix:
        print(f"{report.fixed} customers fixed (trimmed names, repeated contact media dropped)")
    if args.csv:
        with Path(args.csv).open("w", newline="") as out:
            audit.write_csv(report.findings, out)
        print(f"findings written to {args.csv}")
    return 1 if report.findings and not args.fix else 0


def add_parsers(sub: Any, audit_sub: Any) -> None:
    check = audit_sub.add_parser("quality", help="check every customer's data; --fix safe fixes")
    check.add_argument("--csv", help="write every finding to this CSV file")
    check.add_argument(
        "--fix", action="store_true",
        help="apply the safe fixes only: trim names, drop repeated contact media",
    )
    check.add_argument("--quiet", action="store_true", help="no progress bar")
    check.set_defaults(func=_audit_quality)

    exporter = sub.add_parser("export", help="export the customer inventory")
    export_sub = exporter.add_subparsers(dest="export_command", required=True)
    cust = export_sub.add_parser("customers", help="every customer, streamed (bounded memory)")
    cust.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    cust.add_argument("--filter", help="TMF630 query, e.g. 'status=Approved&name*=Moon'")
    cust.add_argument("--output", "-o", help="file to write (default: standard output)")
    cust.add_argument("--quiet", action="store_true", help="no progress on standard error")
    cust.set_defaults(func=_export_customers)
