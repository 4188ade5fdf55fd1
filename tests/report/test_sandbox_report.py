"""`daily_report` on a seeded sandbox with a fixed end of data, against a loop over the sandbox's own rows.

The independent computation reads the sandbox's SQLite tables (`sb.query`) and counts with datetime and
zoneinfo one row at a time; the report goes through HTTP, the client's frames and vectorised pandas.
"""

from __future__ import annotations

import struct
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from toolkit import Client
from toolkit.report import ReportDateError, daily_report, render_chart
from toolkit.sandbox import Sandbox
from toolkit.vocabulary import REVENUE_EXCLUDED_ORDER_STATUSES

BERLIN = ZoneInfo("Europe/Berlin")
#: Ends of data just after the two DST days of 2026 and an ordinary summer day.
ENDS = {
    "summer": datetime(2026, 6, 15, 9, 0, tzinfo=UTC),
    "spring_forward": datetime(2026, 3, 30, 5, 0, tzinfo=UTC),
    "fall_back": datetime(2026, 10, 26, 5, 0, tzinfo=UTC),
}


def connect(sb: Sandbox) -> Client:
    return Client(sb.base_url, sb.org_id, sb.api_key, shop_url=sb.shop_url, progress=False)


@pytest.fixture(scope="module", params=list(ENDS))
def seeded(request) -> Iterator[tuple[Sandbox, Client]]:
    with Sandbox(seed=11, orders=1500, now=ENDS[request.param]) as sb, connect(sb) as p1:
        yield sb, p1


def route(request: dict) -> str:
    """A recorded request's path below /orgs/org1 (e.g. "/orders/ORD_…")."""
    return request["path"].split("/orgs/org1")[-1]


def local_day(text: str) -> date:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(BERLIN).date()


def loop_figures(sb: Sandbox, day: date) -> dict:
    """The report's figures for `day`, one row at a time from the sandbox's tables."""
    per_day: dict[date, list[float]] = defaultdict(lambda: [0, 0.0])
    shops: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    statuses: Counter[str] = Counter()
    counted_ids = []
    for order in sb.query(
        "SELECT id, shop_id, status, total_amount, created_at FROM orders WHERE org_id = 'org1'"
    ):
        when = local_day(order["created_at"])
        revenue = 0.0 if order["status"] in REVENUE_EXCLUDED_ORDER_STATUSES else order["total_amount"]
        per_day[when][0] += 1
        per_day[when][1] += revenue
        if when == day:
            shops[order["shop_id"]][0] += 1
            shops[order["shop_id"]][1] += revenue
            statuses[order["status"]] += 1
            if order["status"] not in REVENUE_EXCLUDED_ORDER_STATUSES:
                counted_ids.append(order["id"])
    units: Counter[str] = Counter()
    for order_id in counted_ids:
        for item in sb.query("SELECT name, quantity FROM order_items WHERE order_id = ?", order_id):
            units[item["name"]] += item["quantity"]
    received: Counter[str] = Counter()
    for prescription in sb.query("SELECT status, created_at FROM prescriptions WHERE org_id = 'org1'"):
        if local_day(prescription["created_at"]) == day:
            received[prescription["status"]] += 1
    stock = sb.query("SELECT name, stock_quantity FROM products WHERE org_id = 'org1'")
    week = [per_day[day - timedelta(days=n)] for n in range(1, 8)]
    return {
        "totals": per_day[day],
        "previous": per_day[day - timedelta(days=1)],
        "week": (sum(c for c, _ in week) / 7, sum(r for _, r in week) / 7),
        "shops": shops,
        "statuses": statuses,
        "units": units,
        "received": received,
        "low": sorted(p["name"] for p in stock if 0 < p["stock_quantity"] <= 10),
        "out": sorted(p["name"] for p in stock if p["stock_quantity"] <= 0),
        "days": per_day,
        "counted": counted_ids,
    }


def report_day(sb: Sandbox) -> date:
    """The last complete local day of the sandbox's data."""
    return sb.now.astimezone(BERLIN).date() - timedelta(days=1)


