"""Schema migrations (Alembic) for the SQL stores, SQLite and PostgreSQL alike.

The environment lives in this package and is configured in code, so it works from an installed
wheel with no alembic.ini. The gateway (`tmf-gateway migrate`, and start-up when
`migrate_on_start` is on) calls `upgrade_to_head` with a connection on which the store holds its
schema lock, so processes starting together never migrate twice.

New revision while developing (autogenerate against a database at head, then review and freeze
the file: a revision never imports the gateway's metadata):

    python -c "from tmf_gateway.storage import migrations as m; m.revision('sqlite:///h.db', 'msg')"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, inspect

from ...errors import ConfigurationError

VERSION_TABLE = "alembic_version"
BASELINE = "0001"  # the schema the stores created on start before migrations existed


@dataclass(frozen=True)
class Applied:
    revision: str
    description: str


def builtin_resources() -> list[Any]:
    """Every resource type the gateway itself serves or keeps (what the app opens a store with)."""
    from ...domain.resources import BUILTIN

    return list(BUILTIN)


def target_metadata(dialect: str, resources: Sequence[Any] | None = None) -> MetaData:
    """The tables the code expects on this dialect (side data included): what autogenerate
    and the tests compare to."""
    from ..postgresql_schema import add_postgres_schema
    from ..schema import build_metadata

    resources = builtin_resources() if resources is None else resources
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        metadata = build_metadata(resources, JSONB)
        add_postgres_schema(metadata, resources)
        return metadata
    from sqlalchemy import Text

    return build_metadata(resources, Text)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "tmf_gateway.storage:migrations")
    config.set_main_option("path_separator", "os")
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    return str(script_directory().get_current_head())


def current_revision(conn: Connection) -> str | None:
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def pending(current: str | None) -> list[Applied]:
    """Revisions between `current` and head, oldest first."""
    scripts = script_directory().iterate_revisions("head", current or "base")
    return [Applied(s.revision, s.doc) for s in reversed(list(scripts))]


def upgrade_to_head(conn: Connection, apply: bool = True) -> list[Applied]:
    """Bring the database on `conn` (inside a transaction, under the schema lock) to head.

    Returns what was applied. With `apply` off a database behind head is a ConfigurationError
    telling the operator to run `tmf-gateway migrate`."""
    current = current_revision(conn)
    todo = pending(current)
    if not todo:
        return []
    if not apply:
        raise ConfigurationError(
            f"the database is at schema revision {current or 'none (empty)'}, the gateway needs"
            f" {head()}: run `tmf-gateway migrate` (or set TMF_GATEWAY_MIGRATE_ON_START=true)"
        )
    if current is None and _adopt_legacy(conn):
        todo = pending(BASELINE)
    if todo:
        command.upgrade(alembic_config(conn), "head")
    return todo


def _adopt_legacy(conn: Connection) -> bool:
    """A database the stores created on start before migrations existed holds exactly the
    baseline's tables: record it as at the baseline rather than create them again."""
    existing = set(inspect(conn).get_table_names())
    baseline = script_directory().get_revision(BASELINE).module.TABLES
    if not existing & set(baseline):
        return False
    missing = sorted(set(baseline) - existing)
    if missing:
        raise ConfigurationError(
            "the database has gateway tables but no migration history, and lacks "
            f"{', '.join(missing)}: start the previous release on it once, or use a new database"
        )
    command.stamp(alembic_config(conn), BASELINE)
    return True


def missing_tables(conn: Connection, metadata: MetaData) -> list[str]:
    """Tables the store's code uses that no migration created (a revision is missing)."""
    existing = set(inspect(conn).get_table_names())
    return sorted(set(metadata.tables) - existing)


def revision(url: str, message: str) -> None:
    """Developers: autogenerate a new revision file against the database at `url` (at head)."""
    command.revision(alembic_config(url=url), message=message, autogenerate=True)
