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


def test_every_bad_value_is_named_on_its_own_line(tmp_path):
    config = tmp_path / "gw.toml"
    config.write_text('[tmf_gateway]\nlog_format = "xml"\nmax_limit = 10\n')
    with pytest.raises(ConfigurationError) as caught:
        load_settings({
            "TMF_GATEWAY_CONFIG": str(config),
            "TMF_GATEWAY_PORT": "eighty",
            "TMF_GATEWAY_WORKERS": "0",
            "TMF_GATEWAY_SECURITY": "maybe",
            "TMF_GATEWAY_DELIVERY_TIMEOUT": "-1",
        })
    lines = caught.value.message.splitlines()[1:]
    assert sorted(line.strip() for line in lines) == [
        "TMF_GATEWAY_DELIVERY_TIMEOUT must be above 0, not -1.0",
        "TMF_GATEWAY_LOG_FORMAT must be one of json, text, not 'xml'",
        "TMF_GATEWAY_PORT must be an integer, not 'eighty'",
        "TMF_GATEWAY_SECURITY must be one of off, on, not 'maybe'",
        "TMF_GATEWAY_WORKERS must be at least 1, not 0",
    ]


def test_limits_and_ports_are_checked_together(tmp_path):
    with pytest.raises(ConfigurationError, match=r"MAX_LIMIT \(10\) must not be below"):
        load_settings({"TMF_GATEWAY_MAX_LIMIT": "10"})
    with pytest.raises(ConfigurationError, match="port number"):
        load_settings({"TMF_GATEWAY_PORT": "70000"})
    config = tmp_path / "gw.toml"
    config.write_text('[tmf_gateway]\nworkers = "two"\n')
    with pytest.raises(ConfigurationError, match="WORKERS must be an integer, not 'two'"):
        load_settings({"TMF_GATEWAY_CONFIG": str(config)})
