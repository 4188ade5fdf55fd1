"""The daily report's figures, computed from the toolkit's frames with vectorised pandas.

Every function takes frames with the documented columns (see `toolkit.frames`) so tests can feed frames of
their own; `toolkit.report.fetch.daily_report` fetches the frames and calls `build_report`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from toolkit.report.days import day_boundaries
from toolkit.vocabulary import REVENUE_EXCLUDED_ORDER_STATUSES

#: Days in the chart (the report day and the 13 before it); the comparisons need the last 8 of them.
CHART_DAYS = 14
#: Days averaged for "against the week before".
AVERAGE_DAYS = 7
#: Products listed under "top products".
TOP_PRODUCTS = 5
#: Prescription statuses the report counts (literal status values of GET /prescriptions).
PRESCRIPTION_FIGURES = ("new", "pending", "approved")


@dataclass(frozen=True)
class Totals:
    orders: float
    revenue: float


@dataclass(frozen=True)
class Change:
    """The report day against a baseline: absolute and relative (None when the baseline is zero)."""

    baseline: Totals
    orders_delta: float
    revenue_delta: float
    orders_pct: float | None
    revenue_pct: float | None


@dataclass(frozen=True)
class PrescriptionFigures:
    """Prescriptions received on the report day, and what is open across the organisation now."""

    received: int
    received_by_status: Mapping[str, int]
    now_by_status: Mapping[str, int]


@dataclass(frozen=True, eq=False)
class DailyReport:
    """One local day's report. Frames hold no patient data (no customer names or e-mails)."""

    day: date
    tz: str
    start: datetime  # local midnight of `day`, as a tz-aware UTC instant
    end: datetime  # local midnight of the next day (23, 24 or 25 hours later)
    generated_at: datetime
    totals: Totals
    vs_previous_day: Change
    vs_week_average: Change
    by_shop: pd.DataFrame  # shop_id, shop, orders, revenue
    by_status: pd.DataFrame  # status, orders, amount
    daily: pd.DataFrame  # day, shop_id, shop, orders, revenue: CHART_DAYS days x every shop
    prescriptions: PrescriptionFigures
    order_requests: int | None  # None when no source has it
    top_products: pd.DataFrame  # name, p1_id, units, revenue
    low_stock: pd.DataFrame  # p1_id, name, stock_quantity (0 < stock <= threshold)
    out_of_stock: pd.DataFrame  # p1_id, name, stock_quantity (stock <= 0)
    low_stock_threshold: int
    sources: Mapping[str, str] = field(default_factory=dict)  # figure -> where it came from

    @property
    def is_partial(self) -> bool:
        """True while the report day has not ended yet."""
        return self.generated_at < self.end


# --- orders ----------------------------------------------------------------------------------------------


def day_index(timestamps: pd.Series, boundaries: pd.DatetimeIndex) -> np.ndarray:
    """For each timestamp, the index of the local day it falls in (-1 or len(boundaries)-1: outside)."""
    instants = timestamps.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]")
    edges = boundaries.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[ns]")
    return np.searchsorted(edges, instants, side="right") - 1


def revenue_of(orders: pd.DataFrame) -> pd.Series:
    """Each order's contribution to revenue: its total, or 0 when its status is excluded from revenue."""
    excluded = orders["status"].isin(REVENUE_EXCLUDED_ORDER_STATUSES).to_numpy(dtype=bool)
    amounts = orders["total_amount"].astype("float64").fillna(0.0).to_numpy()
    return pd.Series(np.where(excluded, 0.0, amounts), index=orders.index, dtype="float64")


def shop_names(shops: pd.DataFrame, shop_ids: pd.Index) -> pd.Series:
    """Shop name per shop id, falling back to the id for shops the shop list does not know."""
    names = shops.drop_duplicates("shop_id").set_index("shop_id")["name"].astype("string")
    return pd.Series(shop_ids, index=shop_ids).map(names).fillna(pd.Series(shop_ids, index=shop_ids))


def orders_window(orders: pd.DataFrame, first: date, days: int, tz: str) -> pd.DataFrame:
    """The orders created in the `days` local days from `first`, with `local_day` (0-based) and `revenue`."""
    boundaries = day_boundaries(first, days, tz)
    index = day_index(orders["created_at"], boundaries)
    inside = (index >= 0) & (index < days)
    window = orders.loc[inside, ["shop_id", "status", "total_amount"]].copy()
    window["local_day"] = index[inside]
    window["revenue"] = revenue_of(window)
    return window


def daily_by_shop(window: pd.DataFrame, shops: pd.DataFrame, first: date, days: int) -> pd.DataFrame:
    """Orders and revenue per local day and shop, every (day, shop) present (zeros where nothing happened).

    Shops are those of the shop list plus any that only appear in orders.
    """
    shop_ids = pd.Index(shops["shop_id"].astype("string")).union(
        pd.Index(window["shop_id"].astype("string").dropna().unique())
    )
    grid = pd.MultiIndex.from_product([range(days), shop_ids], names=["local_day", "shop_id"])
    grouped = window.groupby(["local_day", "shop_id"], observed=True).agg(
        orders=("status", "size"), revenue=("revenue", "sum")
    )
    table = grouped.reindex(grid, fill_value=0).reset_index()
    table["day"] = pd.to_datetime([first + timedelta(days=int(i)) for i in table["local_day"]]).date
    table["shop"] = shop_names(shops, pd.Index(table["shop_id"])).to_numpy()
    table["orders"] = table["orders"].astype("int64")
    table["revenue"] = table["revenue"].astype("float64")
    return table[["day", "shop_id", "shop", "orders", "revenue"]]


