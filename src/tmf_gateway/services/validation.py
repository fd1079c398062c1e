"""Validating whole resources against their OpenAPI schema before they are stored."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from ..errors import InvalidResource


class SchemaValidator:
    """A compiled validator for one component schema of an OpenAPI document."""

    def __init__(self, components: dict[str, Any], name: str) -> None:
        document = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": components}}
        self._validator = jsonschema_rs.Draft4Validator(document, validate_formats=True)
        self.name = name

    def check(self, doc: dict[str, Any]) -> None:
        """Raise InvalidResource naming the first offending attribute."""
        for error in self._validator.iter_errors(doc):
            where = "/".join(str(part) for part in error.instance_path) or "(root)"
            raise InvalidResource(f"{self.name} is invalid at '{where}': {error.message}")
