"""The report's figures against plain-Python computations over the same frames."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from report_frames import (
    SHOPS,
    inventory_frame,
    items_frame,
    orders_frame,
    prescriptions_frame,
    random_orders,
    random_prescriptions,
    shops_frame,
)

from toolkit.report import render_chart
from toolkit.report.compute import build_report, stock_alerts, top_products
from toolkit.report.days import day_boundaries
from toolkit.vocabulary import REVENUE_EXCLUDED_ORDER_STATUSES

BERLIN = ZoneInfo("Europe/Berlin")


def build(day: date, orders: list[dict], prescriptions: list[dict] = (), tz: str = "Europe/Berlin", **kw):
    return build_report(
        day=day,
        tz=tz,
        orders=orders_frame(orders),
        shops=shops_frame(),
        prescriptions=prescriptions_frame(list(prescriptions)),
        inventory=kw.get("inventory", inventory_frame({"A": 5})),
        items=kw.get("items", items_frame([])),
        order_requests=None,
        low_stock_threshold=10,
        generated_at=datetime(2027, 1, 1, tzinfo=UTC),
        sources={},
    )


def local_day(moment: datetime, tz=BERLIN) -> date:
    return moment.astimezone(tz).date()


def loop_totals(orders: list[dict], day: date) -> tuple[int, float]:
    count, revenue = 0, 0.0
    for order in orders:
        if local_day(order["created_at"]) == day:
            count += 1
            if order["status"] not in REVENUE_EXCLUDED_ORDER_STATUSES:
                revenue += order["total_amount"]
    return count, revenue


@pytest.mark.parametrize("day", [date(2026, 6, 14), date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 30)])
def test_figures_match_a_plain_loop(day: date) -> None:
    end = datetime.combine(day + timedelta(days=2), datetime.min.time(), BERLIN)
    orders = random_orders(3000, end, days=25, seed=day.toordinal())
    prescriptions = random_prescriptions(400, end, days=25, seed=day.toordinal())
    report = build(day, orders, prescriptions)

    count, revenue = loop_totals(orders, day)
    assert report.totals.orders == count > 0
    assert report.totals.revenue == pytest.approx(revenue)

    previous = loop_totals(orders, day - timedelta(days=1))
    assert report.vs_previous_day.baseline.orders == previous[0]
    assert report.vs_previous_day.revenue_delta == pytest.approx(revenue - previous[1])
    week = [loop_totals(orders, day - timedelta(days=n)) for n in range(1, 8)]
    assert report.vs_week_average.baseline.orders == pytest.approx(sum(c for c, _ in week) / 7)
    assert report.vs_week_average.baseline.revenue == pytest.approx(sum(r for _, r in week) / 7)
    assert report.vs_previous_day.orders_pct == pytest.approx((count - previous[0]) / previous[0])

    shops: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    statuses: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for order in orders:
        if local_day(order["created_at"]) == day:
            shops[order["shop_id"]][0] += 1
            statuses[order["status"]][0] += 1
            statuses[order["status"]][1] += order["total_amount"]
            if order["status"] not in REVENUE_EXCLUDED_ORDER_STATUSES:
                shops[order["shop_id"]][1] += order["total_amount"]
    by_shop = {row.shop_id: (row.orders, row.revenue) for row in report.by_shop.itertuples()}
    assert set(by_shop) == {s for s, _ in SHOPS} | {"release23"}
    for shop_id, (n, amount) in shops.items():
        assert by_shop[shop_id] == (n, pytest.approx(amount))
    by_status = {row.status: (row.orders, row.amount) for row in report.by_status.itertuples()}
    assert by_status == {s: (n, pytest.approx(a)) for s, (n, a) in statuses.items()}

    received = [p for p in prescriptions if local_day(p["created_at"]) == day]
    assert report.prescriptions.received == len(received)
    received_status = Counter(p["status"] for p in received)
    all_status = Counter(p["status"] for p in prescriptions)
    for status in ("new", "pending", "approved"):
        assert report.prescriptions.received_by_status[status] == received_status[status]
        assert report.prescriptions.now_by_status[status] == all_status[status]


def test_daily_frame_covers_fourteen_days_and_every_shop() -> None:
    day = date(2026, 10, 25)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), BERLIN)
    orders = random_orders(2000, end, days=30, seed=3)
    report = build(day, orders)
    days = [day - timedelta(days=n) for n in range(13, -1, -1)]
    assert sorted(set(report.daily["day"])) == days
    assert len(report.daily) == 14 * 4
    for row in report.daily.itertuples():
        expected = sum(
            1 for o in orders if local_day(o["created_at"]) == row.day and o["shop_id"] == row.shop_id
        )
        assert row.orders == expected
    names = dict(zip(report.daily["shop_id"], report.daily["shop"], strict=True))
    assert names["shop1"] == "Demo Shop DEV" and names["release23"] == "release23"


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)]
)
def test_dst_days_are_local_midnight_to_midnight(day: date, hours: int) -> None:
    start = datetime.combine(day, datetime.min.time(), BERLIN).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), BERLIN).astimezone(UTC)
    edges = [
        start - timedelta(microseconds=1),
        start,
        start + timedelta(hours=hours) - timedelta(microseconds=1),
        end,
    ]
    orders = [{"shop_id": "shop1", "status": "pending", "total_amount": 10.0, "created_at": t} for t in edges]
    report = build(day, orders)
    assert report.end - report.start == timedelta(hours=hours)
    assert report.totals.orders == 2  # the first instant of the day and the last microsecond
    assert report.vs_previous_day.baseline.orders == 1
    boundaries = day_boundaries(day, 1, "Europe/Berlin")
    assert (boundaries[1] - boundaries[0]) == pd.Timedelta(hours=hours)


def test_cancelled_orders_count_but_earn_nothing() -> None:
    at = datetime(2026, 6, 14, 10, tzinfo=UTC)
    orders = [
        {"shop_id": "shop1", "status": "cancelled", "total_amount": 50.0, "created_at": at},
        {"shop_id": "shop1", "status": "completed", "total_amount": 20.0, "created_at": at},
    ]
    report = build(date(2026, 6, 14), orders)
    assert (report.totals.orders, report.totals.revenue) == (2, 20.0)
    assert report.vs_week_average.orders_pct is None  # nothing in the week before: no percentage


def test_a_day_without_orders_still_has_every_shop_and_zero_totals() -> None:
    report = build(date(2026, 6, 14), [])
    assert report.totals.orders == 0 and report.totals.revenue == 0.0
    assert list(report.by_shop["orders"]) == [0, 0, 0]
    assert report.by_status.empty and list(report.by_status.columns) == ["status", "orders", "amount"]


def test_top_products_by_units_grouped_by_name() -> None:
    lines = [
        ("B", "2", 3, 1.0),
        ("A", "1", 2, 5.0),
        ("B", None, 4, 1.0),
        ("C", "3", 7, 2.0),
        ("A", "1", 5, 5.0),
    ]
    table = top_products(items_frame(lines), limit=2)
    assert list(table["name"]) == ["A", "B"]  # A and B both 7 units, C also 7: ties by name, limit 2
    assert list(table["units"]) == [7, 7]
    assert table["revenue"].tolist() == [35.0, 7.0]


def test_stock_alerts_split_low_and_out() -> None:
    inventory = inventory_frame(
        {"zero": 0, "one": 1, "ten": 10, "eleven": 11, "negative": -2, "unknown": None}
    )
    low, out = stock_alerts(inventory, threshold=10)
    assert list(low["name"]) == ["one", "ten"]
    assert list(out["name"]) == ["negative", "zero"]


def test_a_report_without_orders_still_charts() -> None:
    png = render_chart(build(date(2026, 6, 14), []))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
