"""Plugins are found through entry points, built-ins included; unknown names fail fast."""

import pytest

from tmf_gateway import plugins
from tmf_gateway.cli import main
from tmf_gateway.errors import ConfigurationError


def test_builtin_stores_and_simulator_are_registered():
    assert {"memory", "sqlite"} <= set(plugins.installed(plugins.STORAGE_GROUP))
    assert "simulator" in plugins.installed(plugins.SOUTHBOUND_GROUP)


def test_unknown_plugin_lists_installed_names():
    with pytest.raises(ConfigurationError, match=r"no plugin 'nosuch'.*memory.*sqlite"):
        plugins.load(plugins.STORAGE_GROUP, "nosuch")


def test_plugins_command_lists_versions(capsys):
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "tmf_gateway.storage" in out and "sqlite" in out and "tmf-gateway 0.1.0" in out
    assert "simulator" in out
