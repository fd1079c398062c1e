"""Parameter validation whose 400 names the parameter (Connexion's says only "-1 is less than
the minimum of 0", which a client cannot act on)."""

from __future__ import annotations

from typing import Any

from connexion.validators import ParameterValidator


def _named(where: str, param: dict[str, Any], error: str | None) -> str | None:
    if not error:
        return None
    first = error.splitlines()[0]
    if f"'{param['name']}'" in first:
        return first
    return f"{where} parameter '{param['name']}': {first}"


class NamedParameterValidator(ParameterValidator):
    """Connexion's parameter checks, each message led by the parameter's name and kept short."""

    def validate_query_parameter(self, param: dict[str, Any], request: Any) -> str | None:
        return _named("query", param, super().validate_query_parameter(param, request))

    def validate_path_parameter(self, param: dict[str, Any], request: Any) -> str | None:
        return _named("path", param, super().validate_path_parameter(param, request))

    def validate_header_parameter(self, param: dict[str, Any], request: Any) -> str | None:
        return _named("header", param, super().validate_header_parameter(param, request))
