"""The store kit: every test of the store contract, and the one fixture that picks the store.

A store plugin's test module runs the whole suite with one import and one fixture:

    from tmf_gateway.testing.stores import *  # noqa: F403

    @pytest.fixture
    def store_factory(tmp_path):
        return lambda resource_types: MyStore(f"my://{tmp_path}", resource_types)

`store_factory` is a function from resource types to a fresh, empty store; the kit closes what
it builds. Without an override it is parametrized over the built-in stores (memory, sqlite and
postgresql; the last needs the server of TMF_GATEWAY_TEST_PG and skips without it).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ..domain.resources import ResourceType
from ..ports import Store
from .store_suite.deliveries import *  # noqa: F403
from .store_suite.queries import *  # noqa: F403
from .store_suite.side_data import *  # noqa: F403
from .store_suite.signature_log import *  # noqa: F403
from .store_suite.work_claims import *  # noqa: F403
from .things import THING

StoreFactory = Callable[[list[ResourceType]], Store]


def _postgresql() -> Any:
    """The postgresql param, marked `postgres` where the session knows that marker (ours does:
    under CI=true it must not skip); elsewhere unmarked, and it still skips without a server."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pytest.PytestUnknownMarkWarning)
        try:
            return pytest.param("postgresql", marks=pytest.mark.postgres)
        except (pytest.PytestUnknownMarkWarning, pytest.fail.Exception):
            return "postgresql"


BUILT_IN_STORES = ["memory", "sqlite", _postgresql()]


@contextmanager
def built_in_stores(name: str, directory: Path) -> Iterator[StoreFactory]:
    """A factory of fresh built-in stores named `name`, valid inside the block."""
    if name == "memory":
        from ..storage.memory import MemoryStore

        yield MemoryStore
    elif name == "sqlite":
        from ..storage.sqlite import SqliteStore

        files = iter(range(1_000_000))
        yield lambda types: SqliteStore(f"sqlite:///{directory}/store-{next(files)}.db", types)
    elif name == "postgresql":
        from ..storage.postgresql import PostgresStore
        from .postgres import fresh_schema

        with fresh_schema() as url:
            yield lambda types: PostgresStore(url, types)
    else:
        raise ValueError(f"no built-in store is called {name!r}")


@pytest.fixture(params=BUILT_IN_STORES)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Override this fixture to run the suite against your store."""
    with built_in_stores(request.param, tmp_path) as factory:
        yield factory


@pytest.fixture
def store(store_factory: StoreFactory) -> Iterator[Store]:
    """A fresh, empty store holding the kit's `Thing` resources, closed afterwards."""
    built = store_factory([THING])
    yield built
    built.close()


def _is_test_or_fixture(name: str, value: object) -> bool:
    return name.startswith("test_") or hasattr(value, "_fixture_function_marker")


# what `import *` hands a test module: the suite's tests and fixtures, and the kit's
_SUITE = sorted(name for name, value in dict(globals()).items() if _is_test_or_fixture(name, value))
__all__ = [*_SUITE, "BUILT_IN_STORES", "built_in_stores"]
