"""A gateway on SQLite and on PostgreSQL for the tests of what official-spec clients send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import apps
from tests.apps import STORES

__all__ = ["STORES", "app_on"]

ORDERS = "/tmf-api/productOrderingManagement/v4"
CUSTOMERS = "/tmf-api/customerManagement/v4"
TICKETS = "/tmf-api/troubleTicket/v4"
MERGE = {"Content-Type": "application/merge-patch+json"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
INSTANT = {"fulfilment": {"delay": 0}}  # the simulator settles orders at once


def app_on(store: str, tmp_path_factory: pytest.TempPathFactory, **extra: Any) -> Iterator[Any]:
    """The app on `store` (tests/apps.py) with an instant simulator."""
    extra.setdefault("southbound_options", INSTANT)
    yield from apps.app_on(store, tmp_path_factory, **extra)


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
