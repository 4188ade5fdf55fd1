"""Reading what a form shows, for the widget tests."""

from __future__ import annotations

import html
import json
import re
import time
from typing import Any

import ipywidgets as W


def shown_text(widget: W.HTML) -> str:
    """What an HTML output widget shows, as plain text."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", widget.value)).split())


def shown_json(widget: W.HTML) -> Any:
    """The JSON inside an HTML output widget's <pre>."""
    match = re.search(r"<pre[^>]*>(.*)</pre>", widget.value, re.S)
    assert match, f"no JSON shown: {widget.value!r}"
    return json.loads(html.unescape(match.group(1)))


def received(sandbox: Any, method: str, path_contains: str, *, expect: int = 0) -> list[dict[str, Any]]:
    """The sandbox's log of matching requests, once it has caught up with what the client already saw.

    The sandbox logs a request after its response has gone out, so the entry can trail the client's answer
    by a moment: wait (up to 5 s) for `expect` entries, then briefly for any unexpected extra one.
    """
    deadline = time.monotonic() + 5
    while len(sandbox.received(method, path_contains)) < expect and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    return sandbox.received(method, path_contains)
