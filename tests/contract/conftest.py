"""The store kit's `store` fixture (every built-in store, fresh per test) for the contract tests
here; the kit's own suite runs from test_store_kit.py."""

from tmf_gateway.testing.stores import store, store_factory  # noqa: F401  (fixtures)
