"""The CI rule for adapter test suites: a test that needs a server must not skip under CI=true.

Import both hooks into your tests' conftest.py:
    from tmf_gateway.testing.ci import pytest_collection_modifyitems, pytest_runtest_makereport
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

SERVER_MARKERS = ("postgres", "broker", "redis", "browser")  # browser: the system Chromium
_CI_KEY = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_CI_KEY] = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    needs_server = any(item.get_closest_marker(m) for m in SERVER_MARKERS)
    if report.skipped and needs_server and item.config.stash.get(_CI_KEY, False):
        report.outcome = "failed"
        report.longrepr = f"CI=true: {item.nodeid} would skip, but CI must run it"
