"""The gateway on each store the suites run against (SQLite, PostgreSQL) and each app class,
built by the one test factory (tmf_gateway.testing.gateway.gateway_app)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from tests.pg import fresh_schema
from tmf_gateway.testing.gateway import gateway_app, settings_for_tests, sqlite_in

# store:app class; both app classes on SQLite, AsyncApp (the default) on PostgreSQL too
STORES = ["sqlite:async", "sqlite:flask",
          pytest.param("postgresql:async", marks=pytest.mark.postgres)]


def app_on(store: str, tmp_path_factory: pytest.TempPathFactory, **overrides: Any) -> Iterator[Any]:
    """The app on `store` ("sqlite:flask": a store and an app class; `overrides` are Settings
    fields), closed afterwards (a fresh PostgreSQL schema is dropped)."""
    store, _, app_class = store.partition(":")
    overrides.setdefault("app", app_class or "async")
    with ExitStack() as stack:
        if store == "sqlite":
            url = sqlite_in(tmp_path_factory.mktemp(store))
        else:
            url = stack.enter_context(fresh_schema())
        settings = settings_for_tests(store=store, database_url=url, **overrides)
        yield stack.enter_context(gateway_app(settings))
