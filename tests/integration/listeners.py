"""Real HTTP listeners on 127.0.0.1 for delivery tests: good, slow, failing, or gone."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tmf_gateway.testing.gateway import free_port


class Listener:
    """A TMF event listener; `status`, `delay` and `fail_first` shape how it answers."""

    def __init__(self, status: int = 201, delay: float = 0.0, fail_first: int = 0) -> None:
        self.status = status
        self.delay = delay
        self.fail_first = fail_first
        self.received: list[dict[str, Any]] = []
        self.arrived: list[float] = []  # time.monotonic() of each received event
        self.calls = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/listener"

    def start(self) -> Listener:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with listener._lock:
                    listener.calls += 1
                    failing = listener.calls <= listener.fail_first
                if listener.delay:
                    time.sleep(listener.delay)
                status = 500 if failing else listener.status
                if 200 <= status < 300:
                    with listener._lock:
                        listener.received.append(json.loads(body))
                        listener.arrived.append(time.monotonic())
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def event_types(self) -> list[str]:
        with self._lock:
            return [event["eventType"] for event in self.received]

