"""Every store plugin, built fresh per test, for the one contract suite."""

from collections.abc import Callable, Iterator

import pytest

from tests.pg import fresh_schema
from tests.schemas import THING
from tmf_gateway.storage.memory import MemoryStore
from tmf_gateway.storage.sqlite import SqliteStore

STORES: dict[str, Callable[..., object]] = {
    "memory": lambda tmp_path: MemoryStore([THING]),
    "sqlite": lambda tmp_path: SqliteStore(f"sqlite:///{tmp_path}/contract.db", [THING]),
}


@pytest.fixture(params=[*sorted(STORES), pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[object]:
    if request.param == "postgresql":
        from tmf_gateway.storage.postgresql import PostgresStore

        with fresh_schema() as url:
            built = PostgresStore(url, [THING])
            yield built
            built.close()
        return
    built = STORES[request.param](tmp_path)
    yield built
    built.close()
