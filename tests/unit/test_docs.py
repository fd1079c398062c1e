"""Docs that tests keep honest: docs/configuration.md is what the settings class generates, every
southbound port method and capability is in docs/adapters.md."""

import inspect
from dataclasses import fields
from pathlib import Path

from tmf_gateway import config_docs, ports
from tmf_gateway.config import Settings
from tmf_gateway.southbound import CAPABILITIES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
REGENERATE = "python -m tmf_gateway.config_docs > docs/configuration.md"


def test_configuration_doc_is_generated_from_the_settings_class():
    written = (ROOT / "docs" / "configuration.md").read_text()
    assert written == config_docs.render(), f"docs/configuration.md is stale: run `{REGENERATE}`"


def test_every_setting_has_a_meaning():
    notes = config_docs.descriptions()
    missing = [f.name for f in fields(Settings) if not notes.get(f.name)]
    assert not missing, f"settings without a comment in config.py (the doc's meaning): {missing}"


def test_quick_start_has_the_two_commands():
    start = README.index("## Quick start")
    section = README[start : README.index("##", start + 5)]
    assert "make run" in section and "make test" in section


ADAPTERS_DOC = (ROOT / "docs" / "adapters.md").read_text()
# the ports/ modules of adapters' Protocols (storage plugins' ports are in developing.md)
SOUTHBOUND_MODULES = {ports.southbound.__name__, ports.catalog.__name__, ports.notify.__name__}


def _southbound_ports() -> dict[str, type]:
    """Every Protocol of ports/ that southbound adapters implement."""
    return {
        name: obj for name, obj in vars(ports).items()
        if inspect.isclass(obj) and getattr(obj, "_is_protocol", False)
        and obj.__module__ in SOUTHBOUND_MODULES
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
        assert f"`TMF_GATEWAY_SOUTHBOUND_{capability.upper()}`" in config_docs.render()


def test_every_storage_port_is_named_in_the_store_section():
    doc = (ROOT / "docs" / "developing.md").read_text()
    start = doc.index("## Writing a store")
    section = doc[start : doc.index("\n## ", start + 5)]
    storage_ports = [
        name for module in (ports.storage, ports.side)
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and getattr(obj, "_is_protocol", False)
        and obj.__module__ == module.__name__
    ]
    assert {"UnitOfWork", "Store", "KeyStore", "WorkClaims"} <= set(storage_ports)
    missing = [name for name in storage_ports if f"`{name}`" not in section]
    assert not missing, f"docs/developing.md 'Writing a store' does not name: {missing}"
