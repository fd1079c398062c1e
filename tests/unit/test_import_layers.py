"""The import rule of docs/architecture.md, read from the source: every import of a module of
ours points down the layers (or stays in its layer), and no modules import each other in a
circle. A small AST walk, no import-linter needed."""

from __future__ import annotations

import ast
from pathlib import Path

import tmf_gateway

PACKAGE = Path(tmf_gateway.__file__).parent
# top to bottom; a name is a top-level package or module of tmf_gateway (docs/architecture.md)
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"cli", "bootstrap", "app", "server", "console", "testing", "conformance",
               "config_docs"}),  # entry points: build the graph, run it, check it
    frozenset({"api"}),  # HTTP: thin handlers, handler tables, request middlewares
    frozenset({"services", "security", "inventory", "ops", "gateway", "built"}),  # use cases
    frozenset({"storage", "events", "southbound", "routing", "simulator", "catalog",
               "products", "notify"}),  # adapters: they implement the ports below
    frozenset({"domain", "ports"}),  # the rules and the ports, importing no adapter
    frozenset({"errors", "config", "tmf", "jsoncodec", "plugins", "logthrottle", "specs",
               "extras", "worker", "retry"}),  # foundation every layer may use
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if "versions" in parts:  # migration scripts are loaded by alembic, not imported
            continue
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imported(module: str, path: Path) -> set[str]:
    """Our modules `module` imports (lazily or for type checking too: each is a dependency)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *filter(None, [base])])
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                     for alias in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES and n != module)
    return found


GRAPH = {module: _imported(module, path) for module, path in MODULES.items()}


def _layer(module: str) -> int:
    name = module.split(".")[1] if "." in module else ""
    for index, members in enumerate(LAYERS):
        if name in members:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def _cycles() -> set[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return found


def test_every_module_has_a_layer():
    for module in MODULES:
        if module != "tmf_gateway":
            _layer(module)


def test_imports_only_point_down_the_layers():
    upward = {(importer, imported) for importer, targets in GRAPH.items()
              if importer != "tmf_gateway" for imported in targets
              if _layer(imported) < _layer(importer)}
    assert upward == set()


def test_no_modules_import_each_other_in_a_circle():
    cycles = _cycles()
    assert cycles == set()


def test_the_walk_sees_imports():
    """The rule tests above would pass on an empty graph: make sure the walk reads imports,
    relative and absolute, lazy ones included."""
    assert "tmf_gateway.bootstrap" in GRAPH["tmf_gateway.app"]
    assert "tmf_gateway.services.resources" in GRAPH["tmf_gateway.built"]
    assert "tmf_gateway.bootstrap" in GRAPH["tmf_gateway.cli.events"]  # inside a function
