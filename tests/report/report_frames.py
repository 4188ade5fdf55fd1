"""Frames with the toolkit's documented columns and dtypes, built in tests (no HTTP)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from toolkit.report.compute import DailyReport, build_report
from toolkit.vocabulary import ORDER_STATUSES, PRESCRIPTION_STATUSES

SHOPS = [("shop1", "Demo Shop DEV"), ("testtttt", "Medikamentenmanfred"), ("shop3", "Weed Bank")]


def shops_frame(shops=SHOPS) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "shop_id": pd.array([s for s, _ in shops], dtype="string"),
            "name": pd.array([n for _, n in shops], dtype="string"),
            "is_active": pd.array([True] * len(shops), dtype="boolean"),
        }
    )


def orders_frame(rows: list[dict]) -> pd.DataFrame:
    """rows: dicts with shop_id, status, total_amount, created_at (aware datetime); the rest is filled."""
    return pd.DataFrame(
        {
            "id": pd.array(
                [r.get("id", f"ORD_20260101_{i:010d}") for i, r in enumerate(rows)], dtype="string"
            ),
            "external_id": pd.array([None] * len(rows), dtype="string"),
            "shop_id": pd.array([r["shop_id"] for r in rows], dtype="string"),
            "customer_name": pd.array(
                [r.get("customer_name", "Max Mustermann") for r in rows], dtype="string"
            ),
            "status": pd.array([r["status"] for r in rows], dtype="string"),
            "payment_status": pd.array(["paid"] * len(rows), dtype="string"),
            "total_amount": pd.array([r["total_amount"] for r in rows], dtype="float64"),
            "created_at": pd.to_datetime([r["created_at"] for r in rows], utc=True).as_unit("ns"),
            "updated_at": pd.to_datetime([r["created_at"] for r in rows], utc=True).as_unit("ns"),
        }
    )


def random_orders(n: int, end: datetime, days: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    span = timedelta(days=days).total_seconds()
    return [
        {
            "shop_id": rng.choice([s for s, _ in SHOPS] + ["release23"]),
            "status": rng.choice(ORDER_STATUSES),
            "total_amount": round(rng.uniform(5, 300), 2),
            "created_at": end - timedelta(seconds=rng.uniform(0, span)),
        }
        for _ in range(n)
    ]


def prescriptions_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": pd.array([f"org1-pq-{i:06d}" for i in range(len(rows))], dtype="string"),
            "shop_id": pd.array([r.get("shop_id", "shop1") for r in rows], dtype="string"),
            "status": pd.array([r["status"] for r in rows], dtype="string"),
            "order_id": pd.array([""] * len(rows), dtype="string"),
            "customer_email": pd.array(["max@example.com"] * len(rows), dtype="string"),
            "created_at": pd.to_datetime([r["created_at"] for r in rows], utc=True).as_unit("ns"),
        }
    )


def random_prescriptions(n: int, end: datetime, days: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    span = timedelta(days=days).total_seconds()
    return [
        {
            "status": rng.choice(PRESCRIPTION_STATUSES),
            "created_at": end - timedelta(seconds=rng.uniform(0, span)),
        }
        for _ in range(n)
    ]


def inventory_frame(stock: dict[str, int | None]) -> pd.DataFrame:
    names = list(stock)
    return pd.DataFrame(
        {
            "p1_id": pd.array([str(57000 + i) for i in range(len(names))], dtype="string"),
            "name": pd.array(names, dtype="string"),
            "stock_quantity": pd.array([stock[n] for n in names], dtype="Int64"),
            "price": pd.array([8.5] * len(names), dtype="float64"),
            "category": pd.array(["Blüten"] * len(names), dtype="string"),
            "log_entries": pd.array([1] * len(names), dtype="Int64"),
            "last_activity": pd.to_datetime([datetime(2026, 6, 1, tzinfo=UTC)] * len(names), utc=True),
        }
    )


def items_frame(lines: list[tuple[str, str | None, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "p1_id": pd.array([p for _, p, _, _ in lines], dtype="string"),
            "name": pd.array([n for n, _, _, _ in lines], dtype="string"),
            "quantity": pd.array([q for _, _, q, _ in lines], dtype="Int64"),
            "price": pd.array([p for _, _, _, p in lines], dtype="float64"),
        }
    )


CUSTOMERS = [("Erika Musterfrau", "erika@example.org"), ("Jonas Beispiel", "jonas.beispiel@example.net")]


def sample_report(day: date = date(2026, 6, 14), seed: int = 1, tz: str = "Europe/Berlin") -> DailyReport:
    """A report built from random frames whose orders and prescriptions carry CUSTOMERS' names and e-mails."""
    end = datetime.combine(day + timedelta(days=1), time(6), ZoneInfo(tz))
    rows = random_orders(800, end, days=20, seed=seed)
    for number, row in enumerate(rows):
        row["customer_name"] = CUSTOMERS[number % 2][0]
    prescriptions = prescriptions_frame(random_prescriptions(100, end, days=20, seed=seed))
    prescriptions["customer_email"] = pd.array([CUSTOMERS[1][1]] * len(prescriptions), dtype="string")
    return build_report(
        day=day,
        tz=tz,
        orders=orders_frame(rows),
        shops=shops_frame(),
        prescriptions=prescriptions,
        inventory=inventory_frame({f"Flos {n}": n for n in range(0, 30, 2)}),
        items=items_frame([("Flos 4", "57002", 7, 8.5), ("Flos 8", None, 3, 6.25)]),
        order_requests=3,
        low_stock_threshold=10,
        generated_at=end,
        sources={"orders": "GET /orders", "order requests": "GET /reports/stats"},
    )
