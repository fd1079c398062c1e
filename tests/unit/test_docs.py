"""Docs that tests keep honest: every setting is in the README's configuration table."""

from dataclasses import fields
from pathlib import Path

from tmf_gateway.config import PREFIX, Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_documented():
    missing = [f.name for f in fields(Settings) if f"`{PREFIX}{f.name.upper()}`" not in README]
    assert not missing, f"settings missing from README.md's configuration table: {missing}"


def test_quick_start_has_the_two_commands():
    start = README.index("## Quick start")
    section = README[start : README.index("##", start + 5)]
    assert "make run" in section and "make test" in section
