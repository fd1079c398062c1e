"""The `tmf-gateway` command line: serve, worker tasks, plugins, audit, conformance."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import plugins
from .config import load_settings
from .errors import GatewayError
from .events import commands as events_commands


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = load_settings()
    workers = args.workers or settings.workers
    uvicorn.run(
        "tmf_gateway.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=workers,
        log_level="info",
        access_log=False,
    )
    return 0


def _plugins(_args: argparse.Namespace) -> int:
    rows = plugins.describe()
    width = max((len(r["name"]) for r in rows), default=4)
    for row in rows:
        print(
            f"{row['group']:<24} {row['name']:<{width}}  {row['distribution']} {row['version']}"
            f"  ({row['target']})"
        )
    return 0


def _audit_changes(args: argparse.Namespace) -> int:
    from .app import create_app

    app = create_app()
    service = app.gateway.services[args.kind]
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


def _conformance_arguments(parser: argparse.ArgumentParser) -> None:
    from .conformance.command import add_arguments

    add_arguments(parser)


def _conformance(args: argparse.Namespace) -> int:
    from .conformance.command import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tmf-gateway", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the TMF APIs over HTTP")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, help="server processes (default: setting)")
    serve.set_defaults(func=_serve)
    plugin_cmd = sub.add_parser("plugins", help="list installed storage and southbound plugins")
    plugin_cmd.set_defaults(func=_plugins)
    audit = sub.add_parser("audit", help="audit trails")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    changes = audit_sub.add_parser("changes", help="who changed a resource, when, and what")
    changes.add_argument("--kind", default="customer", help="resource kind (default: customer)")
    changes.add_argument("id", help="the resource id")
    changes.set_defaults(func=_audit_changes)
    conformance = sub.add_parser(
        "conformance", help="test a TMF server's conformance (Schemathesis + TMF630 checks)"
    )
    _conformance_arguments(conformance)
    conformance.set_defaults(func=_conformance)
    events_commands.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except GatewayError as exc:
        print(f"tmf-gateway: {exc.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
