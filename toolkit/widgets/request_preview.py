"""The body a toolkit write would send, built by the toolkit's own code without sending anything.

Toolkit operations are generators that yield the request they want sent (see `toolkit.resources._base`).
Running one up to its first request and stopping there gives the exact JSON body — same validation, same
defaults, same field names — so a preview can never drift from what the real call sends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def request_body(operation: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """The JSON `operation(*args, **kwargs)` would send; raises what the operation raises before sending.

    `operation` is a bound toolkit operation such as `p1.order_requests.create`.
    """
    generator = operation.__func__.__wrapped__(operation.__self__, *args, **kwargs)  # type: ignore[attr-defined]
    try:
        call = next(generator)
    finally:
        generator.close()
    return call.json
