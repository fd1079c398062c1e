"""A store that lacks a side port the configuration needs stops start-up with an error naming
the store and the port (never a silent in-memory fallback); the side ports' behaviour on every
store is in the store kit (tmf_gateway.testing.store_suite.side_data)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import pytest

from tmf_gateway.app import create_app
from tmf_gateway.config import Settings
from tmf_gateway.domain.resources import BUILTIN
from tmf_gateway.errors import ConfigurationError
from tmf_gateway.ports import SIDE_PORTS, UnitOfWork
from tmf_gateway.storage.memory import MemoryStore


class ResourcesOnlyStore:
    """A third party's store that keeps resources and events, and no side data at all."""

    def __init__(self) -> None:
        self.inner = MemoryStore(BUILTIN)

    def unit_of_work(self, write: bool = False) -> AbstractContextManager[UnitOfWork]:
        return self.inner.unit_of_work(write)

    def close(self) -> None:
        self.inner.close()


class LackingStore(ResourcesOnlyStore):
    """A third party's store that declares one side port unsupported, and keeps the others."""

    def __init__(self, unsupported: type[Any]) -> None:
        super().__init__()
        self.unsupported = unsupported

    def side(self, port: type[Any]) -> Any:
        return None if port is self.unsupported else self.inner.side(port)


def _start(store: Any) -> None:
    create_app(Settings(store="memory", background=False), store=store)


def test_a_store_without_side_ports_stops_start_up_naming_store_and_port():
    with pytest.raises(ConfigurationError, match=(
            r"store \S+\.ResourcesOnlyStore does not support the side-data port \w+")):
        _start(ResourcesOnlyStore())


@pytest.mark.parametrize("port", SIDE_PORTS, ids=lambda port: port.__name__)
def test_each_side_port_a_store_declares_unsupported_stops_start_up(port):
    with pytest.raises(ConfigurationError, match=(
            rf"store \S+\.LackingStore does not support the side-data port {port.__name__}\b")):
        _start(LackingStore(port))
