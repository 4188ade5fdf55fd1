"""`daily_report(p1, day)`: fetches each frame the report needs once, then `compute.build_report`.

What comes from where (also in `DailyReport.sources`):
* orders, revenue, by shop / status, comparisons, chart: `GET /orders` (every page: the API has no date
  filter), bucketed into local days in `tz`;
* top products: the line items (`GET /orders/{id}`) of the report day's orders that count as revenue;
* prescriptions: `GET /prescriptions` (received = created in the local day; statuses as of now);
* low / out of stock: `GET /inventory` (stock now: the API keeps no stock per past day);
* order requests received: not available. No route reads order requests and `/reports/stats` does not
  count them (it carries prescriptions, orders and customers), so the report says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from toolkit.frames import ORDER_ITEMS, to_frame
from toolkit.report.compute import DailyReport, build_report, orders_window
from toolkit.report.days import ReportDateError, local_today, parse_report_day, zone
from toolkit.vocabulary import LOW_STOCK_THRESHOLD, REVENUE_EXCLUDED_ORDER_STATUSES

DEFAULT_TZ = "Europe/Berlin"
#: Why the report has no count of order requests received (its renderings say "not available").
ORDER_REQUESTS_SOURCE = (
    "not available from the API: no route reads order requests, and /reports/stats does not count them"
)
#: Concurrent GET /orders/{id} calls for the day's line items (the client bounds its own pages too).
DETAIL_CONCURRENCY = 8


def daily_report(
    p1: Any,
    day: date | str | None = None,
    *,
    tz: str = DEFAULT_TZ,
    low_stock_threshold: int = LOW_STOCK_THRESHOLD,
    now: datetime | None = None,
) -> DailyReport:
    """The report for local `day` in `tz` (a date, 'YYYY-MM-DD', or None for yesterday).

    Raises `ReportDateError` (a ValueError) for a malformed day, a day after today (at `now`) or a day
    before the first order — checked before anything else is fetched. `now` defaults to the real time.
    """
    now = now or datetime.now(UTC)
    zone(tz)
    day = parse_report_day(day, today=local_today(tz, now))
    orders = p1.orders.list()
    if orders.empty:
        raise ReportDateError("there are no orders yet, so there is nothing to report on")
    first_day = orders["created_at"].min().tz_convert(tz).date()
    parse_report_day(day, today=local_today(tz, now), first_day=first_day)

    report_day_orders = _revenue_orders_of(orders, day, tz)
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="p1-report") as pool:
        shops = pool.submit(p1.shops.list)
        prescriptions = pool.submit(p1.prescriptions.list)
        inventory = pool.submit(p1.inventory.list)
        items = _line_items(p1.orders.get, report_day_orders)
        return build_report(
            day=day,
            tz=tz,
            orders=orders,
            shops=shops.result(),
            prescriptions=prescriptions.result(),
            inventory=inventory.result(),
            items=items,
            order_requests=None,  # see ORDER_REQUESTS_SOURCE
            low_stock_threshold=low_stock_threshold,
            generated_at=now,
            sources=_sources(tz, len(report_day_orders)),
        )


def _revenue_orders_of(orders: pd.DataFrame, day: date, tz: str) -> list[str]:
    """Ids of the orders created on local `day` that count as revenue (their lines make "top products")."""
    window = orders_window(orders, day, 1, tz)  # keeps the index of `orders`
    counted = window.index[~window["status"].isin(REVENUE_EXCLUDED_ORDER_STATUSES).to_numpy(dtype=bool)]
    return orders.loc[counted, "id"].astype(str).tolist()


def _line_items(get_order: Callable[[str], Any], order_ids: list[str]) -> pd.DataFrame:
    """All line items of `order_ids` in one frame (name, p1_id, quantity, price, line_total)."""
    if not order_ids:
        return to_frame([], ORDER_ITEMS)
    with ThreadPoolExecutor(max_workers=DETAIL_CONCURRENCY, thread_name_prefix="p1-report-items") as pool:
        orders = list(pool.map(get_order, order_ids))
    return to_frame([item.model_dump() for order in orders for item in order.items], ORDER_ITEMS)


def _sources(tz: str, detail_orders: int) -> dict[str, str]:
    return {
        "Orders, revenue, by shop and status, comparisons, chart": (
            f"GET /orders (every page), counted by local day in {tz}; revenue leaves out cancelled orders"
        ),
        "Top products": (
            f"line items of the day's {detail_orders} orders that count as revenue (GET /orders/{{id}})"
        ),
        "Prescriptions": "GET /prescriptions: received = created that day; statuses as of now",
        "Low and out of stock": "GET /inventory: stock now (the API keeps no stock per past day)",
        "Order requests received": ORDER_REQUESTS_SOURCE,
    }
