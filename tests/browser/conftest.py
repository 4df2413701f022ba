"""A real Streamlit server and headless Chromium (Debian's, never `playwright install`).

Waits on Streamlit's run state, never on fixed sleeps: after an action a page is ready
when ``[data-testid=stApp]`` reports ``data-test-script-state=notRunning`` and no
skeleton placeholder remains.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    start_server,
    stop_server,
    wait_for_idle,  # noqa: F401  (the tests import it from here)
)


def _need_browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def server():
    _need_browser()
    proc, base = start_server()
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    context.close()
