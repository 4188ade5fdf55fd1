"""`/reports/*`. Each route names its date parameters differently on the wire; here they are uniform."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from typing import Any

from toolkit import validation
from toolkit.errors import InvalidArgumentError
from toolkit.models import Report
from toolkit.resources._base import Namespace, compact, operation

Day = date | str | None


class Reports(Namespace):
    @operation
    def stats(self, from_: Day = None, to: Day = None) -> Generator[Any, Any, Report]:
        """Prescription and order aggregates (`from`/`to` as YYYY-MM-DD); `.sections()` gives frames."""
        return (yield from self._report("stats", "/reports/stats", _range("from", from_, "to", to)))

    @operation
    def product_performance(self, from_: Day = None, to: Day = None) -> Generator[Any, Any, Report]:
        """Revenue and units per product against the previous period (default: last 30 days)."""
        params = _range("from", from_, "to", to)
        return (yield from self._report("product_performance", "/reports/product-performance", params))

    @operation
    def product_sales(
        self, from_: Day = None, to: Day = None, *, from_date: Day = None, to_date: Day = None
    ) -> Generator[Any, Any, Report]:
        """Per-product volume and revenue by order status (default: this month). Sent as from_date/to_date."""
        params = _range(
            "from_date",
            _either("from_", from_, "from_date", from_date),
            "to_date",
            _either("to", to, "to_date", to_date),
        )
        return (yield from self._report("product_sales", "/reports/product-sales", params))

    @operation
    def fees(
        self, month: Any = None, *, month_from: Any = None, month_to: Any = None
    ) -> Generator[Any, Any, Report]:
        """Monthly PharmaOne service fees: one `month`, `month_from`..`month_to`, or the last 24 months."""
        params = compact(
            month=validation.month("month", month),
            month_from=validation.month("month_from", month_from),
            month_to=validation.month("month_to", month_to),
        )
        if "month" in params and len(params) > 1:
            raise InvalidArgumentError("give either month or month_from + month_to, not both.")
        if ("month_from" in params) != ("month_to" in params):
            raise InvalidArgumentError("month_from and month_to go together: give both (YYYY-MM) or neither.")
        validation.date_range("month_from", params.get("month_from"), "month_to", params.get("month_to"))
        return (yield from self._report("fees", "/reports/pharmaone", params))

    def _report(self, name: str, path: str, params: dict[str, str]) -> Generator[Any, Any, Report]:
        body = yield self._call("GET", path, params=params)
        data = body.get("data", body) if isinstance(body, dict) else body
        return Report(name=name, data=data)


def _either(name: str, value: Day, alias: str, alias_value: Day) -> Day:
    if value is not None and alias_value is not None:
        raise InvalidArgumentError(f"give {name} or {alias}, not both (they are the same parameter).")
    return value if value is not None else alias_value


def _range(from_name: str, start: Day, to_name: str, end: Day) -> dict[str, str]:
    params = compact(**{from_name: validation.day(from_name, start), to_name: validation.day(to_name, end)})
    validation.date_range(from_name, params.get(from_name), to_name, params.get(to_name))
    return params
