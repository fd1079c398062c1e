"""The `tmf-gateway` command line: one module per command group, optional parts imported lazily."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from ..errors import GatewayError
from ..extras import missing_extra
from . import audit, conformance, directory, events, inventory, migrate, plugins, security, serve


def _version() -> str:
    try:
        return version("tmf-gateway")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tmf-gateway",
        description="TM Forum Open API gateway: serve, migrate, plugins, events, keys, "
        "directory, audit, conformance.",
    )
    parser.add_argument("--version", action="version", version=f"tmf-gateway {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve.add_parser(sub)
    migrate.add_parser(sub)
    plugins.add_parser(sub)
    directory.add_parser(sub)
    audit_sub = audit.add_parser(sub)
    conformance.add_parser(sub)
    events.add_parsers(sub)
    security.add_parsers(sub, audit_sub)
    inventory.add_parsers(sub, audit_sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Connexion imports Starlette's test client, which warns about httpx on every start: a
    # line an operator can do nothing about
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except GatewayError as exc:
        print(f"tmf-gateway: {exc.message}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        hint = missing_extra(exc)
        if hint is None:
            raise
        print(f"tmf-gateway: {hint}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
