"""How background work changes stored orders: finds them page by page, and applies each change
in one unit of work, re-read and retried while another writer wins."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from ..domain.resources import PRODUCT_ORDER
from ..errors import NotFound, PreconditionFailed, UpdateDeferred
from ..ports import Stored, UnitOfWork
from ..tmf.query import Query, parse_query
from ..tmf.schema import ResourceSchema
from .resources import ResourceService

RETRIES = 5
FIND_PAGE = 500  # default `job_page_size`: ids read per query by the background jobs

Change = Callable[[UnitOfWork, Stored], None]


class OrderChanges:
    """The order store as the background jobs use it (`options` is read at each call, so a
    changed setting applies to the next run)."""

    def __init__(self, orders: ResourceService, options: Mapping[str, Any]) -> None:
        self.orders = orders
        self.store = orders.store
        self.options = options

    def find(self, service: ResourceService, schema: ResourceSchema, **filters: str) -> list:
        """Ids of every matching resource, page by page (a job must not stop at one page);
        collected first so the changes the job makes cannot shift a later page."""
        size = max(1, int(self.options.get("job_page_size", FIND_PAGE)))
        ids: list[str] = []
        while True:
            params = [*filters.items(), ("sort", "id"), ("fields", "id"),
                      ("offset", str(len(ids))), ("limit", str(size))]
            query: Query = parse_query(params, schema, size, size)
            page = [doc["id"] for doc in service.list(query).items]
            ids.extend(page)
            if len(page) < size:
                return ids

    def change(self, order_id: str, change: Change) -> None:
        """Apply `change` in one unit of work, re-read and retried while another writer wins;
        UpdateDeferred when it lost every time (never a silent no-op)."""
        for attempt in range(RETRIES):
            try:
                with self.store.unit_of_work(write=True) as uow:
                    stored = uow.get(PRODUCT_ORDER.kind, order_id)
                    if stored is None:
                        raise NotFound(f"ProductOrder '{order_id}' does not exist")
                    change(uow, stored)
                return
            except PreconditionFailed:
                time.sleep(0.005 * 2**attempt)  # let the other writer finish
        raise UpdateDeferred(f"ProductOrder '{order_id}' changed under {RETRIES} attempts in a row")
