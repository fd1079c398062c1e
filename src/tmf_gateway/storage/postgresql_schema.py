"""What the PostgreSQL store and the migrations share, so they cannot drift: the schema only
PostgreSQL has (binary collation on indexed text, hash and GIN indexes, the date function) and
the driver a `postgresql://` URL means."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import DDL, Index, Text, event
from sqlalchemy.engine import make_url

from ..domain.resources import INDEX_COLUMNS, ResourceType

# Dates are compared as instants; text that is not a date (Python's view, roughly) is NULL,
# never an error. IMMUTABLE holds because the time zone is pinned, so it can be indexed.
TIMESTAMP_FUNCTION = r"""
CREATE OR REPLACE FUNCTION tmf_timestamptz(value text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET timezone = 'UTC' AS $fn$
BEGIN
    IF value IS NULL OR value !~
        '^\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|z|[+-]\d{2}(:?\d{2})?)?)?$'
    THEN
        RETURN NULL;
    END IF;
    RETURN value::timestamptz;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$fn$
"""

# Indexed columns holding client text of any length, filtered by equality: hash indexes.
HASHED_COLUMNS = ("type", "state", "party_id", "label")


def add_postgres_schema(metadata: Any, resources: Sequence[ResourceType]) -> None:
    """What only PostgreSQL has: binary collation on indexed text, GIN on documents, the date
    function; shared by the store and the migrations so they cannot drift."""
    if metadata.info.get("postgres"):
        return
    metadata.info["postgres"] = True
    for rt in resources:
        table = metadata.tables[rt.kind]
        for name in INDEX_COLUMNS:
            # any length a client sends (migration 0004); hash indexes hold any value too
            table.c[name].type = Text(collation="C")
        for index in table.indexes:
            if len(index.columns) == 1 and index.columns[0].name in HASHED_COLUMNS:
                index.dialect_options["postgresql"]["using"] = "hash"
        Index(
            f"ix_{rt.kind}_doc",
            table.c.doc,
            postgresql_using="gin",
            postgresql_ops={"doc": "jsonb_path_ops"},
        )
    event.listen(metadata, "before_create", DDL(TIMESTAMP_FUNCTION))


def engine_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean the psycopg 3 driver."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)
