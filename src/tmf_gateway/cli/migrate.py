"""`tmf-gateway migrate`: bring a SQL store's schema to the newest revision."""

from __future__ import annotations

import argparse
from typing import Any

from .. import plugins
from ..config import load_settings
from ..extras import check_settings


def add_parser(sub: Any) -> None:
    migrate = sub.add_parser(
        "migrate", help="bring the SQL store's schema to the newest revision (idempotent)"
    )
    migrate.add_argument(
        "--database-url", help="SQLAlchemy URL (default: TMF_GATEWAY_DATABASE_URL); the store"
        " plugin follows its scheme (sqlite, postgresql)"
    )
    migrate.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Bring the configured (or given) SQL database to the newest schema revision."""
    from ..storage import migrations

    settings = load_settings()
    if args.database_url:
        scheme = args.database_url.split(":", 1)[0].split("+", 1)[0]
        store = {"postgres": "postgresql", "postgresql": "postgresql"}.get(scheme, scheme)
        settings = settings.with_overrides(database_url=args.database_url, store=store)
    check_settings(settings)
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
