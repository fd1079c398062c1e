"""`tmf-gateway audit`: audit trails (the security and inventory groups add theirs)."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(sub: Any) -> Any:
    """The `audit` group; returns its subparsers for the other groups' audit commands."""
    audit = sub.add_parser("audit", help="audit trails")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    changes = audit_sub.add_parser("changes", help="who changed a resource, when, and what")
    changes.add_argument("--kind", default="customer", help="resource kind (default: customer)")
    changes.add_argument("id", help="the resource id")
    changes.set_defaults(func=changes_of)
    return audit_sub


def changes_of(args: argparse.Namespace) -> int:
    from ..bootstrap import bootstrap

    gateway = bootstrap()
    services = gateway.services.resources.by_kind()
    if args.kind not in services:
        print(f"unknown resource kind {args.kind!r}; one of: {', '.join(sorted(services))}")
        return 2
    service = services[args.kind]
    for entry in service.audit_trail(args.id):
        print(
            json.dumps(
                {
                    "at": entry.at,
                    "actor": entry.actor,
                    "action": entry.action,
                    "version": entry.version,
                    "changes": entry.changes,
                }
            )
        )
    return 0
