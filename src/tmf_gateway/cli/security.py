"""`tmf-gateway keys ...`, `audit access` and `report usage`: the security CLI."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from ..errors import NotFound
from ..security.access import LISTS
from ..security.keys import KeyService, parse_scopes
from ..security.storage import SecurityStore, for_store


def _security_store() -> SecurityStore:
    from ..bootstrap import open_store, served_resource_types
    from ..config import load_settings

    return for_store(open_store(load_settings(), served_resource_types()))


def _table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    widths = {c: max([len(c), *(len(str(r[c])) for r in rows)]) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(str(row[c]).ljust(widths[c]) for c in columns))


def _emit(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    else:
        _table(rows, columns)


def _keys_create(args: argparse.Namespace) -> int:
    record, plaintext = KeyService(_security_store()).create(args.client, parse_scopes(args.scopes))
    print(f"key id {record.key_id} for client '{record.client}', scopes {record.scopes}",
          file=sys.stderr)
    print("the key is shown once; send it as the X-API-Key header:", file=sys.stderr)
    print(plaintext)
    return 0


def _keys_list(args: argparse.Namespace) -> int:
    rows = [
        {**asdict(k), "secret_hash": None, "revoked_at": k.revoked_at or ""}
        for k in _security_store().list_keys()
    ]
    _emit(rows, ["key_id", "client", "scopes", "created_at", "revoked_at"], args.format)
    return 0


def _keys_revoke(args: argparse.Namespace) -> int:
    if not KeyService(_security_store()).revoke(args.key_id):
        raise NotFound(f"no active key '{args.key_id}'")
    print(f"key {args.key_id} revoked")
    return 0


ACCESS_COLUMNS = ["at", "client", "operation", "customer_id", "status", "bytes"]
USAGE_COLUMNS = ["client", "operation", "calls", "errors", "bytes"]


def _audit_access(args: argparse.Namespace) -> int:
    rows = [asdict(a) for a in _security_store().accesses(args.since, args.customer)]
    _emit(rows, ACCESS_COLUMNS, args.format)
    return 0


COUNTED = frozenset({*LISTS, "exportCustomers"})


def usage(accesses: Iterable[Any]) -> list[dict[str, Any]]:
    """Calls, errors (status >= 400) and bytes sent per client and operation."""
    calls: Counter[tuple[str, str]] = Counter()
    errors: Counter[tuple[str, str]] = Counter()
    sent: Counter[tuple[str, str]] = Counter()
    for access in accesses:
        if access.operation in COUNTED and access.customer_id:
            continue  # a customer a list or an export returned, not a call of its own
        key = (access.client, access.operation)
        calls[key] += 1
        errors[key] += access.status >= 400
        sent[key] += access.bytes
    return [
        {"client": c, "operation": o, "calls": calls[(c, o)], "errors": errors[(c, o)],
         "bytes": sent[(c, o)]}
        for c, o in sorted(calls)
    ]


def _report_usage(args: argparse.Namespace) -> int:
    _emit(usage(_security_store().accesses(args.since)), USAGE_COLUMNS, args.format)
    return 0


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")


def add_parsers(sub: Any, audit_sub: Any) -> None:
    keys = sub.add_parser("keys", help="API keys: create (shown once), list, revoke")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="a new key for a client, with its scopes")
    create.add_argument("--client", required=True)
    create.add_argument("--scopes", required=True, help="e.g. customer:read,customer:write")
    create.set_defaults(func=_keys_create)
    listing = keys_sub.add_parser("list", help="keys and their scopes (never the secrets)")
    _format(listing)
    listing.set_defaults(func=_keys_list)
    revoke = keys_sub.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=_keys_revoke)

    access = audit_sub.add_parser("access", help="who read, changed or deleted customer data")
    access.add_argument("--customer", help="only calls on this customer id")
    access.add_argument("--since", default="", help="ISO date-time, e.g. 2026-11-01")
    _format(access)
    access.set_defaults(func=_audit_access)

    report = sub.add_parser("report", help="reports")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    use = report_sub.add_parser("usage", help="calls per client and operation, errors, bytes")
    use.add_argument("--since", default="", help="ISO date-time, e.g. 2026-11-01")
    _format(use)
    use.set_defaults(func=_report_usage)