def test_figures_match_the_sandbox_rows(seeded) -> None:
    sb, p1 = seeded
    day = report_day(sb)
    report = daily_report(p1, day, now=sb.now)
    expected = loop_figures(sb, day)

    assert report.totals.orders == expected["totals"][0] > 0
    assert report.totals.revenue == pytest.approx(expected["totals"][1])
    assert report.vs_previous_day.baseline.orders == expected["previous"][0]
    assert report.vs_previous_day.baseline.revenue == pytest.approx(expected["previous"][1])
    assert report.vs_week_average.baseline.orders == pytest.approx(expected["week"][0])
    assert report.vs_week_average.baseline.revenue == pytest.approx(expected["week"][1])
    shops = {row.shop_id: (row.orders, row.revenue) for row in report.by_shop.itertuples() if row.orders}
    assert shops == {shop: (n, pytest.approx(r)) for shop, (n, r) in expected["shops"].items()}
    statuses = dict(zip(report.by_status["status"], report.by_status["orders"], strict=True))
    assert statuses == expected["statuses"]
    top = sorted(expected["units"].items(), key=lambda pair: (-pair[1], pair[0]))[:5]
    assert list(zip(report.top_products["name"], report.top_products["units"], strict=True)) == top
    assert report.prescriptions.received == sum(expected["received"].values())
    for status in ("new", "pending", "approved"):
        assert report.prescriptions.received_by_status[status] == expected["received"][status]
    assert sorted(report.low_stock["name"]) == expected["low"]
    assert sorted(report.out_of_stock["name"]) == expected["out"]
    chart_days = {row.day: 0 for row in report.daily.itertuples()}
    for row in report.daily.itertuples():
        chart_days[row.day] += row.orders
    assert chart_days == {d: expected["days"][d][0] for d in chart_days}
    assert set(report.sources) >= {"Top products", "Order requests received", "Low and out of stock"}


def test_the_dst_days_are_23_and_25_hours_long(seeded) -> None:
    sb, p1 = seeded
    report = daily_report(p1, report_day(sb), now=sb.now)
    hours = {date(2026, 3, 29): 23, date(2026, 10, 25): 25}.get(report.day, 24)
    assert report.end - report.start == timedelta(hours=hours)


def test_each_frame_is_fetched_once_and_only_the_days_details(seeded) -> None:
    sb, p1 = seeded
    day = report_day(sb)
    sb.clear_received()
    daily_report(p1, day, now=sb.now)
    seen = [(r["method"], route(r), tuple(sorted(r["query"].items()))) for r in sb.received()]
    assert len(seen) == len(set(seen)), "a request was sent twice"
    paths = Counter(path for _, path, _ in seen)
    assert paths["/shops"] == 1 and paths["/inventory"] == 1
    details = {path.removeprefix("/orders/") for path in paths if path.startswith("/orders/")}
    assert details == set(loop_figures(sb, day)["counted"])  # the line items of the day's counted orders
    assert not any(path.startswith("/products") for path in paths)


def test_bad_days_are_refused_before_anything_is_fetched(seeded) -> None:
    sb, p1 = seeded
    sb.clear_received()
    with pytest.raises(ReportDateError, match="not a date: use YYYY-MM-DD"):
        daily_report(p1, "2026-02-30", now=sb.now)
    with pytest.raises(ReportDateError, match="in the future"):
        daily_report(p1, sb.now.astimezone(BERLIN).date() + timedelta(days=1), now=sb.now)
    assert sb.received() == []
    with pytest.raises(ReportDateError, match="before the data begins: the first order is from"):
        daily_report(p1, "2020-01-01", now=sb.now)
    assert {route(r) for r in sb.received()} <= {"/orders", "/auth/token"}  # nothing but the orders


def test_chart_is_a_png_of_phone_size(seeded, tmp_path) -> None:
    sb, p1 = seeded
    report = daily_report(p1, report_day(sb), now=sb.now)
    path = tmp_path / "report.png"
    png = render_chart(report, path)
    assert path.read_bytes() == png
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert 700 <= width <= 1200 and height > width  # portrait, for a phone
    assert 20_000 < len(png) < 1_000_000