def totals_per_day(daily: pd.DataFrame) -> pd.DataFrame:
    """Orders and revenue per day over all shops, indexed by day."""
    return daily.groupby("day").agg(orders=("orders", "sum"), revenue=("revenue", "sum"))


def change(current: Totals, baseline: Totals) -> Change:
    def pct(now: float, before: float) -> float | None:
        return None if before == 0 else (now - before) / before

    return Change(
        baseline=baseline,
        orders_delta=current.orders - baseline.orders,
        revenue_delta=current.revenue - baseline.revenue,
        orders_pct=pct(current.orders, baseline.orders),
        revenue_pct=pct(current.revenue, baseline.revenue),
    )


def by_status(window: pd.DataFrame, day_position: int) -> pd.DataFrame:
    """Orders and their total amount per status on one day (including statuses not counted as revenue)."""
    today = window[window["local_day"] == day_position]
    table = (
        today.groupby("status", observed=True)
        .agg(orders=("status", "size"), amount=("total_amount", "sum"))
        .reset_index()
        .sort_values(["orders", "status"], ascending=[False, True], ignore_index=True)
    )
    table["status"] = table["status"].astype("string")
    table["orders"] = table["orders"].astype("int64")
    table["amount"] = table["amount"].astype("float64")
    return table


# --- prescriptions, products, stock ----------------------------------------------------------------------


def prescription_figures(prescriptions: pd.DataFrame, start: datetime, end: datetime) -> PrescriptionFigures:
    """Received on the day (created in [start, end)) by current status; all prescriptions by status now."""
    created = prescriptions["created_at"]
    received = prescriptions[(created >= start) & (created < end)]

    def counts(frame: pd.DataFrame) -> dict[str, int]:
        found = frame["status"].value_counts()
        return {status: int(found.get(status, 0)) for status in PRESCRIPTION_FIGURES}

    return PrescriptionFigures(
        received=len(received), received_by_status=counts(received), now_by_status=counts(prescriptions)
    )


def top_products(items: pd.DataFrame, limit: int = TOP_PRODUCTS) -> pd.DataFrame:
    """Products by units sold in `items` (one row per order line: name, p1_id, quantity, price).

    Lines are grouped by name (detail lines may lack a p1_id); ties are broken by name.
    """
    lines = items.assign(
        units=items["quantity"].astype("float64").fillna(0.0),
        revenue=items["quantity"].astype("float64").fillna(0.0)
        * items["price"].astype("float64").fillna(0.0),
    )
    table = (
        lines.groupby("name", observed=True)
        .agg(p1_id=("p1_id", "first"), units=("units", "sum"), revenue=("revenue", "sum"))
        .reset_index()
        .sort_values(["units", "name"], ascending=[False, True], ignore_index=True)
        .head(limit)
    )
    table["units"] = table["units"].astype("int64")
    return table[["name", "p1_id", "units", "revenue"]]


def stock_alerts(inventory: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(low stock: 0 < stock <= threshold, out of stock: stock <= 0), lowest stock first."""
    stock = inventory["stock_quantity"].astype("Float64")
    columns = ["p1_id", "name", "stock_quantity"]
    ordered = ["stock_quantity", "name"]
    low = inventory.loc[((stock > 0) & (stock <= threshold)).fillna(False).to_numpy(dtype=bool), columns]
    out = inventory.loc[(stock <= 0).fillna(False).to_numpy(dtype=bool), columns]
    return low.sort_values(ordered, ignore_index=True), out.sort_values(ordered, ignore_index=True)


# --- the report ----------------------------------------------------------------------------------------


def build_report(
    *,
    day: date,
    tz: str,
    orders: pd.DataFrame,
    shops: pd.DataFrame,
    prescriptions: pd.DataFrame,
    inventory: pd.DataFrame,
    items: pd.DataFrame,
    order_requests: int | None,
    low_stock_threshold: int,
    generated_at: datetime,
    sources: Mapping[str, str],
) -> DailyReport:
    """The report for local `day` in `tz` from already fetched frames.

    `orders` must cover at least the CHART_DAYS local days up to `day`; `items` are the order lines of the
    report day's orders that count as revenue.
    """
    first = day - timedelta(days=CHART_DAYS - 1)
    boundaries = day_boundaries(first, CHART_DAYS, tz)
    start, end = boundaries[-2].to_pydatetime(), boundaries[-1].to_pydatetime()
    window = orders_window(orders, first, CHART_DAYS, tz)
    daily = daily_by_shop(window, shops, first, CHART_DAYS)
    per_day = totals_per_day(daily)

    def totals_on(days: list[date]) -> Totals:
        rows = per_day.loc[days]
        return Totals(orders=float(rows["orders"].mean()), revenue=float(rows["revenue"].mean()))

    current = totals_on([day])
    week = [day - timedelta(days=n) for n in range(1, AVERAGE_DAYS + 1)]
    shop_today = daily[daily["day"] == day][["shop_id", "shop", "orders", "revenue"]]
    low, out = stock_alerts(inventory, low_stock_threshold)
    return DailyReport(
        day=day,
        tz=tz,
        start=start,
        end=end,
        generated_at=generated_at,
        totals=current,
        vs_previous_day=change(current, totals_on([day - timedelta(days=1)])),
        vs_week_average=change(current, totals_on(week)),
        by_shop=shop_today.sort_values(["revenue", "shop"], ascending=[False, True], ignore_index=True),
        by_status=by_status(window, CHART_DAYS - 1),
        daily=daily,
        prescriptions=prescription_figures(prescriptions, start, end),
        order_requests=order_requests,
        top_products=top_products(items),
        low_stock=low,
        out_of_stock=out,
        low_stock_threshold=low_stock_threshold,
        sources=dict(sources),
    )
