"""Import rules that keep the layers apart: nothing below the app factory imports it, and the
store's own list of resource types is the one the APIs serve."""

from __future__ import annotations

import ast
from pathlib import Path

import tmf_gateway
from tmf_gateway.api.registry import API_TABLE, OPS_TABLE
from tmf_gateway.domain.resources import BUILTIN

PACKAGE = Path(tmf_gateway.__file__).parent
ABOVE_THE_FACTORY = {"app.py"}  # the factory itself; cli/ and testing/ sit above it too


def _imports_app(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module == "tmf_gateway.app" or (node.level and module == "app"):
                return True
            if node.level and not module and any(a.name == "app" for a in node.names):
                return True
    return False


def test_nothing_below_the_app_factory_imports_it():
    below = [p for p in PACKAGE.rglob("*.py")
             if p.name not in ABOVE_THE_FACTORY and "cli" not in p.relative_to(PACKAGE).parts
             and "testing" not in p.relative_to(PACKAGE).parts]
    offenders = [str(p.relative_to(PACKAGE)) for p in below if _imports_app(p)]
    assert offenders == []


def test_the_stores_resource_types_are_the_ones_the_apis_serve():
    served = [rt for api in (*API_TABLE, *OPS_TABLE) for rt in api.resource_types()]
    assert sorted(rt.kind for rt in BUILTIN) == sorted(rt.kind for rt in served)
