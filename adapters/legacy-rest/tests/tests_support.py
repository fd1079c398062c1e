"""Small helpers for the legacy-rest tests."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tmf_gateway_legacy_rest import create_adapter


class CrmFaults:
    """Take the CRM down, slow it or garble its answers, as the contracts ask; `adapter()` is
    the legacy-rest capability named `capability`, configured with `options`."""

    timeout = 3.0  # (0.5 s read timeout) x (1 + 1 retry), plus backoff
    capability: str  # fulfilment, feasibility or customer_directory

    def __init__(self, crm: Any, options: dict[str, Any]) -> None:
        self.crm, self.options = crm, options

    def adapter(self) -> Any:
        return getattr(create_adapter(self.options), self.capability)

    @contextmanager
    def down(self) -> Iterator[None]:
        self.crm.stop()
        try:
            yield
        finally:
            self.crm.start()

    @contextmanager
    def _fault(self, fault: str) -> Iterator[None]:
        self.crm.fault = fault
        try:
            yield
        finally:
            self.crm.fault = None

    def slow(self) -> Any:
        return self._fault("slow")

    def garbled(self) -> Any:
        return self._fault("garbled")


class HungServer:
    """A legacy system that hangs: it accepts every connection and never answers, until
    stopped (then the connections close)."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(128)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> HungServer:
        self._thread.start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()
        self._sock.close()
