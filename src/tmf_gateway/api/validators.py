"""Request validators in our words: parameter errors name the parameter, merge patches may
carry null at the top level (RFC 7396: remove the attribute), which the specs' update schemas
do not allow until `allow_null_removals` says so."""

from __future__ import annotations

import copy
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from connexion.validators.parameter import Draft4Validator, draft4_format_checker
from jsonschema import ValidationError

JSON_PATCH = "application/json-patch+json"


class NamingParameterValidator(ParameterValidator):
    """'query parameter 'limit' is invalid: -1 is less than the minimum of 1', not the schema."""

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: Any = None
    ) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        name = param.get("name", param_name)
        if value is None:
            if param.get("required"):
                return f"the {parameter_type} parameter '{name}' is required"
            return None
        schema = copy.deepcopy(param.get("schema", param))
        try:
            Draft4Validator(schema, format_checker=draft4_format_checker).validate(value)
        except ValidationError as exc:
            return f"the {parameter_type} parameter '{name}' is invalid: {exc.message}"
        return None


MARK = "x-tmf-gateway-merge-patch"  # on the PATCH body schemas made by allow_null_removals


def allow_null_removals(spec: dict[str, Any]) -> None:
    """PATCH bodies are merge patches (RFC 7396): `"attr": null` removes an optional attribute.
    Each PATCH operation's JSON body schema `X` is replaced by a copy `X_MergePatch` whose
    top-level attributes are nullable (but those `<Resource>_Create` requires), so the served
    spec says so (Schemathesis and clients read it); the validator below takes the nulls out
    before the usual checks."""
    schemas = spec.get("components", {}).get("schemas", {})
    for item in spec.get("paths", {}).values():
        body = item.get("patch", {}).get("requestBody", {}) if isinstance(item, dict) else {}
        for media, content in body.get("content", {}).items():
            ref = content.get("schema", {}).get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if media == JSON_PATCH or name not in schemas:
                continue
            patched = f"{name}_MergePatch"
            if patched not in schemas:
                original = copy.deepcopy(schemas[name])
                kept = create_required(schemas, name.removesuffix("_Update"))
                original["properties"] = {
                    key: value if key in kept else _nullable(value)
                    for key, value in original.get("properties", {}).items()
                }
                schemas[patched] = {**original, MARK: True}
            content["schema"] = {"$ref": f"#/components/schemas/{patched}"}


def create_required(components: dict[str, Any], schema: str) -> tuple[str, ...]:
    """The attributes `<schema>_Create` requires (in any allOf part): no patch removes them."""
    found: list[str] = []
    pending = [components.get(f"{schema}_Create", {})]
    while pending:
        part = pending.pop()
        ref = part.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            pending.append(components.get(ref.rsplit("/", 1)[1], {}))
        found += [name for name in part.get("required", ()) if name not in found]
        pending += part.get("allOf", [])
    return tuple(found)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:  # siblings of $ref are ignored in OpenAPI 3.0
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


class MergePatchValidator(JSONRequestBodyValidator):
    """For a merge-patch schema (MARK), its top-level null members (removals) are left out of
    the validation; the service checks the patched resource as a whole, required attributes
    included. Any other JSON body is validated as usual."""

    def _validate(self, body: Any) -> dict | None:
        if self._schema.get(MARK) and isinstance(body, dict):
            body = {key: value for key, value in body.items() if value is not None}
        return super()._validate(body)


def request_validators() -> dict[str, Any]:
    """The `parameter` and `body` entries of `add_api(validator_map=...)`."""
    body = {**VALIDATOR_MAP["body"], "*/*json": MergePatchValidator}
    return {"parameter": NamingParameterValidator, "body": MediaTypeDict(body)}
