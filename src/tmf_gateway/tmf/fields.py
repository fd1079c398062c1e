"""Attribute selection (`fields=a,b.c`): exactly the named attributes, or with `keep_identity`
also id, href and @type."""

from __future__ import annotations

from typing import Any

IDENTITY = ("id", "href", "@type")


def _pick(value: Any, path: list[str]) -> Any:
    """`value` reduced to the one path: {key: ...} for objects, element-wise for lists."""
    if isinstance(value, list):
        picked = [_pick(item, path) for item in value]
        return [item for item in picked if item is not _MISSING]
    if not isinstance(value, dict) or path[0] not in value:
        return _MISSING
    if len(path) == 1:
        return {path[0]: value[path[0]]}
    inner = _pick(value[path[0]], path[1:])
    return _MISSING if inner is _MISSING else {path[0]: inner}


_MISSING = object()


def _merge(target: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def select(
    doc: dict[str, Any], fields: tuple[str, ...] | None, keep_identity: bool = False
) -> dict[str, Any]:
    """The document reduced to the named attributes; unknown names are ignored."""
    if fields is None:
        return doc
    result = {key: doc[key] for key in IDENTITY if key in doc} if keep_identity else {}
    for name in fields:
        path = name.split(".")
        picked = _pick(doc, path)
        if picked is not _MISSING:
            _merge(result, picked)
    return result
