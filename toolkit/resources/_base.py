"""What every namespace shares: where routes live, how a call is described, how an operation is run."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import pandas as pd

from toolkit import frames
from toolkit._transport import Call
from toolkit.errors import ConfigurationError, OutcomeUnknownError, PharmaOneError
from toolkit.pagination import Progress, offset_pages

P = ParamSpec("P")
UnknownOutcome = Callable[[PharmaOneError], OutcomeUnknownError]
T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """Where the routes are and how listings behave; shared by every namespace of one client."""

    base_url: str
    org_id: str
    shop_url: str | None
    max_concurrency: int
    progress: bool | None

    def v2(self, path: str) -> str:
        return f"{self.base_url}/api/v2/public/orgs/{self.org_id}{path}"

    def v1(self, path: str) -> str:
        return f"{self.base_url}/api/v1/public/orgs/{self.org_id}{path}"

    def shop(self, path: str) -> str:
        if not self.shop_url:
            raise ConfigurationError(
                "This call goes to the shop proxy, but no shop URL is set: pass shop_url= to the client "
                "or set P1_SHOP_URL.",
                missing=("P1_SHOP_URL",),
            )
        return f"{self.shop_url}{path}"

    def progress_bar(self, description: str) -> Progress:
        return Progress(self.progress, description)


class Namespace:
    """A group of routes. Methods are generators run by the client's runner (sync or async)."""

    def __init__(self, context: Context, run: Callable[[Generator[Any, Any, Any]], Any]) -> None:
        self._ctx = context
        self._run = run

    def _call(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> Call:
        """A JWT-authenticated v2 call; safe to retry (reads and idempotent writes)."""
        return Call(method, self._ctx.v2(path), label=f"{method} {path}", params=params, json=json)

    def _offset_listing(
        self,
        path: str,
        filters: dict[str, Any],
        *,
        max_limit: int,
        max_rows: int | None,
        schema: frames.Schema,
        documented_limit: int | None = None,
    ) -> Generator[Any, Any, pd.DataFrame]:
        """Every row of an offset-paginated route as a frame (at most `max_rows`).

        `documented_limit`: the page size to fall back to when a server refuses `max_limit` (our choice).
        """

        def page(offset: int, limit: int) -> Call:
            return self._call("GET", path, params={**filters, "limit": limit, "offset": offset})

        rows = yield from offset_pages(
            page,
            limit=min(max_limit, max_rows or max_limit),
            concurrency=self._ctx.max_concurrency,
            max_rows=max_rows,
            progress=self._ctx.progress_bar(path.strip("/")),
            documented_limit=documented_limit,
        )
        return frames.to_frame(rows, schema)

    def _call_once(
        self,
        path: str,
        body: dict[str, Any],
        unknown_outcome: Callable[[PharmaOneError], OutcomeUnknownError],
    ) -> Call:
        """A POST that must not happen twice: retried only when it provably never arrived (connect error,
        429); after a timeout, dropped connection or 5xx, `unknown_outcome` builds the error raised."""
        return Call(
            "POST",
            self._ctx.v2(path),
            label=f"POST {path}",
            json=body,
            idempotent=False,
            unknown_outcome=unknown_outcome,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} namespace of PharmaOne org {self._ctx.org_id}>"


def operation(fn: Callable[P, Generator[Any, Any, T]]) -> Callable[P, T]:
    """Turn a generator method into a method that runs it (returns the value, or an awaitable in async)."""

    @functools.wraps(fn)
    def run(self: Namespace, *args: Any, **kwargs: Any) -> Any:
        return self._run(fn(self, *args, **kwargs))

    returns = _produced_type(fn)
    run.__annotations__ = {**fn.__annotations__, "return": returns}
    run.__signature__ = inspect.signature(fn).replace(return_annotation=returns)  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]


def _produced_type(fn: Callable[..., Any]) -> Any:
    """What a generator operation returns (the `T` of `Generator[..., ..., T]`), for help() and IDEs."""
    try:
        annotation = typing.get_type_hints(fn).get("return")
    except (NameError, TypeError):  # e.g. a name only imported for type checkers: fall back to the text
        annotation = fn.__annotations__.get("return")
    if isinstance(annotation, str):
        return (
            annotation.rsplit(",", 1)[-1].strip(" ]") if annotation.startswith("Generator[") else annotation
        )
    args = typing.get_args(annotation)
    return args[2] if typing.get_origin(annotation) is Generator and len(args) == 3 else annotation


def compact(**fields: Any) -> dict[str, Any]:
    """The given fields without the ones left as None (optional fields are not sent)."""
    return {key: value for key, value in fields.items() if value is not None}
