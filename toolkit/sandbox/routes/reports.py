"""Reports, computed from the stored orders and prescriptions and wrapped in `data`.

Quirk kept: the date parameters differ per report (`from`/`to`, `from_date`/`to_date`, `month`/`month_from`/
`month_to`). Revenue leaves out orders in vocabulary.REVENUE_EXCLUDED_ORDER_STATUSES; the fee model of
/reports/pharmaone is vocabulary.PHARMAONE_FEE_PER_ORDER per order plus PHARMAONE_FEE_RATE of revenue.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from toolkit import vocabulary as vocab
from toolkit.sandbox import validate as v
from toolkit.sandbox.errors import invalid
from toolkit.sandbox.http import Call
from toolkit.sandbox.timefmt import day_end_exclusive, day_start, utcnow

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_FEE_MONTHS = 120
TOP_CUSTOMERS = 10


def _excluded() -> str:
    return ", ".join(f"'{status}'" for status in vocab.REVENUE_EXCLUDED_ORDER_STATUSES)


def _revenue_sql(amount: str) -> str:
    return f"ROUND(COALESCE(SUM(CASE WHEN o.status NOT IN ({_excluded()}) THEN {amount} END), 0), 2)"


def _date_range(call: Call, start_name: str, end_name: str) -> tuple[date | None, date | None]:
    start, end = v.query_date(call.query, start_name), v.query_date(call.query, end_name)
    if start and end and start > end:
        raise invalid(start_name, f"{start_name} ({start}) is after {end_name} ({end}); swap them", 400)
    return start, end


def _created_between(start: date | None, end: date | None, alias: str = "") -> tuple[str, list[str]]:
    column = f"{alias}created_at"
    clauses, params = [], []
    if start:
        clauses.append(f"{column} >= ?")
        params.append(day_start(start))
    if end:
        clauses.append(f"{column} < ?")
        params.append(day_end_exclusive(end))
    return "".join(f" AND {clause}" for clause in clauses), params


def _order_figures(call: Call, period: str, params: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Order count, revenue and count per status, and the same per shop: one pass over a covering index."""
    db = call.state.db
    rows = db.query(
        "SELECT o.shop_id, o.status, COUNT(*) AS n, SUM(o.total_amount) AS amount FROM orders o"
        f" WHERE o.org_id = ?{period} GROUP BY o.shop_id, o.status",
        call.org_id,
        *params,
    )
    shops = {
        row["shop_id"]: {"shop_id": row["shop_id"], "name": row["name"], "order_count": 0, "revenue": 0.0}
        for row in db.query("SELECT shop_id, name FROM shops WHERE org_id = ? ORDER BY shop_id", call.org_id)
    }
    by_status, revenue = dict.fromkeys(vocab.ORDER_STATUSES, 0), 0.0
    for row in rows:
        by_status[row["status"]] += row["n"]
        shops[row["shop_id"]]["order_count"] += row["n"]
        if row["status"] not in vocab.REVENUE_EXCLUDED_ORDER_STATUSES:
            shops[row["shop_id"]]["revenue"] += row["amount"]
            revenue += row["amount"]
    for shop in shops.values():
        shop["revenue"] = round(shop["revenue"], 2)
    orders = {"count": sum(by_status.values()), "revenue": round(revenue, 2), "by_status": by_status}
    return orders, sorted(shops.values(), key=lambda shop: -shop["order_count"])


def stats(call: Call) -> dict[str, Any]:
    db, org_id = call.state.db, call.org_id
    start, end = _date_range(call, "from", "to")
    period, params = _created_between(start, end)
    order_period, order_params = _created_between(start, end, "o.")
    by_status = dict.fromkeys(vocab.PRESCRIPTION_STATUSES, 0)
    for row in db.query(
        f"SELECT status, COUNT(*) AS n FROM prescriptions WHERE org_id = ?{period} GROUP BY status",
        org_id,
        *params,
    ):
        by_status[row["status"]] = row["n"]
    orders, shops = _order_figures(call, order_period, order_params)
    data: dict[str, Any] = {
        "from": start and start.isoformat(),
        "to": end and end.isoformat(),
        "prescriptions": {"total": sum(by_status.values()), **by_status},
        "orders": orders,
        "shop_performance": shops,
    }
    if start or end:
        data["customers"] = db.query(
            f"SELECT o.customer_name, o.customer_email, COUNT(*) AS order_count,"
            f" {_revenue_sql('o.total_amount')} AS revenue FROM orders o WHERE o.org_id = ?{order_period}"
            " GROUP BY o.customer_email, o.customer_name ORDER BY revenue DESC, order_count DESC LIMIT ?",
            org_id,
            *order_params,
            TOP_CUSTOMERS,
        )
    return {"data": data}


def _product_totals(call: Call, start: date, end: date) -> dict[tuple[str | None, str], dict[str, Any]]:
    period, params = _created_between(start, end, "o.")
    rows = call.state.db.query(
        "SELECT i.p1_id, i.name, SUM(i.quantity) AS units, ROUND(SUM(i.quantity * i.price), 2) AS revenue"
        " FROM order_items i JOIN orders o ON o.id = i.order_id"
        f" WHERE o.org_id = ? AND o.status NOT IN ({_excluded()}){period} GROUP BY i.p1_id, i.name",
        call.org_id,
        *params,
    )
    return {(row["p1_id"], row["name"]): row for row in rows}


