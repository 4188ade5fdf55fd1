"""A sandbox and a client for the form tests, and a guard that fails a test on any widget-callback error.

ipywidgets catches exceptions raised in button callbacks and only logs them (outside IPython), so a broken
callback would look like a button that does nothing; `callback_errors` turns those log records into failures.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import ipywidgets as W
import pytest

from toolkit import Client
from toolkit.sandbox import Sandbox


class _RecordErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


@pytest.fixture
def callback_errors() -> Iterator[list[logging.LogRecord]]:
    """The records of exceptions raised inside widget callbacks during the test."""
    handler = _RecordErrors()
    logger = W.widgets.widget.CallbackDispatcher().log
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


@pytest.fixture(autouse=True)
def _fail_on_callback_errors(callback_errors: list[logging.LogRecord]) -> Iterator[None]:
    yield
    if callback_errors:
        details = "\n".join(logging.Formatter().format(record) for record in callback_errors)
        pytest.fail(f"exception(s) inside widget callbacks:\n{details}")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A small private sandbox per module (these tests inject faults and latency), not the shared one."""
    with Sandbox(seed=11, orders=20) as server:
        yield server


@pytest.fixture
def p1(sandbox: Sandbox) -> Iterator[Client]:
    """A fresh client on the module's sandbox, whose request log starts empty."""
    time.sleep(0.1)  # the sandbox logs a request just after answering it: let the last test's entries land
    sandbox.clear_received()
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, shop_url=sandbox.shop_url) as client:
        yield client
