"""Full listings, written once for sync and async: every page fetched, concurrently where the style allows.

* offset with `total` (orders): the first page gives the total, the remaining offsets go out at once (the
  runner bounds concurrency); a later page reporting a larger total (new orders push old ones to later
  offsets, the list being newest first) makes the listing be read again in order, so none is lost; rows
  are de-duplicated by id.
* offset without `total` (prescriptions, or any listing whose server leaves it out): waves of
  `concurrency` pages until a short page.
* page numbers (products): `totalPages`/`total` from the pagination block when present, else waves.

Servers may page differently from what we ask: the page size used is the one the server says (or, when
it says none, the one it sent), and a page size a server refuses falls back to the documented one.

Each returns the rows (list of dicts); the caller turns them into a frame in one go.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable
from typing import Any

from toolkit import errors
from toolkit._runner import Batch, Operation
from toolkit._transport import Call

#: With `progress=None` ("auto"), a bar appears for listings of at least this many pages, and only in a
#: terminal or a notebook (a service's logs get no bars).
AUTO_PROGRESS_MIN_PAGES = 5


class Progress:
    """A tqdm.auto bar over pages, or nothing (progress=False, or a short listing under progress=None)."""

    def __init__(self, setting: bool | None, description: str) -> None:
        self._setting, self._description, self._bar = setting, description, None

    def start(self, pages: int | None, done: int = 1) -> None:
        known = pages if pages is not None else done
        wanted = self._setting
        if wanted is None:
            wanted = known >= AUTO_PROGRESS_MIN_PAGES and _interactive()
        if wanted and self._bar is None:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=pages, initial=done, desc=self._description, unit="page", leave=False)
        elif self._bar is not None and pages:
            self._bar.total = pages
            self._bar.refresh()

    def step(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _interactive() -> bool:
    """A terminal or a notebook is watching (not a service writing stderr to a log)."""
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    ipython = sys.modules.get("IPython")
    return ipython is not None and ipython.get_ipython() is not None


def _block(body: dict[str, Any]) -> dict[str, Any]:
    """The pagination block: nested under `pagination`, or (page style) at the top level."""
    nested = body.get("pagination")
    return nested if isinstance(nested, dict) else body


def _int(block: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = block.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def data_rows(body: Any) -> list[dict[str, Any]]:
    """The items of a list answer (`{"data": [...]}`; a bare list is accepted too)."""
    rows = body.get("data") if isinstance(body, dict) else body
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _page_size(body: dict[str, Any], requested: int, *keys: str) -> int:
    """The page size the server really used (it may cap our limit)."""
    echoed = _int(_block(body), *keys)
    return max(1, min(echoed, requested)) if echoed else requested


class _Rows:
    """Collects rows in page order, dropping repeats of an id already seen."""

    def __init__(self, key: str | None) -> None:
        self._key, self._seen, self.rows = key, set(), []

    def add(self, rows: Iterable[dict[str, Any]]) -> int:
        """Keep the rows not seen before; returns how many were new."""
        before = len(self.rows)
        if self._key is None:
            self.rows.extend(rows)
            return len(self.rows) - before
        for row in rows:
            ident = row.get(self._key)
            if ident is None or ident not in self._seen:
                self._seen.add(ident)
                self.rows.append(row)
        return len(self.rows) - before

    def clear(self) -> None:
        self.rows, self._seen = [], set()

    def result(self, max_rows: int | None) -> list[dict[str, Any]]:
        return self.rows if max_rows is None else self.rows[:max_rows]


def offset_pages(
    page: Callable[[int, int], Call],
    *,
    limit: int,
    concurrency: int,
    max_rows: int | None,
    progress: Progress,
    key: str = "id",
    documented_limit: int | None = None,
) -> Operation[list[dict[str, Any]]]:
    """All rows of an offset listing; `page(offset, limit)` builds the call for one page.

    With a `total` (orders) the remaining offsets go out at once, and again up to any larger total a later
    page reports; without one (prescriptions) pages go out in waves until a short page.
    """
    first, limit = yield from _first_page(lambda n: page(0, n), limit, documented_limit)
    rows = _Rows(key)
    got = data_rows(first)
    rows.add(got)
    size = _page_size(first, limit, "limit")
    total = _int(_block(first), "total")
    said_size = _int(_block(first), "limit") is not None
    going_on = yield from _after_first(got, size, total, max_rows, said_size, lambda n: page(n, n), rows)
    if going_on is None:
        return rows.result(max_rows)
    size, start = going_on
    end = None if max_rows is None else math.ceil(max_rows / size)
    try:
        if total is None:
            calls = lambda n: page(n * size, size)  # noqa: E731
            yield from _in_waves(calls, rows, size, concurrency, progress, end, start=start)
        else:
            yield from _up_to_total(page, rows, size, total, max_rows, progress)
    finally:
        progress.close()
    return rows.result(max_rows)


def _first_page(
    first_page: Callable[[int], Call], limit: int, documented_limit: int | None
) -> Operation[tuple[Any, int]]:
    """The first page and the page size it was asked with.

    Where the reference names no maximum page size, `limit` is our choice; a server that refuses it (400 or
    422) is asked again with `documented_limit`, the size the reference shows.
    """
    try:
        return (yield first_page(limit)), limit
    except (errors.BadRequestError, errors.UnprocessableEntityError):
        if documented_limit is None or limit <= documented_limit:
            raise
    return (yield first_page(documented_limit)), documented_limit


def _after_first(
    got: list[dict[str, Any]],
    size: int,
    total: int | None,
    max_rows: int | None,
    said_size: bool,
    second_page: Callable[[int], Call],
    rows: _Rows,
) -> Operation[tuple[int, int] | None]:
    """(page size, next page number) to go on with after the first page, or None when it was all.

    A first page with fewer rows than the page size is the last one, unless the server's pages are smaller
    than it says: it reported a total the rows do not reach, or it reported neither a total nor a page size
    (then `second_page(n)`, the page after n rows, tells the last page from a smaller one).
    """
    if len(got) >= size:
        return size, 1
    if not got or (total is None and said_size) or len(got) >= min(total or math.inf, max_rows or math.inf):
        return None
    if total is None:
        second = yield second_page(len(got))
        if not rows.add(data_rows(second)) or len(data_rows(second)) < len(got):
            return None
        return len(got), 2
    return len(got), 1


def _up_to_total(
    page: Callable[[int, int], Call],
    rows: _Rows,
    size: int,
    total: int,
    max_rows: int | None,
    progress: Progress,
) -> Operation[None]:
    """Fetch every offset after the first page up to `total` at once; if the total grew meanwhile, again.

    Pages fetched at once are answered in any order. When rows arrive meanwhile at the front of a newest-
    first list, a lower page answered after the arrival and a higher one answered before it can both miss
    the rows pushed across their boundary. So when the total grew, the listing is read again page after
    page, in order: there later pages only ever see more arrivals than earlier ones, and nothing slips.
    """
    target = total if max_rows is None else min(total, max_rows)
    grew = False
    if size < target:
        progress.start(math.ceil(target / size), done=1)
        bodies = yield Batch(tuple(page(offset, size) for offset in range(size, target, size)), progress.step)
        for body in bodies:
            rows.add(data_rows(body))
            grew = grew or (_int(_block(body), "total") or 0) > total
    if grew:
        yield from _in_order(page, rows, size, max_rows)


def _in_order(
    page: Callable[[int, int], Call], rows: _Rows, size: int, max_rows: int | None
) -> Operation[None]:
    """Read the listing again from offset 0, one page after the other, until a short page or `max_rows`."""
    rows.clear()
    offset = 0
    while max_rows is None or len(rows.rows) < max_rows:
        body = yield page(offset, size)
        rows.add(got := data_rows(body))
        total = _int(_block(body), "total")
        offset += size
        if len(got) < size or (total is not None and offset >= total):
            return


def _in_waves(
    call_for: Callable[[int], Call],
    rows: _Rows,
    size: int,
    concurrency: int,
    progress: Progress,
    end: int | None = None,
    *,
    start: int = 1,
) -> Operation[None]:
    """Fetch pages `start`, `start` + 1, ... in waves of `concurrency` until a short page or `end`."""
    number, short = start, False
    while not short and (end is None or number < end):
        numbers = range(number, number + concurrency if end is None else min(end, number + concurrency))
        progress.start(None, done=number)
        bodies = yield Batch(tuple(call_for(n) for n in numbers), progress.step)
        before = len(rows.rows)
        for body in bodies:
            rows.add(data_rows(body))
            short = short or len(data_rows(body)) < size
        short = short or len(rows.rows) == before  # a server that ignores offset/page: stop, not loop
        number = numbers[-1] + 1


def numbered_pages(
    page: Callable[[int, int], Call],
    *,
    limit: int,
    concurrency: int,
    progress: Progress,
    key: str,
    documented_limit: int | None = None,
) -> Operation[list[dict[str, Any]]]:
    """All rows of a page-numbered listing (first page is 1), using totalPages/total when reported."""
    first, limit = yield from _first_page(lambda n: page(1, n), limit, documented_limit)
    rows = _Rows(key)
    got = data_rows(first)
    rows.add(got)
    size = _page_size(first, limit, "pageSize", "page_size", "limit")
    block = _block(first)
    pages = _int(block, "totalPages", "total_pages")
    total = _int(block, "total")
    start = 1
    if pages is None:
        said_size = _int(block, "pageSize", "page_size", "limit") is not None
        going_on = yield from _after_first(got, size, total, None, said_size, lambda n: page(2, n), rows)
        if going_on is None:
            return rows.result(None)
        size, start = going_on
    if pages is None and total is not None:
        pages = math.ceil(total / size)
    try:
        if pages is None:
            calls = lambda n: page(n + 1, size)  # noqa: E731
            yield from _in_waves(calls, rows, size, concurrency, progress, start=start)
        elif pages > 1:
            progress.start(pages)
            bodies = yield Batch(tuple(page(n, size) for n in range(2, pages + 1)), progress.step)
            for body in bodies:
                rows.add(data_rows(body))
    finally:
        progress.close()
    return rows.result(None)
