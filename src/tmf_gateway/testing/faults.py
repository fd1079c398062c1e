"""What a contract harness can do to its legacy system: by default nothing, and the contract
tests that need a fault skip, saying which one the harness cannot produce."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest


class LegacyFaults:
    """Override these in a harness whose legacy system (or stand-in) can be broken on purpose."""

    system_name = "the legacy system"  # as the skip reasons name it

    @contextmanager
    def down(self) -> Iterator[None]:
        """The legacy system is unreachable inside the block."""
        pytest.skip(f"this harness cannot take {self.system_name} down")
        yield

    @contextmanager
    def slow(self) -> Iterator[None]:
        """The legacy system answers later than the adapter's timeout inside the block."""
        pytest.skip(f"this harness cannot slow {self.system_name} down")
        yield

    @contextmanager
    def garbled(self) -> Iterator[None]:
        """The legacy system answers with malformed bodies inside the block."""
        pytest.skip(f"this harness cannot garble {self.system_name}'s answers")
        yield
