"""`tmf-gateway plugins`: the installed storage and southbound plugins."""

from __future__ import annotations

import argparse
from typing import Any

from .. import plugins


def add_parser(sub: Any) -> None:
    plugin_cmd = sub.add_parser("plugins", help="list installed storage and southbound plugins")
    plugin_cmd.set_defaults(func=run)


def run(_args: argparse.Namespace) -> int:
    rows = plugins.describe()
    width = max((len(r["name"]) for r in rows), default=4)
    for row in rows:
        print(
            f"{row['group']:<24} {row['name']:<{width}}  {row['distribution']} {row['version']}"
            f"  ({row['target']})"
        )
    return 0
