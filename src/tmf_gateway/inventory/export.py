"""Stream every customer (optionally TMF630-filtered) as JSON lines or CSV, in bounded memory.

The CLI (`tmf-gateway export customers`) and the API (`GET /tmf-gateway/v1/customerExport`)
both go through here, so they filter and format alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any
from urllib.parse import parse_qsl

from .. import jsoncodec
from ..errors import InvalidQuery
from ..ports import Store
from ..tmf import evaluate
from ..tmf.fields import IDENTITY, select
from ..tmf.query import Query, parse_query
from ..tmf.schema import ResourceSchema

FORMATS = {"jsonl": "application/x-ndjson", "csv": "text/csv"}
CSV_COLUMNS = (
    "id", "name", "status", "@type", "engagedParty.id", "engagedParty.@referredType",
    "validFor.startDateTime", "validFor.endDateTime", "contactMedium",
)
# an export is every match in insertion order: paging and sorting do not apply; `fields`
# selects attributes as on a list (tmf/fields.py), and names the CSV columns
NOT_FOR_EXPORT = ("offset", "limit", "sort")
CHUNK_BYTES = 64 * 1024


def query_pairs(query_string: str) -> list[tuple[str, str]]:
    """The pairs of a raw TMF630 query string (the CLI's --filter)."""
    try:
        return parse_qsl(query_string, keep_blank_values=True, strict_parsing=bool(query_string))
    except ValueError as exc:
        raise InvalidQuery(f"the filter is not a query string: {exc}") from None


def parse_filter(pairs: Iterable[tuple[str, str]], schema: ResourceSchema) -> Query:
    """The filter of an export; raises InvalidQuery before anything is streamed."""
    pairs = list(pairs)
    refused = sorted({key for key, _ in pairs if key in NOT_FOR_EXPORT})
    if refused:
        raise InvalidQuery(
            "an export streams every matching customer in insertion order: "
            f"{', '.join(refused)} cannot be used"
        )
    return parse_query(pairs, schema)


def customers(
    store: Store,
    schema: ResourceSchema,
    query: Query | str = "",
    batch: int = 500,
    keep_identity: bool = False,
) -> Iterator[dict[str, Any]]:
    """Customers in insertion order, fetched `batch` at a time; never the whole table at once.
    The filter is parsed now, so a bad one fails before the first row is written."""
    if isinstance(query, str):
        query = parse_filter(query_pairs(query), schema)
    return _matching(store, query, batch, keep_identity)


def csv_columns(query: Query, keep_identity: bool = False) -> tuple[str, ...]:
    """The CSV header: the selected attributes (`fields`), else the standard columns."""
    if query.fields is None:
        return CSV_COLUMNS
    identity = tuple(key for key in IDENTITY if keep_identity and key not in query.fields)
    return identity + query.fields


def _matching(
    store: Store, query: Query, batch: int, keep_identity: bool
) -> Iterator[dict[str, Any]]:
    with store.unit_of_work() as uow:
        for doc in uow.iterate("customer", batch):
            if not query.conditions or evaluate.matches(doc, query):
                yield select(doc, query.fields, keep_identity)


def _cell(doc: dict[str, Any], column: str) -> str:
    if column == "contactMedium":
        return jsoncodec.dumps(doc.get("contactMedium") or [])
    value: Any = doc
    for key in column.split("."):
        if isinstance(value, list):
            value = [item.get(key) for item in value if isinstance(item, dict)]
        else:
            value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list | dict):
        return jsoncodec.dumps(value)
    return "" if value is None else str(value)


def media_type(fmt: str) -> str:
    """The Content-Type of a format; InvalidQuery for one we do not write."""
    if fmt not in FORMATS:
        raise InvalidQuery(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    return FORMATS[fmt]


def lines(
    docs: Iterable[dict[str, Any]], fmt: str, columns: tuple[str, ...] = CSV_COLUMNS
) -> Iterator[str]:
    """The export's text, one line (CSV: one record, header first) at a time."""
    media_type(fmt)
    if fmt == "jsonl":
        for doc in docs:
            yield jsoncodec.dumps(doc) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for doc in docs:
        writer.writerow([_cell(doc, column) for column in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone when nothing matched


def chunks(texts: Iterable[str], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """UTF-8 pieces of about `size` bytes: one line per HTTP body message would be slow."""
    pending: list[str] = []
    length = 0
    for text in texts:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode()


def write(
    docs: Iterable[dict[str, Any]],
    out: IO[str],
    fmt: str,
    progress: Callable[[int], None] = lambda _n: None,
    columns: tuple[str, ...] = CSV_COLUMNS,
) -> int:
    """Write each document as it comes; returns how many were written."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for doc in docs:
            yield doc
            count += 1
            if count % 1000 == 0:
                progress(count)

    for text in lines(counted(), fmt, columns):
        out.write(text)
    progress(count)
    return count
