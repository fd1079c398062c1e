"""Settings come from the environment and an optional TOML file; bad values stop start-up."""

import pytest

from tmf_gateway.config import load_settings
from tmf_gateway.errors import ConfigurationError


def test_defaults_are_the_embedded_profile():
    settings = load_settings({})
    assert (settings.store, settings.southbound, settings.host, settings.port) == (
        "sqlite",
        "simulator",
        "127.0.0.1",
        8080,
    )
    assert settings.database_url.startswith("sqlite:///var/")


def test_environment_overrides_toml(tmp_path):
    config = tmp_path / "gw.toml"
    config.write_text('[tmf_gateway]\nport = 9000\nstore = "memory"\n')
    settings = load_settings({"TMF_GATEWAY_CONFIG": str(config), "TMF_GATEWAY_PORT": "9100"})
    assert (settings.port, settings.store) == (9100, "memory")


def test_bad_values_are_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="integer"):
        load_settings({"TMF_GATEWAY_PORT": "eighty"})
    with pytest.raises(ConfigurationError, match="true or false"):
        load_settings({"TMF_GATEWAY_VALIDATE_RESPONSES": "maybe"})
    config = tmp_path / "gw.toml"
    config.write_text("[tmf_gateway]\nno_such_setting = 1\n")
    with pytest.raises(ConfigurationError, match="no_such_setting"):
        load_settings({"TMF_GATEWAY_CONFIG": str(config)})
