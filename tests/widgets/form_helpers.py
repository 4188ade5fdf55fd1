"""Reading what a form shows, for the widget tests."""

from __future__ import annotations

import html
import json
import re
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
