"""`tmf-gateway directory`: the legacy CRM's customer directory."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..config import load_settings


def add_parser(sub: Any) -> None:
    directory = sub.add_parser("directory", help="the legacy CRM's customer directory")
    directory_sub = directory.add_subparsers(dest="directory_command", required=True)
    lookup = directory_sub.add_parser(
        "lookup", help="a customer's record in the legacy CRM, by our id or the CRM's own id"
    )
    lookup.add_argument("id", help="our Customer id or the CRM's id for it")
    lookup.set_defaults(func=lookup_customer)


def lookup_customer(args: argparse.Namespace) -> int:
    """The legacy CRM's record of a customer, through the configured customer directory."""
    from ..southbound import load_adapter

    directory = load_adapter(load_settings()).customer_directory
    if directory is None:
        print("tmf-gateway: no southbound adapter offers a customer directory", file=sys.stderr)
        return 2
    try:
        entry = directory.lookup(args.id)
    finally:
        close = getattr(directory, "close", None)
        if callable(close):
            close()
    if entry is None:
        print(f"tmf-gateway: the customer directory has no customer '{args.id}'", file=sys.stderr)
        return 1
    print(json.dumps({"legacyId": entry.legacy_id, "customer": entry.customer}))
    return 0
