"""Fixtures shared by every test area. Areas append their own below; keep the sandbox ones as they are."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from toolkit.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One running sandbox for the whole session (seed 7, default size). Tests that change state
    should change only what they create, or use `make_sandbox` for a private one."""
    with Sandbox(seed=7) as running:
        yield running


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., Sandbox]]:
    """`make_sandbox(**options)` starts a fresh Sandbox; every one started is stopped after the test."""
    started: list[Sandbox] = []

    def start(**options: Any) -> Sandbox:
        running = Sandbox(**options).start()
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


# --- toolkit -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def p1(sandbox: Sandbox) -> Iterator[Any]:
    """A toolkit Client connected to the session sandbox (no progress bars)."""
    from toolkit import Client

    with Client(
        sandbox.base_url, sandbox.org_id, sandbox.api_key, shop_url=sandbox.shop_url, progress=False
    ) as client:
        client.sandbox_server = sandbox
        yield client
