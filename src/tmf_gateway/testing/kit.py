"""What every adapter contract shares: the `harness` fixture an author provides, the adapter
it builds (closed afterwards), and `contract_tests`, a contract's test class in one line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


class AdapterContract:
    """Base of the contract classes. A contract names the fixture its tests receive the adapter
    under: `class OrderFulfilmentContract(AdapterContract, adapter_fixture="fulfilment")`."""

    def __init_subclass__(cls, adapter_fixture: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if adapter_fixture is not None:

            def alias(self: Any, adapter: Any) -> Any:
                return adapter

            setattr(cls, adapter_fixture, pytest.fixture(alias, name=adapter_fixture))

    @pytest.fixture
    def harness(self) -> Any:
        raise NotImplementedError(
            f"override the `harness` fixture of {type(self).__name__} with your harness"
        )

    @pytest.fixture
    def adapter(self, harness: Any) -> Iterator[Any]:
        built = harness.adapter()
        yield built
        close = getattr(built, "close", None)  # optional: release connections
        if callable(close):
            close()


def available(case: T | None, missing: str) -> T:
    """The harness's case, or skip the test saying which one the harness cannot produce."""
    if case is None:
        pytest.skip(f"this harness has no {missing}")
    return case


def contract_tests(contract: type, harness: Callable[..., Any], *fixtures: str) -> type:
    """A pytest test class: `contract`'s tests against `harness(*the named fixtures' values)`.

        TestAcmeFulfilment = contract_tests(OrderFulfilmentContract, AcmeHarness, "acme")
    """

    @pytest.fixture
    def built_harness(self: Any, request: pytest.FixtureRequest) -> Any:
        return harness(*(request.getfixturevalue(name) for name in fixtures))

    name = f"Test{getattr(harness, '__name__', 'Harness')}{contract.__name__}"
    return type(name, (contract,), {"harness": built_harness})
