"""Stream every customer (optionally TMF630-filtered) as JSON lines or CSV, in bounded memory."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import IO, Any
from urllib.parse import parse_qsl

from .. import jsoncodec
from ..errors import InvalidQuery
from ..ports import Store
from ..tmf import evaluate
from ..tmf.query import parse_query
from ..tmf.schema import ResourceSchema

CSV_COLUMNS = (
    "id", "name", "status", "@type", "engagedParty.id", "engagedParty.@referredType",
    "validFor.startDateTime", "validFor.endDateTime", "contactMedium",
)


def customers(
    store: Store, schema: ResourceSchema, query_string: str = "", batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Customers in insertion order, fetched `batch` at a time; never the whole table at once."""
    try:
        pairs = parse_qsl(query_string, keep_blank_values=True, strict_parsing=bool(query_string))
    except ValueError as exc:
        raise InvalidQuery(f"the filter is not a query string: {exc}") from None
    query = parse_query(pairs, schema)
    with store.unit_of_work() as uow:
        for doc in uow.iterate("customer", batch):
            if not query.conditions or evaluate.matches(doc, query):
                yield doc


def _cell(doc: dict[str, Any], column: str) -> str:
    if column == "contactMedium":
        return jsoncodec.dumps(doc.get("contactMedium") or [])
    value: Any = doc
    for key in column.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def write(
    docs: Iterator[dict[str, Any]],
    out: IO[str],
    fmt: str,
    progress: Callable[[int], None] = lambda _n: None,
) -> int:
    """Write each document as it comes; returns how many were written."""
    count = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    for doc in docs:
        if writer is not None:
            writer.writerow([_cell(doc, column) for column in CSV_COLUMNS])
        else:
            out.write(jsoncodec.dumps(doc) + "\n")
        count += 1
        if count % 1000 == 0:
            progress(count)
    progress(count)
    return count
