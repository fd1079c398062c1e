"""Request validators in our words: parameter errors name the parameter, and a merge patch's
top-level nulls (RFC 7396: remove the attribute; the specs' `<Resource>_Update` schemas declare
the optional attributes `nullable`) are taken out before the body is validated.

Both are built once per schema, not per request as Connexion's are (a validator object, and a
deep copy of each parameter's schema, on every call). The body is still parsed by Connexion's
own (stdlib) parser, not reused from the request guard's orjson one: orjson reads an integer
beyond 64 bits as a float, which a schema's `integer` would then refuse."""

from __future__ import annotations

from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator, ParameterValidator
from connexion.validators.parameter import Draft4Validator, draft4_format_checker
from jsonschema import ValidationError

# id(schema) -> (the schema, kept so its id is not reused; its compiled validator)
_COMPILED: dict[int, tuple[Any, Any]] = {}


def _compiled(schema: dict[str, Any], build: Any) -> Any:
    entry = _COMPILED.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _COMPILED[id(schema)] = (schema, build(schema))
    return entry[1]


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
        schema = param.get("schema", param)
        validator = _compiled(
            schema, lambda s: Draft4Validator(s, format_checker=draft4_format_checker)
        )
        try:
            validator.validate(value)
        except ValidationError as exc:
            return f"the {parameter_type} parameter '{name}' is invalid: {exc.message}"
        return None


MARK = "x-tmf-gateway-merge-patch"  # on the specs' <Resource>_Update schemas (PATCH bodies)


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


class MergePatchValidator(JSONRequestBodyValidator):
    """For a merge-patch schema (MARK), its top-level null members (removals) are left out of
    the validation (`allOf`-wrapped references would refuse them); the service checks the
    patched resource as a whole, required attributes included. Other bodies as usual."""

    @property
    def _validator(self) -> Any:
        return _compiled(
            self._schema,
            lambda s: Draft4RequestValidator(s, format_checker=Draft4Validator.FORMAT_CHECKER),
        )

    def _validate(self, body: Any) -> dict | None:
        if self._schema.get(MARK) and isinstance(body, dict):
            body = {key: value for key, value in body.items() if value is not None}
        return super()._validate(body)


def request_validators() -> dict[str, Any]:
    """The `parameter` and `body` entries of `add_api(validator_map=...)`."""
    body = {**VALIDATOR_MAP["body"], "*/*json": MergePatchValidator}
    return {"parameter": NamingParameterValidator, "body": MediaTypeDict(body)}
