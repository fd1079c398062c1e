"""Fresh PostgreSQL schemas for store tests (TMF_GATEWAY_TEST_PG, default the server at
127.0.0.1:5432); the tests that need one skip when it is down."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest

ADMIN_URL = os.environ.get("TMF_GATEWAY_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _connect():
    import psycopg

    try:
        return psycopg.connect(
            ADMIN_URL.replace("postgresql+psycopg", "postgresql"),
            autocommit=True,
            connect_timeout=3,
        )
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {str(exc).splitlines()[0]}")


@contextmanager
def fresh_schema() -> Iterator[str]:
    """Yield a database URL whose search_path is a new, empty schema; drop it afterwards."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with _connect() as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    options = quote(f"-csearch_path={name}")
    sep = "&" if "?" in ADMIN_URL else "?"
    try:
        yield f"{ADMIN_URL}{sep}options={options}"
    finally:
        with _connect() as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')
