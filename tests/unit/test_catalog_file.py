"""The YAML product catalog: the shipped example loads, a broken file stops start-up clearly."""

from __future__ import annotations

import pytest

from tmf_gateway.catalog import load_catalog
from tmf_gateway.catalog.file import FileCatalog
from tmf_gateway.config import Settings
from tmf_gateway.errors import ConfigurationError


def test_the_shipped_example_has_fibre_1g_and_an_offering_for_each_rule():
    example = FileCatalog.from_path()
    offerings = {o.id: o for o in example.offerings()}
    assert offerings["fibre-1g"].sellable and offerings["fibre-1g"].price
    assert offerings["fibre-install"].needs_install_address
    assert offerings["fibre-feasibility"].needs_feasibility
    assert offerings["tv-accept"].needs_acceptance
    assert not offerings["adsl-8m"].sellable


@pytest.mark.parametrize("text, why", [
    ("productOffering: {}", "no 'productOffering' list"),
    ("productOffering:\n  - {name: no id}", "without a text 'id'"),
    ("productOffering:\n  - {id: a, actions: [explode]}", "unknown actions"),
    ("productOffering: [", "catalog file"),
])
def test_a_broken_catalog_file_is_a_configuration_error(tmp_path, text, why):
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    with pytest.raises(ConfigurationError, match=why):
        load_catalog(Settings(catalog_file=str(path)))


def test_tmf620_needs_its_url():
    with pytest.raises(ConfigurationError, match="CATALOG_URL"):
        load_catalog(Settings(catalog="tmf620"))
