"""Small helpers for the legacy-rest tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class CrmFaults:
    """Take the CRM down, slow it or garble its answers, as the contracts ask."""

    crm: Any

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
