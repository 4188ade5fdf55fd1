"""Fixtures of the browser tests: headless Chromium, one sandbox and one Voila server per test module.

A test module names its notebook in `NOTEBOOK`; its tests share one page of it (one kernel), watched by a
`LoopbackGuard`: at the end, the page must have made requests, all of them to 127.0.0.1.
Without Chromium every test here is skipped with a message that says how to install it (in CI, where
.ci/run installs it, they fail instead).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser_harness import (
    CHROMIUM_ARGS,
    CHROMIUM_INSTALL_HINT,
    NOTEBOOKS,
    LoopbackGuard,
    VoilaServer,
    chromium_path,
    quiet_home_env,
)
from playwright.sync_api import Browser, Page, expect, sync_playwright

from toolkit.sandbox import Sandbox

#: Generous: a kernel on a busy 2-core machine can take seconds to answer a click.
WAIT_MS = 30_000
#: Loading the page runs the whole notebook in a new kernel.
PAGE_LOAD_MS = 120_000
expect.set_options(timeout=WAIT_MS)
#: A module's first test also waits for Voila to start and for the page to run the notebook in a new kernel.
NOTEBOOK_TEST_TIMEOUT_S = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "voila" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(NOTEBOOK_TEST_TIMEOUT_S))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium for one module: Playwright's sync API keeps an event loop running in this thread while it
    lives, which would break every later test that calls asyncio.run(); so it ends with its module."""
    executable = chromium_path()
    if executable is None and os.environ.get("CI"):
        pytest.fail(CHROMIUM_INSTALL_HINT)  # CI installs it (.ci/run): there a missing browser is an error
    if executable is None:
        pytest.skip(CHROMIUM_INSTALL_HINT)
    env = {**os.environ, **quiet_home_env(tmp_path_factory.mktemp("chromium"))}
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, env=env)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A small private sandbox for the module's notebook (overrides the session-wide one)."""
    with Sandbox(seed=5, orders=20) as running:
        yield running


@pytest.fixture(scope="module")
def voila(
    request: pytest.FixtureRequest,
    browser: Browser,
    sandbox: Sandbox,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[VoilaServer]:
    """The module's NOTEBOOK served by Voila, connected to the module's sandbox (after the Chromium check)."""
    server = VoilaServer(NOTEBOOKS / request.module.NOTEBOOK, sandbox, tmp_path_factory.mktemp("voila"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def voila_page(browser: Browser, voila: VoilaServer) -> Iterator[Page]:
    """The module's notebook in one page (one kernel) for all its tests, as a person would keep it open.

    Afterwards every request the page made must have stayed on 127.0.0.1, and no script on the page may have
    failed (an uncaught error there is what a widget that does not render looks like).
    """
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    loopback_guard = LoopbackGuard()
    loopback_guard.watch(page)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.goto(voila.url, timeout=PAGE_LOAD_MS)  # the page streams in while the kernel runs the notebook
    yield page
    context.close()
    assert loopback_guard.seen, "the guard saw no request at all: it is not watching the page"
    assert loopback_guard.foreign == [], f"requests that left 127.0.0.1: {loopback_guard.foreign}"
    assert script_errors == [], f"errors in the page's scripts: {script_errors}"
