"""Every store plugin, built fresh per test, for the one contract suite."""

from collections.abc import Callable, Iterator

import pytest

from tests.schemas import THING
from tmf_gateway.storage.memory import MemoryStore
from tmf_gateway.storage.sqlite import SqliteStore

STORES: dict[str, Callable[..., object]] = {
    "memory": lambda tmp_path: MemoryStore([THING]),
    "sqlite": lambda tmp_path: SqliteStore(f"sqlite:///{tmp_path}/contract.db", [THING]),
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[object]:
    built = STORES[request.param](tmp_path)
    yield built
    built.close()
