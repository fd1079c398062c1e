"""TMF630 and conformance-profile rules Schemathesis cannot know, as small checks over HTTP."""

from __future__ import annotations

from collections.abc import Callable

import requests

from .paging_checks import paging_counts, partial_content_206
from .probe import Created, Probe, is_error_body, json_of
from .profiles import CREATE, DELETE, LIST, PATCH_JSON, PATCH_MERGE, RETRIEVE
from .results import CheckResult, Outcome

Check = Callable[[Probe, Created], CheckResult]
IDENTITY = ("id", "href", "@type")


def create_location_equals_href(probe: Probe, new: Created) -> CheckResult:
    name = "create: 201 with Location equal to href"
    if not new.ok:
        return probe.failed(name, CREATE, new.why, new.response)
    location = new.response.headers.get("Location")
    if not location:
        return probe.failed(name, CREATE, "the 201 response has no Location header", new.response)
    if location != new.doc.get("href"):
        return probe.failed(
            name, CREATE, f"Location {location!r} != href {new.doc.get('href')!r}", new.response
        )
    return probe.passed(name, CREATE)


def identity_present(probe: Probe, new: Created) -> CheckResult:
    name = "create: id, href and @type present"
    if not new.ok:
        return probe.skipped(name, CREATE, new.why)
    missing = [key for key in IDENTITY if not new.doc.get(key)]
    if missing:
        return probe.failed(name, CREATE, f"missing in the response: {missing}", new.response)
    return probe.passed(name, CREATE)


def href_resolves(probe: Probe, new: Created) -> CheckResult:
    name = "retrieve: href resolves to the same resource"
    href = new.doc.get("href")
    if not new.ok or not href:
        return probe.skipped(name, RETRIEVE, new.why or "no href to follow")
    response = probe.request("GET", href)
    doc = json_of(response)
    if response.status_code != 200 or not isinstance(doc, dict):
        return probe.failed(name, RETRIEVE, "GET href did not return 200 with a resource", response)
    if doc.get("id") != new.doc["id"]:
        return probe.failed(name, RETRIEVE, f"href returned id {doc.get('id')!r}", response)
    return probe.passed(name, RETRIEVE)


def unknown_id_404(probe: Probe, _new: Created) -> CheckResult:
    name = "retrieve: unknown id gives 404 with the TMF Error body"
    response = probe.request("GET", f"{probe.collection}/no-such-{probe.run_id}")
    if response.status_code != 404:
        return probe.failed(name, RETRIEVE, "expected 404", response)
    if not is_error_body(json_of(response)):
        return probe.failed(name, RETRIEVE, "404 body is not a TMF Error (code, reason)", response)
    return probe.passed(name, RETRIEVE)


def fields_selection(probe: Probe, new: Created) -> CheckResult:
    name = "list: fields returns exactly what was asked"
    if not new.ok:
        return probe.skipped(name, LIST, new.why)
    attr = probe.profile.text_attribute
    response = probe.request(
        "GET", probe.collection, params={"fields": attr, attr: new.doc.get(attr)}
    )
    items = json_of(response)
    if response.status_code not in (200, 206) or not isinstance(items, list) or not items:
        return probe.failed(name, LIST, "expected a non-empty list", response)
    extra = sorted({key for item in items for key in item if key != attr})
    if extra:
        return probe.failed(name, LIST, f"unrequested attributes returned: {extra} (the v4 "
                            "conformance profiles expect exactly the named ones)", response)
    if any(attr not in item for item in items):
        return probe.failed(name, LIST, f"the selected attribute {attr!r} is missing", response)
    return probe.passed(name, LIST)


def filter_exact(probe: Probe, _new: Created) -> CheckResult:
    name = "list: attribute filter returns exactly the matching resources"
    attr = probe.profile.text_attribute
    wanted: list[str] = []
    value = f"conf-{probe.run_id}-twin"
    for _ in range(2):
        doc = json_of(probe.create(value))
        if isinstance(doc, dict) and doc.get("id"):
            wanted.append(doc["id"])
    if len(wanted) < 2:
        return probe.skipped(name, LIST, "could not create the resources to filter")
    response = probe.request("GET", probe.collection, params={attr: value})
    items = json_of(response)
    if response.status_code not in (200, 206) or not isinstance(items, list):
        return probe.failed(name, LIST, "expected a list", response)
    got = sorted(str(item.get("id")) for item in items if isinstance(item, dict))
    if got != sorted(wanted):
        return probe.failed(
            name, LIST, f"filter {attr}={value} returned ids {got}, expected {sorted(wanted)}",
            response,
        )
    return probe.passed(name, LIST)


def filter_operators(probe: Probe, _new: Created) -> CheckResult:
    name = "list: operators .gt .gte .lt .lte"
    attr = probe.profile.text_attribute
    prefix = f"conf-{probe.run_id}-op-"
    ids = {}
    for letter in "abcd":
        doc = json_of(probe.create(prefix + letter))
        if isinstance(doc, dict) and doc.get("id"):
            ids[letter] = doc["id"]
    if len(ids) < 4:
        return probe.skipped(name, LIST, "could not create the resources to compare")
    cases = [
        ({f"{attr}.gt": prefix + "a", f"{attr}.lt": prefix + "d"}, "bc"),
        ({f"{attr}.gte": prefix + "b", f"{attr}.lte": prefix + "c"}, "bc"),
        ({f"{attr}.gte": prefix + "c", f"{attr}.lt": prefix + "e"}, "cd"),
        ({f"{attr}.gt": prefix + "0", f"{attr}.lte": prefix + "a"}, "a"),
    ]
    for params, letters in cases:
        response = probe.request("GET", probe.collection, params=params)
        items = json_of(response)
        if response.status_code not in (200, 206) or not isinstance(items, list):
            return probe.failed(name, LIST, f"{params} did not return a list", response)
        got = sorted(str(item.get("id")) for item in items if isinstance(item, dict))
        expected = sorted(ids[letter] for letter in letters)
        if got != expected:
            return probe.failed(name, LIST, f"{params}: got {got}, expected {expected}", response)
    return probe.passed(name, LIST)


