"""Reports are computed from the stored data (checked against SQL over the same tables), wrapped in data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from tests.sandbox.conftest import example, same_shape
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox


def test_stats_matches_the_example_and_the_data(api: httpx.Client, sandbox: Sandbox) -> None:
    body = api.get("/reports/stats").json()
    same_shape(body, example("10_report_stats.response.json"))
    data = body["data"]
    counts = {
        r["status"]: r["n"]
        for r in sandbox.query(
            "SELECT status, COUNT(*) n FROM prescriptions WHERE org_id='org1' GROUP BY status"
        )
    }
    assert data["prescriptions"]["total"] == sum(counts.values())
    assert all(
        data["prescriptions"][status] == counts.get(status, 0) for status in vocab.PRESCRIPTION_STATUSES
    )
    shop1 = next(row for row in data["shop_performance"] if row["shop_id"] == "shop1")
    expected = sandbox.query(
        "SELECT COUNT(*) n, ROUND(SUM(CASE WHEN status != 'cancelled' THEN total_amount END), 2) r"
        " FROM orders WHERE shop_id = 'shop1'"
    )[0]
    assert (shop1["name"], shop1["order_count"]) == ("Demo Shop DEV", expected["n"])
    assert shop1["revenue"] == pytest.approx(expected["r"])
    assert data["orders"]["count"] == sum(row["order_count"] for row in data["shop_performance"])
    assert "customers" not in data


def test_stats_with_a_range_counts_only_that_range_and_lists_customers(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    today = datetime.now(UTC).date()
    start = today - timedelta(days=6)
    data = api.get("/reports/stats", params={"from": start.isoformat(), "to": today.isoformat()}).json()[
        "data"
    ]
    expected = sandbox.query(
        "SELECT COUNT(*) n FROM orders WHERE org_id = 'org1' AND substr(created_at, 1, 10) BETWEEN ? AND ?",
        start.isoformat(),
        today.isoformat(),
    )[0]["n"]
    assert data["orders"]["count"] == expected
    assert isinstance(data["customers"], list) and len(data["customers"]) <= 10
    revenues = [row["revenue"] for row in data["customers"]]
    assert revenues == sorted(revenues, reverse=True)


@pytest.mark.parametrize(
    ("route", "params", "field"),
    [
        ("stats", {"from": "2026-13-01"}, "from"),
        ("stats", {"from": "2026-06-10", "to": "2026-06-01"}, "from"),
        ("product-performance", {"to": "yesterday"}, "to"),
        ("product-sales", {"from_date": "06/01/2026"}, "from_date"),
        ("pharmaone", {"month": "2026-6"}, "month"),
        ("pharmaone", {"month_from": "2026-01"}, "month_to"),
        ("pharmaone", {"month_from": "2026-05", "month_to": "2026-01"}, "month_from"),
        ("pharmaone", {"month": "2026-05", "month_to": "2026-06"}, "month"),
    ],
)
def test_bad_dates_are_400_with_a_clear_message(
    api: httpx.Client, route: str, params: dict, field: str
) -> None:
    response = api.get(f"/reports/{route}", params=params)
    assert response.status_code == 400
    assert response.json()["field"] == field and field in response.json()["message"]


def test_product_performance_defaults_to_30_days_against_the_previous_30(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    data = api.get("/reports/product-performance").json()["data"]
    today = datetime.now(UTC).date()
    assert data["to"] == today.isoformat() and data["from"] == (today - timedelta(days=29)).isoformat()
    assert data["previous_to"] == (today - timedelta(days=30)).isoformat()
    assert data["previous_from"] == (today - timedelta(days=59)).isoformat()
    top = data["products"][0]
    expected = sandbox.query(
        "SELECT SUM(i.quantity) u FROM order_items i JOIN orders o ON o.id = i.order_id"
        " WHERE o.org_id = 'org1' AND o.status != 'cancelled' AND i.p1_id = ?"
        " AND substr(o.created_at, 1, 10) BETWEEN ? AND ?",
        top["p1_id"],
        data["from"],
        data["to"],
    )[0]["u"]
    assert top["units"] == expected
    assert [p["revenue"] for p in data["products"]] == sorted(
        (p["revenue"] for p in data["products"]), reverse=True
    )


def test_product_sales_splits_by_status_from_month_start(api: httpx.Client) -> None:
    data = api.get("/reports/product-sales", params={"from_date": "2020-01-01"}).json()["data"]
    assert data["from_date"] == "2020-01-01"
    statuses = {row["status"] for row in data["products"]}
    assert {"completed", "cancelled"} <= statuses
    assert data["totals"]["volume_g"] == sum(row["volume_g"] for row in data["products"])
    default = api.get("/reports/product-sales").json()["data"]
    assert default["from_date"] == datetime.now(UTC).date().replace(day=1).isoformat()


def test_fee_report_follows_the_documented_model(api: httpx.Client, sandbox: Sandbox) -> None:
    month = datetime.now(UTC).strftime("%Y-%m")
    data = api.get("/reports/pharmaone", params={"month": month}).json()["data"]
    (row,) = data["months"]
    expected = sandbox.query(
        "SELECT COUNT(*) n, SUM(total_amount) r FROM orders WHERE org_id = 'org1' AND status != 'cancelled'"
        " AND substr(created_at, 1, 7) = ?",
        month,
    )[0]
    assert row["order_count"] == expected["n"]
    assert row["fee"] == pytest.approx(
        round(
            # revenue is billed in whole cents, then the rate applies
            expected["n"] * vocab.PHARMAONE_FEE_PER_ORDER
            + round(expected["r"] or 0, 2) * vocab.PHARMAONE_FEE_RATE,
            2,
        )
    )
    everything = api.get("/reports/pharmaone").json()["data"]["months"]
    assert len(everything) == vocab.FEE_REPORT_DEFAULT_MONTHS and everything[-1]["month"] == month
    span = api.get("/reports/pharmaone", params={"month_from": "2025-11", "month_to": "2026-02"}).json()[
        "data"
    ]
    assert [m["month"] for m in span["months"]] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert date.fromisoformat(everything[0]["month"] + "-01") < date.today()
