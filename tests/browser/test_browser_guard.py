"""The loopback guard of the browser tests can fail: it blocks and records a request to another host."""

from __future__ import annotations

import pytest
from browser_harness import LoopbackGuard, leaves_loopback
from playwright.sync_api import Browser


@pytest.mark.parametrize(
    ("url", "leaves"),
    [
        ("http://127.0.0.1:8866/voila/static/voila.js", False),
        ("ws://127.0.0.1:8866/api/kernels/1/channels", False),
        ("data:image/png;base64,AAAA", False),
        ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css", True),
        ("http://localhost:8866/", True),  # only 127.0.0.1 is served: a name would need a resolver
        ("wss://example.com/socket", True),
    ],
)
def test_what_leaves_127_0_0_1(url: str, leaves: bool) -> None:
    assert leaves_loopback(url) is leaves


def test_the_guard_blocks_and_records_a_request_to_another_host(browser: Browser) -> None:
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        guard = LoopbackGuard()
        guard.watch(page)
        outcome = page.evaluate(
            "fetch('https://cdn.example.com/style.css').then(() => 'loaded', () => 'blocked')"
        )
    finally:
        context.close()
    assert outcome == "blocked"
    assert guard.foreign == ["https://cdn.example.com/style.css"]
