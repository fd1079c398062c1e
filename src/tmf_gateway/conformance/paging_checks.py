"""The TMF630 paging checks: counts in X-Total-Count and X-Result-Count, 206 on a partial page."""

from __future__ import annotations

from typing import Any

import requests

from .probe import Created, Probe, json_of
from .profiles import LIST
from .results import CheckResult


def _page(probe: Probe, value: str, limit: int | None) -> requests.Response:
    params: dict[str, Any] = {probe.profile.text_attribute: value}
    if limit is not None:
        params.update(offset=0, limit=limit)
    return probe.request("GET", probe.collection, params=params)


def _paged_value(probe: Probe) -> str | None:
    value = f"conf-{probe.run_id}-page"
    made = [probe.create(value).status_code for _ in range(3)]
    return value if made.count(201) == 3 else None


def paging_counts(probe: Probe, _new: Created) -> CheckResult:
    name = "list: X-Total-Count and X-Result-Count are correct"
    value = _paged_value(probe)
    if value is None:
        return probe.skipped(name, LIST, "could not create the resources to page")
    for limit, total, result in ((2, 3, 2), (None, 3, 3)):
        response = _page(probe, value, limit)
        items = json_of(response)
        headers = response.headers
        seen = (headers.get("X-Total-Count"), headers.get("X-Result-Count"))
        if seen != (str(total), str(result)) or not isinstance(items, list):
            return probe.failed(
                name, LIST,
                f"3 resources match, limit={limit}: expected X-Total-Count={total}, "
                f"X-Result-Count={result}, got {seen[0]}, {seen[1]}",
                response,
            )
        if len(items) != result:
            return probe.failed(name, LIST, f"body holds {len(items)} items", response)
    return probe.passed(name, LIST)


def partial_content_206(probe: Probe, _new: Created) -> CheckResult:
    name = "list: 206 on a partial page, 200 on a complete one"
    value = _paged_value(probe)
    if value is None:
        return probe.skipped(name, LIST, "could not create the resources to page")
    for limit, status in ((2, 206), (None, 200)):
        response = _page(probe, value, limit)
        if response.status_code != status:
            return probe.failed(name, LIST, f"limit={limit}: expected {status}", response)
    return probe.passed(name, LIST)