def product_performance(call: Call) -> dict[str, Any]:
    """Units and revenue per product in the period, beside the same-length period just before it."""
    start, end = _date_range(call, "from", "to")
    end = end or utcnow().date()
    start = start or end - timedelta(days=vocab.PRODUCT_PERFORMANCE_DEFAULT_DAYS - 1)
    previous_end = start - timedelta(days=1)
    previous_start = previous_end - (end - start)
    current, previous = _product_totals(call, start, end), _product_totals(call, previous_start, previous_end)
    products = []
    for key in current.keys() | previous.keys():
        now_row = current.get(key, {"units": 0, "revenue": 0.0})
        before = previous.get(key, {"units": 0, "revenue": 0.0})
        change = (
            round((now_row["revenue"] - before["revenue"]) / before["revenue"] * 100, 1)
            if before["revenue"]
            else None
        )
        products.append(
            {
                "p1_id": key[0],
                "name": key[1],
                "units": now_row["units"],
                "revenue": now_row["revenue"],
                "previous_units": before["units"],
                "previous_revenue": before["revenue"],
                "revenue_change_pct": change,
            }
        )
    products.sort(key=lambda row: (-row["revenue"], -row["previous_revenue"], row["name"]))
    return {
        "data": {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "previous_from": previous_start.isoformat(),
            "previous_to": previous_end.isoformat(),
            "products": products,
        }
    }


def product_sales(call: Call) -> dict[str, Any]:
    """Volume (grams = units) and gross revenue per product, split by order status."""
    start, end = _date_range(call, "from_date", "to_date")
    today = utcnow().date()
    end = end or today
    start = start or end.replace(day=1)
    if start > end:
        raise invalid("from_date", f"from_date ({start}) is after to_date ({end})", 400)
    period, params = _created_between(start, end, "o.")
    rows = call.state.db.query(
        "SELECT i.p1_id, i.name, o.status, SUM(i.quantity) AS volume_g,"
        " ROUND(SUM(i.quantity * i.price), 2) AS gross_revenue, COUNT(DISTINCT o.id) AS order_count"
        f" FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.org_id = ?{period}"
        " GROUP BY i.p1_id, i.name, o.status ORDER BY gross_revenue DESC, i.name, o.status",
        call.org_id,
        *params,
    )
    totals = {
        "volume_g": sum(row["volume_g"] for row in rows),
        "gross_revenue": round(sum(row["gross_revenue"] for row in rows), 2),
    }
    return {
        "data": {
            "from_date": start.isoformat(),
            "to_date": end.isoformat(),
            "products": rows,
            "totals": totals,
        }
    }


def _month(call: Call, name: str) -> date | None:
    raw = call.query.get(name)
    if raw is None or raw == "":
        return None
    if not MONTH.match(raw):
        raise invalid(name, f"{name} must be a month as YYYY-MM (e.g. 2026-06), got {raw!r}", 400)
    return date(int(raw[:4]), int(raw[5:]), 1)


def _months_between(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _fee_months(call: Call) -> list[date]:
    month, month_from, month_to = _month(call, "month"), _month(call, "month_from"), _month(call, "month_to")
    if month and (month_from or month_to):
        raise invalid("month", "send either month, or month_from and month_to, not both", 400)
    if month:
        return [month]
    if bool(month_from) != bool(month_to):
        missing = "month_to" if month_from else "month_from"
        raise invalid(
            missing, f"{missing} is required with {'month_from' if month_from else 'month_to'}", 400
        )
    if month_from and month_to:
        if month_from > month_to:
            raise invalid(
                "month_from", f"month_from ({month_from:%Y-%m}) is after month_to ({month_to:%Y-%m})", 400
            )
        months = _months_between(month_from, month_to)
        if len(months) > MAX_FEE_MONTHS:
            raise invalid(
                "month_from", f"at most {MAX_FEE_MONTHS} months at a time; prefer monthly chunks", 400
            )
        return months
    this_month = utcnow().date().replace(day=1)
    first = this_month
    for _ in range(vocab.FEE_REPORT_DEFAULT_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return _months_between(first, this_month)


def pharmaone_fees(call: Call) -> dict[str, Any]:
    """The monthly service-fee billing report (fee model in the module docstring)."""
    months = _fee_months(call)
    last = months[-1]
    end = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    rows = call.state.db.query(
        "SELECT substr(o.created_at, 1, 7) AS month, COUNT(*) AS order_count,"
        f" ROUND(SUM(o.total_amount), 2) AS revenue FROM orders o WHERE o.org_id = ?"
        f" AND o.status NOT IN ({_excluded()}) AND o.created_at >= ? AND o.created_at < ? GROUP BY month",
        call.org_id,
        day_start(months[0]),
        day_start(end),
    )
    by_month = {row["month"]: row for row in rows}
    report = []
    for month in months:
        row = by_month.get(f"{month:%Y-%m}", {"order_count": 0, "revenue": 0.0})
        fee = round(
            row["order_count"] * vocab.PHARMAONE_FEE_PER_ORDER + row["revenue"] * vocab.PHARMAONE_FEE_RATE, 2
        )
        report.append(
            {
                "month": f"{month:%Y-%m}",
                "order_count": row["order_count"],
                "revenue": row["revenue"],
                "fee": fee,
            }
        )
    return {
        "data": {
            "currency": "EUR",
            "fee_per_order": vocab.PHARMAONE_FEE_PER_ORDER,
            "fee_rate": vocab.PHARMAONE_FEE_RATE,
            "months": report,
            "total_fee": round(sum(row["fee"] for row in report), 2),
        }
    }
