"""Request validators in our words: parameter errors name the parameter, merge patches may
carry null (RFC 7396: remove the attribute), which no schema of the resource itself allows."""

from __future__ import annotations

import copy
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from connexion.validators.parameter import Draft4Validator, draft4_format_checker
from jsonschema import ValidationError

MERGE_PATCH = "application/merge-patch+json"


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


def without_nulls(value: Any) -> Any:
    """A merge patch as the schema should see it: a null member means 'remove', not a value."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    return value


class MergePatchValidator(JSONRequestBodyValidator):
    """Validates a merge patch with its null members (removals) left out; the service checks
    the patched resource as a whole, required attributes included."""

    def _validate(self, body: Any) -> dict | None:
        return super()._validate(without_nulls(body) if isinstance(body, dict) else body)


def request_validators() -> dict[str, Any]:
    """The `parameter` and `body` entries of `add_api(validator_map=...)`."""
    body = {**VALIDATOR_MAP["body"], MERGE_PATCH: MergePatchValidator}
    return {"parameter": NamingParameterValidator, "body": MediaTypeDict(body)}
