"""Runs the gateway under uvicorn: logging by setting, metrics across workers, graceful stop."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from types import FrameType

from .config import Settings
from .ops import logs
from .ops.metrics import MULTIPROC_ENV


def serve(settings: Settings) -> int:
    """Serve until SIGTERM or SIGINT: the listener closes, requests in flight get
    `shutdown_timeout` seconds to finish, background jobs stop; then exit 0."""
    import uvicorn

    from .api.httpserver import protocol

    logs.configure(settings)
    # uvicorn stops gracefully on these, then raises the signal again once its own handlers are
    # gone: with these in place that second delivery is a no-op and the process exits 0
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stopped)
    own_dir = None
    if settings.workers > 1 and not os.environ.get(MULTIPROC_ENV):
        own_dir = tempfile.mkdtemp(prefix="tmf-gateway-metrics-")
        os.environ[MULTIPROC_ENV] = own_dir  # the workers inherit it: metrics summed over all
    try:
        uvicorn.run(
            "tmf_gateway.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_config=logs.log_config(settings),
            access_log=False,  # the gateway writes its own request line
            http=protocol(),  # the server's own refusals as TMF errors too
            timeout_graceful_shutdown=settings.shutdown_timeout,
        )
    finally:
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)
    return 0


def _stopped(_sig: int, _frame: FrameType | None) -> None:
    """The signal again after uvicorn's graceful stop: nothing is left to do."""
