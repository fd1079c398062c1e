"""Logging set-up: one JSON object a line (or plain text), the level and format by setting."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from ..config import Settings

REQUEST_LOGGER = "tmf_gateway.request"
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time, level, logger, message and the record's extra fields."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}
    )


def log_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the gateway and uvicorn alike (uvicorn applies it in
    every worker process it starts)."""
    if settings.log_format == "json":
        formatter: dict[str, Any] = {"()": "tmf_gateway.ops.logs.json_formatter"}
    else:
        formatter = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    level = settings.log_level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"gateway": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "gateway",
                       "stream": "ext://sys.stderr"},
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own handlers would print its lines a second time, as text
            name: {"handlers": [], "propagate": True, "level": level}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


def configure(settings: Settings) -> None:
    logging.config.dictConfig(log_config(settings))
