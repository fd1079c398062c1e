"""The `tmf-gateway` command line: serve, worker tasks, plugins, directory, audit, conformance."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import plugins
from .config import load_settings
from .errors import GatewayError
from .events import commands as events_commands
from .inventory import commands as inventory_commands
from .security import commands as security_commands


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api.httpserver import protocol

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
        http=protocol(),  # the server's own refusals as TMF errors too
    )
    return 0


def _migrate(args: argparse.Namespace) -> int:
    """Bring the configured (or given) SQL database to the newest schema revision."""
    from .storage import migrations

    settings = load_settings()
    if args.database_url:
        scheme = args.database_url.split(":", 1)[0].split("+", 1)[0]
        store = {"postgres": "postgresql", "postgresql": "postgresql"}.get(scheme, scheme)
        settings = settings.with_overrides(database_url=args.database_url, store=store)
    if settings.store == "memory":
        print("tmf-gateway migrate: the memory store has no schema to migrate")
        return 0
    store_class = plugins.load(plugins.STORAGE_GROUP, settings.store)
    if not hasattr(store_class, "migrate"):
        print(f"tmf-gateway migrate: the {settings.store} store has no schema migrations")
        return 0
    store = store_class.from_url(settings.database_url, migrations.builtin_resources())
    try:
        applied = store.migrate(apply=True)
    finally:
        store.close()
    for step in applied:
        print(f"applied {step.revision}: {step.description}")
    print(f"database at schema revision {migrations.head()} (head)"
          + ("" if applied else ", nothing to apply"))
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


def _directory_lookup(args: argparse.Namespace) -> int:
    """The legacy CRM's record of a customer, through the configured customer directory."""
    from .southbound import load_adapter

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
    migrate = sub.add_parser(
        "migrate", help="bring the SQL store's schema to the newest revision (idempotent)"
    )
    migrate.add_argument(
        "--database-url", help="SQLAlchemy URL (default: TMF_GATEWAY_DATABASE_URL); the store"
        " plugin follows its scheme (sqlite, postgresql)"
    )
    migrate.set_defaults(func=_migrate)
    plugin_cmd = sub.add_parser("plugins", help="list installed storage and southbound plugins")
    plugin_cmd.set_defaults(func=_plugins)
    directory = sub.add_parser("directory", help="the legacy CRM's customer directory")
    directory_sub = directory.add_subparsers(dest="directory_command", required=True)
    lookup = directory_sub.add_parser(
        "lookup", help="a customer's record in the legacy CRM, by our id or the CRM's own id"
    )
    lookup.add_argument("id", help="our Customer id or the CRM's id for it")
    lookup.set_defaults(func=_directory_lookup)
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
    security_commands.add_parsers(sub, audit_sub)
    inventory_commands.add_parsers(sub, audit_sub)
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
