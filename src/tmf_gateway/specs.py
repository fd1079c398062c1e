"""The OpenAPI specs shipped inside the package, found with importlib.resources (any install)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

SPEC_DIR: Traversable = files("tmf_gateway") / "openapi"


def spec_path(name: str) -> Path:
    """A spec as a file path, for tools that want one (the package is installed unzipped)."""
    return Path(str(SPEC_DIR / name))
