"""A gateway on SQLite and on PostgreSQL for the tests of what official-spec clients send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.pg import fresh_schema
from tmf_gateway.app import create_app
from tmf_gateway.config import Settings

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4"
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
# store:app class; both app classes on SQLite, AsyncApp (the default) on PostgreSQL too
STORES = ["sqlite:async", "sqlite:flask",
          pytest.param("postgresql:async", marks=pytest.mark.postgres)]


def build(database_url: str, **extra: Any):
    settings = Settings(
        database_url=database_url,
        validate_responses=True,
        background=False,
        southbound_options={"fulfilment": {"delay": 0}},
        **extra,
    )
    return create_app(settings)


def app_on(store: str, tmp_path_factory: pytest.TempPathFactory, **extra: Any) -> Iterator[Any]:
    """The app on `store` ("sqlite:flask": a store and an app class), closed afterwards (a
    fresh PostgreSQL schema is dropped)."""
    store, _, app_class = store.partition(":")
    extra.setdefault("app", app_class or "async")
    if store == "sqlite":
        application = build(f"sqlite:///{tmp_path_factory.mktemp('v4')}/gw.db", **extra)
        yield application
        application.gateway.store.close()
        return
    with fresh_schema() as url:
        application = build(url, store="postgresql", **extra)
        yield application
        application.gateway.store.close()


def run_jobs(app, rounds: int = 3) -> None:
    """Drive the background jobs (submission, status feed, cancellation) deterministically."""
    for _ in range(rounds):
        app.gateway.runner.run_pending(force=True)


def events(app, resource_id: str, event_type: str) -> list[dict[str, Any]]:
    """The outbox events of one type about one resource, oldest first."""
    with app.gateway.store.unit_of_work() as uow:
        found = uow.outbox_after(0, 1_000_000)
    return [e.payload for e in found if e.event_type == event_type
            and e.resource_id == resource_id]
