"""PATCH bodies: JSON merge patch (RFC 7396) and JSON patch (RFC 6902) through libraries."""

from __future__ import annotations

import copy
from typing import Any

import json_merge_patch
import jsonpatch

from ..errors import Conflict, InvalidResource, UnsupportedMediaType

MERGE = "application/merge-patch+json"
JSON = "application/json"
JSON_PATCH = "application/json-patch+json"
SUPPORTED = (MERGE, JSON, JSON_PATCH)


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header; 415 when it is not one we patch with."""
    bare = (content_type or "").split(";", 1)[0].strip().lower()
    if bare not in SUPPORTED:
        raise UnsupportedMediaType(
            f"PATCH takes {', '.join(SUPPORTED)}; got '{bare or 'no content type'}'"
        )
    return bare


def apply_patch(doc: dict[str, Any], body: Any, kind: str) -> dict[str, Any]:
    """The document with the patch applied; the input is left untouched."""
    if kind == JSON_PATCH:
        if not isinstance(body, list):
            raise InvalidResource("a JSON patch body is an array of operations")
        try:
            result = jsonpatch.apply_patch(doc, body, in_place=False)
        except jsonpatch.InvalidJsonPatch as exc:
            raise InvalidResource(f"JSON patch is malformed: {exc}") from None
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
            # RFC 5789 2.2: a well-formed patch that does not fit the resource's current state
            raise Conflict(f"JSON patch cannot be applied to the current resource: {exc}") from None
        except (TypeError, KeyError, IndexError, ValueError) as exc:
            raise InvalidResource(f"JSON patch is malformed: {exc}") from None
    else:
        if not isinstance(body, dict):
            raise InvalidResource("a merge patch body is a JSON object")
        result = json_merge_patch.merge(copy.deepcopy(doc), body)
    if not isinstance(result, dict):
        raise InvalidResource("the patched resource must remain a JSON object")
    return result
