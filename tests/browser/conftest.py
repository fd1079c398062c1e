"""Headless Chromium from the system packages, driven by Playwright, against a gateway served
from this process (SQLite and PostgreSQL). Nothing is downloaded at test time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.inproc import serving
from tests.pg import fresh_schema
from tmf_gateway.config import Settings
from tmf_gateway.security.keys import KeyService

CHROMIUM = os.environ.get("TMF_GATEWAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SHOTS = Path(__file__).parent / "screenshots"
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)  # CI: a skip for want of Chromium fails


@pytest.fixture(scope="module")  # not session: Playwright's loop must be gone for later tests
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium; make test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def settings(**overrides) -> Settings:
    return Settings(
        security="on", background=True, console_secret_key="browser-tests",
        # the jeopardy job only flags the order: raising its priority is left to the console
        ordering={"jeopardy_interval_seconds": 0.3, "poll_interval_seconds": 0.2,
                  "jeopardy_escalation": ["event"]},
        southbound_options={"fulfilment": {"delay": 0.2}},
        delivery_max_attempts=1, dispatch_interval=0.1, **overrides,
    )


@pytest.fixture(scope="module", params=STORES)
def live(request, tmp_path_factory):
    """(base URL, app, store name) of a secured gateway with its background jobs running."""
    if request.param == "postgres":
        with fresh_schema() as url, serving(settings(store="postgresql", database_url=url)) as (
            base, app,
        ):
            yield base, app, request.param
        return
    db = tmp_path_factory.mktemp("browser") / "console.db"
    with serving(settings(database_url=f"sqlite:///{db}")) as (base, app):
        yield base, app, request.param


@pytest.fixture(scope="module")
def keys(live):
    _, app, _ = live
    service = KeyService(app.gateway.services.security.store)
    return {
        "ops": service.create("olga", ["ops"])[1],
        "api": service.create("crm", ["admin"])[1],
    }


@pytest.fixture
def page(browser, live, keys):
    """A fresh browser tab, not signed in."""
    context = browser.new_context(viewport={"width": 1100, "height": 760},
                                  base_url=live[0])
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def shot(live, request):
    """Save a screenshot named after the test, the store and a step."""
    SHOTS.mkdir(exist_ok=True)

    def take(tab, step: str) -> Path:
        path = SHOTS / f"{request.node.originalname}-{live[2]}-{step}.png"
        tab.wait_for_load_state("load")
        tab.screenshot(path=str(path))
        assert path.stat().st_size > 1000
        return path

    return take


def sign_in(tab, credential: str) -> None:
    tab.goto("/console/")
    tab.get_by_label("API key or bearer token").fill(credential)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url("**/console/")
