"""The log format and level settings decide what lands on stderr."""

from __future__ import annotations

import json
import logging

import pytest

from tmf_gateway.config import Settings
from tmf_gateway.ops import logs


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_at_the_chosen_level(restore_logging, capsys):
    logs.configure(Settings(log_format="json", log_level="warning"))
    log = logging.getLogger("tmf_gateway.test")
    log.info("not shown")
    log.warning("shown", extra={"request_id": "r-1"})
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "WARNING", "tmf_gateway.test", "shown", "r-1")


def test_text_lines(restore_logging, capsys):
    logs.configure(Settings(log_format="text", log_level="debug"))
    logging.getLogger("tmf_gateway.test").debug("plain %s", "words")
    err = capsys.readouterr().err.strip()
    assert err.endswith("DEBUG tmf_gateway.test: plain words")
