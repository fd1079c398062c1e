"""The integrator's mapping file, turned into marshmallow schemas: TMF -> legacy and back.

A rule is a source path (`productOffering.id`, `relatedParty[role=Customer].id`, `lines.0`)
or a table: `from` (path), `values` (value map), `default`, `each` (rules for list elements).
Legacy field names may be dotted to build nested objects (`account.accountRef`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_dump, post_load, pre_load
from marshmallow.validate import OneOf

from tmf_gateway.domain.lifecycle import PRODUCT_ORDER_ITEM
from tmf_gateway.errors import ConfigurationError
from tmf_gateway.ports import ItemUpdate

MISSING = object()
_FILTER = re.compile(r"^(?P<name>[^\[]+)\[(?P<key>[^=\]]+)=(?P<value>[^\]]*)\]$")


def load_mapping(source: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """A mapping given inline, or read from a YAML or TOML file."""
    if isinstance(source, Mapping):
        return check_mapping(dict(source))
    path = Path(source)
    try:
        text = path.read_text()
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"legacy-rest mapping {path}: {exc}") from exc
    return check_mapping(data, str(path))


SECTIONS = ("submit", "feasibility", "customers")  # one per capability the adapter can offer


def check_mapping(data: Any, where: str = "inline") -> dict[str, Any]:
    """A mapping with at least one capability's section; orders need both 'submit' and 'updates'."""
    if not isinstance(data, dict) or not any(section in data for section in SECTIONS):
        raise ConfigurationError(f"legacy-rest mapping {where}: needs 'submit' and 'updates', "
                                 "'feasibility' or 'customers'")
    if "submit" in data and "updates" not in data:
        raise ConfigurationError(f"legacy-rest mapping {where}: needs 'submit' and 'updates'")
    return data


def fill_path(template: str, doc: Mapping[str, Any]) -> str:
    """A path template (`/orders/{id}`) filled with the document's URL-quoted top-level values."""
    return template.format_map({k: quote(str(v), safe="") for k, v in doc.items()
                                if isinstance(v, str | int)})


def lookup(obj: Any, path: str) -> Any:
    """The value at a dotted path; `name[key=value]` picks the first matching list element."""
    for segment in path.split("."):
        match = _FILTER.match(segment)
        if match:
            items = obj.get(match["name"]) if isinstance(obj, Mapping) else None
            obj = next((i for i in items or [] if isinstance(i, Mapping)
                        and str(i.get(match["key"])) == match["value"]), MISSING)
        elif isinstance(obj, list) and segment.isdigit():
            obj = obj[int(segment)] if int(segment) < len(obj) else MISSING
        elif isinstance(obj, Mapping):
            obj = obj.get(segment, MISSING)
        else:
            obj = MISSING
        if obj is MISSING:
            return MISSING
    return obj


def _rule(raw: Any) -> dict[str, Any]:
    rule = {"from": raw} if isinstance(raw, str) else dict(raw)
    if "from" not in rule:
        raise ConfigurationError(f"legacy-rest mapping rule without 'from': {raw}")
    return rule


def _value(obj: Any, rule: dict[str, Any]) -> Any:
    value = lookup(obj, rule["from"])
    if value is MISSING or value is None:
        return rule.get("default", MISSING)
    values = rule.get("values")
    if values:
        value = values.get(str(value), value)
    return value


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = key.split(".")
        target = nested
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return nested


class _DumpSchema(Schema):
    @post_dump
    def nest(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return _nest({k: v for k, v in data.items() if v is not MISSING})


def _getter(rule: dict[str, Any]) -> Callable[[Any], Any]:
    child = outbound_schema(rule["each"]) if "each" in rule else None

    def get(obj: Any) -> Any:
        value = _value(obj, rule)
        if child is not None:
            return child.dump(value if isinstance(value, list) else [], many=True)
        return value

    return get


def outbound_schema(rules: Mapping[str, Any]) -> Schema:
    """A schema whose dump() turns a TMF document into the legacy payload."""
    declared = {
        f"f{n}": fields.Function(serialize=_getter(_rule(raw)), data_key=legacy)
        for n, (legacy, raw) in enumerate(rules.items())
    }
    return type("MappedDump", (_DumpSchema,), declared)()


class _UpdateSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    order_id = fields.String(required=True)
    item_id = fields.String(required=True)
    state = fields.String(required=True, validate=OneOf(sorted(PRODUCT_ORDER_ITEM.states)))
    reason = fields.String(load_default="")
    expected_completion = fields.String(load_default="")

    def __init__(self, rules: Mapping[str, Any]) -> None:
        super().__init__()
        self.rules = {target: _rule(raw) for target, raw in rules.items()}

    @pre_load
    def from_legacy(self, data: Any, **_: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise ValidationError("a status change must be a JSON object")
        flat = {}
        for target, rule in self.rules.items():
            value = _value(data, rule)
            if value is not MISSING:
                flat[target] = str(value) if isinstance(value, int | float) else value
        return flat

    @post_load
    def to_update(self, data: dict[str, Any], **_: Any) -> ItemUpdate:
        return ItemUpdate(**data)


def update_schema(rules: Mapping[str, Any]) -> Schema:
    """A schema whose load() turns one legacy status change into an ItemUpdate."""
    missing = {"order_id", "item_id", "state"} - set(rules)
    if missing:
        raise ConfigurationError(f"legacy-rest mapping 'updates.item' lacks {sorted(missing)}")
    return _UpdateSchema(rules)
