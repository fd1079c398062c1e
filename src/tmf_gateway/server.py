"""Runs the gateway under uvicorn: logging by setting, metrics across workers, graceful stop, and
connections balanced across workers (one SO_REUSEPORT socket each, docs/performance.md)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import time
from types import FrameType
from typing import Any

from .config import Settings
from .ops import logs
from .ops.metrics import MULTIPROC_ENV

log = logging.getLogger("tmf_gateway.server")
BACKLOG = 2048  # uvicorn's own default
STARTUP_GRACE = 30.0  # seconds: a worker that exits sooner could not start, and is not retried


def serve(settings: Settings) -> int:
    """Serve until SIGTERM or SIGINT: the listener closes, requests in flight get
    `shutdown_timeout` seconds to finish, background jobs stop; then exit 0."""
    logs.configure(settings)
    # uvicorn stops gracefully on these, then raises the signal again once its own handlers are
    # gone: with these in place that second delivery is a no-op and the process exits 0
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stopped)
    _export(settings)
    own_dir = None
    if settings.workers > 1 and not os.environ.get(MULTIPROC_ENV):
        own_dir = tempfile.mkdtemp(prefix="tmf-gateway-metrics-")
        os.environ[MULTIPROC_ENV] = own_dir  # the workers inherit it: metrics summed over all
    try:
        if settings.workers > 1 and hasattr(socket, "SO_REUSEPORT"):
            return _supervise(settings)
        import uvicorn

        # one process, or no SO_REUSEPORT here: uvicorn's own workers share one socket
        uvicorn.run(**_config(settings), workers=settings.workers)
    finally:
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)
    return 0


def _export(settings: Settings) -> None:
    """The app factory reads its settings from the environment in each worker: what the
    command line chose (`--app`, `--host`, `--port`) goes there too."""
    os.environ["TMF_GATEWAY_APP"] = settings.app
    os.environ["TMF_GATEWAY_HOST"] = settings.host
    os.environ["TMF_GATEWAY_PORT"] = str(settings.port)


def _config(settings: Settings) -> dict[str, Any]:
    from .api.httpserver import protocol

    return {
        "app": "tmf_gateway.app:create_app",
        "factory": True,
        "host": settings.host,
        "port": settings.port,
        "log_config": logs.log_config(settings),
        "access_log": False,  # the gateway writes its own request line
        "http": protocol(),  # the server's own refusals as TMF errors too
        "timeout_graceful_shutdown": settings.shutdown_timeout,
        "backlog": BACKLOG,
    }


def listener(host: str, port: int) -> socket.socket:
    """A socket on host:port that other sockets of this user may bind too (SO_REUSEPORT): the
    kernel then spreads new connections over the listening ones, instead of letting whichever
    worker wakes first take them all from one shared socket."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _supervise(settings: Settings) -> int:
    """Start `workers` processes, each listening on its own socket; restart one that dies; on
    SIGTERM or SIGINT pass the signal on and wait for each to finish its requests."""
    # bound, never listening: it fixes the port (port 0 included) and receives no connections
    reservation = listener(settings.host, settings.port)
    port = reservation.getsockname()[1]
    settings = settings.with_overrides(port=port)
    _export(settings)
    context = multiprocessing.get_context("spawn")
    stopping: list[int] = []  # a terminal's Ctrl-C reaches the workers too

    def stop(sig: int, _frame: FrameType | None) -> None:
        stopping.append(sig)

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)

    def start(index: int) -> Any:
        process = context.Process(
            target=_worker, args=(settings, index), name=f"tmf-gateway-worker-{index}"
        )
        process.start()
        return process

    workers = [start(i) for i in range(settings.workers)]
    started = [time.monotonic()] * len(workers)
    log.info("serving on %s:%d with %d workers, one socket each", settings.host, port,
             len(workers))
    failed = False
    try:
        while not stopping and not failed:
            for index, process in enumerate(workers):
                if process.is_alive() or stopping:
                    continue
                if time.monotonic() - started[index] < STARTUP_GRACE:
                    # it could not start (settings, database): another would fail the same way
                    log.error("worker %d exited with %s while starting; stopping",
                              index, process.exitcode)
                    failed = True
                    stopping.append(signal.SIGTERM)
                    break
                log.warning("worker %d (pid %s) exited with %s; starting another",
                            index, process.pid, process.exitcode)
                workers[index], started[index] = start(index), time.monotonic()
            time.sleep(0.2)
        for process in workers:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)  # twice SIGINT would force it
        deadline = time.monotonic() + settings.shutdown_timeout + 5
        for process in workers:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
    finally:
        reservation.close()
    return 1 if failed else 0


def _worker(settings: Settings, index: int) -> None:
    """One worker process: its own socket on the shared port, uvicorn serving the app."""
    import uvicorn

    logs.configure(settings)
    sock = listener(settings.host, settings.port)
    config = uvicorn.Config(**_config(settings))
    server = uvicorn.Server(config)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stopped)
    server.run(sockets=[sock])


def _stopped(_sig: int, _frame: FrameType | None) -> None:
    """The signal again after uvicorn's graceful stop: nothing is left to do."""
