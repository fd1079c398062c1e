"""The command line: its version, and bad settings refused before anything starts."""

from __future__ import annotations

import pytest

from tmf_gateway.cli import main


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == "tmf-gateway 0.1.0"


def test_serve_refuses_bad_settings_one_line_each(monkeypatch, capsys):
    monkeypatch.setenv("TMF_GATEWAY_WORKERS", "0")
    monkeypatch.setenv("TMF_GATEWAY_LOG_LEVEL", "loud")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "tmf-gateway: invalid settings:"
    assert sorted(line.strip() for line in err[1:]) == [
        "TMF_GATEWAY_LOG_LEVEL must be one of debug, info, warning, error, not 'loud'",
        "TMF_GATEWAY_WORKERS must be at least 1, not 0",
    ]


def test_serve_names_an_unknown_plugin_before_starting(monkeypatch, capsys):
    monkeypatch.setenv("TMF_GATEWAY_SOUTHBOUND", "nosuch")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tmf-gateway: no plugin 'nosuch' in tmf_gateway.southbound; installed:")
    assert "simulator" in err
