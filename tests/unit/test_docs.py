"""Docs that tests keep honest: every setting is in the README's configuration table, every
southbound port method and capability in docs/adapters.md."""

import inspect
from dataclasses import fields
from pathlib import Path

from tmf_gateway import ports
from tmf_gateway.config import PREFIX, Settings
from tmf_gateway.southbound import CAPABILITIES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_documented():
    missing = [f.name for f in fields(Settings) if f"`{PREFIX}{f.name.upper()}`" not in README]
    assert not missing, f"settings missing from README.md's configuration table: {missing}"


def test_quick_start_has_the_two_commands():
    start = README.index("## Quick start")
    section = README[start : README.index("##", start + 5)]
    assert "make run" in section and "make test" in section


ADAPTERS_DOC = (Path(__file__).resolve().parents[2] / "docs" / "adapters.md").read_text()
STORAGE_PORTS = {"Store", "UnitOfWork"}  # storage plugins' ports, documented in developing.md


def _southbound_ports() -> dict[str, type]:
    """Every Protocol of ports.py that southbound adapters implement."""
    return {
        name: obj for name, obj in vars(ports).items()
        if inspect.isclass(obj) and getattr(obj, "_is_protocol", False)
        and obj.__module__ == ports.__name__ and name not in STORAGE_PORTS
    }


def _port_reference() -> str:
    start = ADAPTERS_DOC.index("## Port reference")
    return ADAPTERS_DOC[start : ADAPTERS_DOC.index("\n## ", start + 5)]


def test_every_port_method_is_documented_in_the_port_reference():
    reference = _port_reference()
    found = _southbound_ports()
    assert {"OrderFulfilment", "FeasibilityCheck", "TicketDesk", "CustomerDirectory"} <= set(found)
    # each Protocol's block runs from its "`Name`" line to the next Protocol's
    starts = {name: reference.index(f"\n`{name}`") for name in found if f"\n`{name}`" in reference}
    missing = [f"{name} (no `{name}` paragraph)" for name in found if name not in starts]
    for name, start in starts.items():
        end = min([s for s in starts.values() if s > start], default=len(reference))
        block = reference[start:end]
        for method, _ in inspect.getmembers(found[name], inspect.isfunction):
            if not method.startswith("_") and f"`{method}(" not in block:
                missing.append(f"{name}.{method}")
    assert not missing, f"docs/adapters.md 'Port reference' does not document: {missing}"


def test_every_capability_is_documented():
    reference = _port_reference()
    missing = [c for c in CAPABILITIES if f"`{c}`" not in reference]
    assert not missing, f"capabilities missing from docs/adapters.md: {missing}"
    for capability in CAPABILITIES:
        assert f"`TMF_GATEWAY_SOUTHBOUND_{capability.upper()}`" in README
