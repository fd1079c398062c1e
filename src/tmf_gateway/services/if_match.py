"""If-Match on PATCH and DELETE (TMF630 optimistic concurrency): a stale write gets 412."""

from __future__ import annotations

from ..errors import PreconditionFailed
from ..ports import Stored


def parse_if_match(header: str | None) -> set[str] | None:
    """The versions an If-Match header accepts; None when absent, {'*'} for any."""
    if header is None:
        return None
    tags = set()
    for part in header.split(","):
        tag = part.strip().removeprefix("W/").strip('"')
        if tag:
            tags.add(tag)
    return tags


def check_if_match(tags: set[str] | None, stored: Stored) -> None:
    if tags is not None and "*" not in tags and str(stored.version) not in tags:
        raise PreconditionFailed(
            f"If-Match does not match the current version (ETag \"{stored.version}\")"
        )