def patch_merge(probe: Probe, new: Created) -> CheckResult:
    name = "patch: application/merge-patch+json"
    if not new.ok:
        return probe.skipped(name, PATCH_MERGE, new.why)
    key, value = probe.profile.patch_attribute
    response = probe.request(
        "PATCH", new.url, json={key: value},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    doc = json_of(response)
    if response.status_code != 200 or not isinstance(doc, dict) or doc.get(key) != value:
        return probe.failed(name, PATCH_MERGE, f"expected 200 with {key}={value!r}", response)
    return probe.passed(name, PATCH_MERGE)


def patch_json(probe: Probe, new: Created) -> CheckResult:
    name = "patch: application/json-patch+json"
    if not new.ok:
        return probe.skipped(name, PATCH_JSON, new.why)
    key, value = probe.profile.patch_attribute
    value = f"{value} (json patch)" if isinstance(value, str) and key != "status" else value
    response = probe.request(
        "PATCH", new.url, json=[{"op": "replace" if key in new.doc else "add",
                                 "path": f"/{key}", "value": value}],
        headers={"Content-Type": "application/json-patch+json"},
    )
    doc = json_of(response)
    if response.status_code == 415:
        return probe.result(name, PATCH_JSON, Outcome.MISSING, "415: not supported", response)
    if response.status_code != 200 or not isinstance(doc, dict) or doc.get(key) != value:
        return probe.failed(name, PATCH_JSON, f"expected 200 with {key}={value!r}", response)
    return probe.passed(name, PATCH_JSON)


def patch_unsupported_media_415(probe: Probe, new: Created) -> CheckResult:
    name = "patch: unsupported media type gives 415"
    if not new.ok:
        return probe.skipped(name, PATCH_MERGE, new.why)
    response = probe.request(
        "PATCH", new.url, data="<customer/>", headers={"Content-Type": "application/xml"}
    )
    if response.status_code != 415:
        return probe.failed(name, PATCH_MERGE, "expected 415", response)
    return probe.passed(name, PATCH_MERGE)


def illegal_transition_409(probe: Probe, _new: Created) -> CheckResult:
    name = "patch: the lifecycle refuses an illegal transition with 409"
    change = probe.profile.illegal_transition
    if change is None:
        return probe.skipped(name, PATCH_MERGE, f"{probe.profile.api} has no lifecycle")
    fresh = Created(probe)
    if not fresh.ok:
        return probe.skipped(name, PATCH_MERGE, fresh.why)
    response = probe.request(
        "PATCH", fresh.url, json=change, headers={"Content-Type": "application/merge-patch+json"}
    )
    if response.status_code != 409:
        return probe.failed(name, PATCH_MERGE, f"PATCH {change} on a new resource", response)
    if not is_error_body(json_of(response)):
        return probe.failed(name, PATCH_MERGE, "409 body is not a TMF Error", response)
    return probe.passed(name, PATCH_MERGE)


def delete_then_404(probe: Probe, _new: Created) -> CheckResult:
    name = "delete: 204, then retrieve gives 404"
    doomed = Created(probe)
    if not doomed.ok:
        return probe.skipped(name, DELETE, doomed.why)
    response = probe.request("DELETE", doomed.url)
    if response.status_code == 409 and is_error_body(json_of(response)):
        return probe.skipped(name, DELETE, "the server refuses to delete a new resource (409)")
    if response.status_code != 204:
        return probe.failed(name, DELETE, "expected 204", response)
    probe.forget(doomed.url)
    after = probe.request("GET", doomed.url)
    if after.status_code != 404:
        return probe.failed(name, DELETE, "the deleted resource is still there", after)
    return probe.passed(name, DELETE)


CHECKS: tuple[Check, ...] = (
    create_location_equals_href,
    identity_present,
    href_resolves,
    unknown_id_404,
    fields_selection,
    filter_exact,
    filter_operators,
    paging_counts,
    partial_content_206,
    patch_merge,
    patch_json,
    patch_unsupported_media_415,
    illegal_transition_409,
    delete_then_404,
)


# safe checks, run against a resource the server already has (`--read-only`)
READ_ONLY = (href_resolves, unknown_id_404, fields_selection)


def run_tmf_checks(
    probe: Probe, progress: Callable[[str], None] = print, read_only: bool = False
) -> list[CheckResult]:
    """The checks; what they create is left in `probe.ownership` for the caller's cleanup."""
    results = []
    new = Created(probe, existing=read_only)
    for check in CHECKS:
        if read_only and check not in READ_ONLY:
            continue
        try:
            result = check(probe, new)
        except requests.RequestException as exc:
            result = probe.failed(check.__name__, CREATE, f"request failed: {exc}")
        results.append(result)
        progress(f"  tmf: {result.outcome.value:<8} {result.name}")
    return results
