"""`tmf-gateway conformance`: test a TMF server (needs the `conformance` extra to run)."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    from ..conformance.command import add_arguments

    conformance = sub.add_parser(
        "conformance", help="test a TMF server's conformance (Schemathesis + TMF630 checks)"
    )
    add_arguments(conformance)
    conformance.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..conformance.command import run as run_conformance

    return run_conformance(args)
