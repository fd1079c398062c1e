"""What a resource's attributes are, read from its OpenAPI schema, so filters can be typed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import values


@dataclass(frozen=True)
class Segment:
    """One step of a dotted path; `is_array` when the attribute holds a list."""

    key: str
    is_array: bool


@dataclass(frozen=True)
class FieldPath:
    """A resolved attribute path: its steps and the scalar kind at its end."""

    path: str
    segments: tuple[Segment, ...]
    kind: str

    @property
    def crosses_array(self) -> bool:
        return any(seg.is_array for seg in self.segments)


class UnknownAttribute(LookupError):
    """The path names no attribute of the resource."""


class ResourceSchema:
    """Resolves dotted attribute paths against one component schema of an OpenAPI document."""

    def __init__(self, schemas: dict[str, Any], root: str) -> None:
        self._components = schemas
        self._root = f"components/schemas/{root}"
        self.resolve = lru_cache(maxsize=512)(self._resolve)

    def _deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 32:
            schema = self._components[schema["$ref"].rsplit("/", 1)[-1]]
            seen += 1
        return schema

    def _properties(self, schema: dict[str, Any]) -> dict[str, Any]:
        schema = self._deref(schema)
        props = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            props.update(self._properties(part))
        return props

    def top_level(self) -> tuple[str, ...]:
        return tuple(self._properties({"$ref": f"#/{self._root}"}))

    def _resolve(self, path: str) -> FieldPath:
        node: dict[str, Any] = {"$ref": f"#/{self._root}"}
        segments: list[Segment] = []
        for key in path.split("."):
            props = self._properties(node)
            if key not in props:
                raise UnknownAttribute(path)
            child = self._deref(props[key])
            is_array = child.get("type") == "array"
            if is_array:
                child = self._deref(child.get("items", {}))
            segments.append(Segment(key, is_array))
            node = child
        return FieldPath(path, tuple(segments), _kind_of(self._deref(node)))


def _kind_of(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return values.NUMBER
    if kind == "boolean":
        return values.BOOLEAN
    if kind == "string":
        return values.DATETIME if schema.get("format") in ("date-time", "date") else values.STRING
    if kind == "object" or "properties" in schema or "allOf" in schema:
        return values.OBJECT
    return values.STRING
