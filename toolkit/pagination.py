"""Full listings, written once for sync and async: every page fetched, concurrently where the style allows.

* offset with `total` (orders): the first page gives the total, the remaining offsets go out at once (the
  runner bounds concurrency); a later page reporting a larger total (new orders push old ones to later
  offsets, the list being newest first) extends the listing, and rows are de-duplicated by id.
* offset without `total` (prescriptions): waves of `concurrency` pages until a short page.
* page numbers (products): `totalPages`/`total` from the pagination block when present, else waves.

Each returns the rows (list of dicts); the caller turns them into a frame in one go.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from toolkit._runner import Batch, Operation
from toolkit._transport import Call

#: With `progress=None` ("auto"), a bar appears for listings of at least this many pages.
AUTO_PROGRESS_MIN_PAGES = 5


class Progress:
    """A tqdm.auto bar over pages, or nothing (progress=False, or a short listing under progress=None)."""

    def __init__(self, setting: bool | None, description: str) -> None:
        self._setting, self._description, self._bar = setting, description, None

    def start(self, pages: int | None, done: int = 1) -> None:
        known = pages if pages is not None else done
        wanted = self._setting if self._setting is not None else known >= AUTO_PROGRESS_MIN_PAGES
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

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        if self._key is None:
            self.rows.extend(rows)
            return
        for row in rows:
            ident = row.get(self._key)
            if ident is None or ident not in self._seen:
                self._seen.add(ident)
                self.rows.append(row)

    def result(self, max_rows: int | None) -> list[dict[str, Any]]:
        return self.rows if max_rows is None else self.rows[:max_rows]


def offset_with_total(
    page: Callable[[int, int], Call], *, limit: int, max_rows: int | None, progress: Progress, key: str = "id"
) -> Operation[list[dict[str, Any]]]:
    """All rows of an offset listing whose pages report `total`; `page(offset, limit)` builds a call."""
    first = yield page(0, limit)
    rows = _Rows(key)
    rows.add(data_rows(first))
    size = _page_size(first, limit, "limit")
    if len(data_rows(first)) < size:
        return rows.result(max_rows)
    total = _int(_block(first), "total") or 0
    covered = size
    try:
        while covered < _cap(total, max_rows):
            target = _cap(total, max_rows)
            offsets = range(covered, target, size)
            progress.start(math.ceil(target / size), done=covered // size)
            bodies = yield Batch(tuple(page(offset, size) for offset in offsets), progress.step)
            for body in bodies:
                rows.add(data_rows(body))
                total = max(total, _int(_block(body), "total") or 0)
            covered = target
    finally:
        progress.close()
    return rows.result(max_rows)


def _cap(total: int, max_rows: int | None) -> int:
    return total if max_rows is None else min(total, max_rows)


def offset_until_short(
    page: Callable[[int, int], Call],
    *,
    limit: int,
    concurrency: int,
    max_rows: int | None,
    progress: Progress,
    key: str = "id",
) -> Operation[list[dict[str, Any]]]:
    """All rows of an offset listing without `total`: waves of `concurrency` pages until a short page."""
    first = yield page(0, limit)
    rows = _Rows(key)
    rows.add(data_rows(first))
    size = _page_size(first, limit, "limit")
    short = len(data_rows(first)) < size
    offset = size
    try:
        while not short and (max_rows is None or offset < max_rows):
            offsets = [offset + i * size for i in range(concurrency)]
            if max_rows is not None:
                offsets = [o for o in offsets if o < max_rows]
            progress.start(None, done=offset // size)
            bodies = yield Batch(tuple(page(o, size) for o in offsets), progress.step)
            before = len(rows.rows)
            for body in bodies:
                rows.add(data_rows(body))
                short = short or len(data_rows(body)) < size
            short = short or len(rows.rows) == before  # a server that ignores offset: stop, not loop
            offset = offsets[-1] + size
    finally:
        progress.close()
    return rows.result(max_rows)


def numbered_pages(
    page: Callable[[int, int], Call],
    *,
    limit: int,
    concurrency: int,
    progress: Progress,
    key: str,
) -> Operation[list[dict[str, Any]]]:
    """All rows of a page-numbered listing (first page is 1), using totalPages/total when reported."""
    first = yield page(1, limit)
    rows = _Rows(key)
    rows.add(data_rows(first))
    size = _page_size(first, limit, "pageSize", "page_size", "limit")
    block = _block(first)
    pages = _int(block, "totalPages", "total_pages")
    total = _int(block, "total")
    if pages is None and total is not None:
        pages = math.ceil(total / size)
    if len(data_rows(first)) < size and pages is None:
        return rows.result(None)
    try:
        if pages is not None:
            progress.start(pages)
            if pages > 1:
                bodies = yield Batch(tuple(page(n, size) for n in range(2, pages + 1)), progress.step)
                for body in bodies:
                    rows.add(data_rows(body))
            return rows.result(None)
        number, short = 2, False
        while not short:
            numbers = range(number, number + concurrency)
            progress.start(None, done=number - 1)
            bodies = yield Batch(tuple(page(n, size) for n in numbers), progress.step)
            before = len(rows.rows)
            for body in bodies:
                rows.add(data_rows(body))
                short = short or len(data_rows(body)) < size
            short = short or len(rows.rows) == before  # a server that ignores page: stop, not loop
            number += concurrency
    finally:
        progress.close()
    return rows.result(None)
