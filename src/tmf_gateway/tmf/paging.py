"""Paging responses: 200 or 206, X-Total-Count, X-Result-Count, X-Result-Limit and an RFC 8288
Link header."""

from __future__ import annotations

from urllib.parse import urlencode


def _link(base: str, params: list[tuple[str, str]], offset: int, limit: int, rel: str) -> str:
    query = [(k, v) for k, v in params if k not in ("offset", "limit")]
    query += [("offset", str(offset)), ("limit", str(limit))]
    return f'<{base}?{urlencode(query)}>; rel="{rel}"'


def page_headers(
    base: str, params: list[tuple[str, str]], offset: int, limit: int, count: int, total: int
) -> tuple[int, dict[str, str]]:
    """Status and headers for a page of `count` items starting at `offset` out of `total`."""
    headers = {"X-Total-Count": str(total), "X-Result-Count": str(count),
               "X-Result-Limit": str(limit)}
    links = [_link(base, params, offset, limit, "self")]
    if limit == 0:  # the count-only idiom: no items, no pages to walk
        headers["Link"] = links[0]
        return 200, headers
    status = 200 if count >= total else 206
    links.append(_link(base, params, 0, limit, "first"))
    if offset + limit < total:
        links.append(_link(base, params, offset + limit, limit, "next"))
    if offset > 0:
        links.append(_link(base, params, max(offset - limit, 0), limit, "prev"))
    last = max(((total - 1) // limit) * limit, 0) if total else 0
    links.append(_link(base, params, last, limit, "last"))
    headers["Link"] = ", ".join(links)
    return status, headers
