"""Rows -> pandas DataFrame, one declared schema per resource, one vectorised conversion per column.

Normalisations (the contract in DESIGN.md): `p1_id` and other ids are strings, the stock column is always
`stock_quantity`, timestamps are tz-aware UTC datetime64[ns] (9-digit fractions parse), money is float64,
counts are nullable Int64 and flags nullable boolean. Declared columns come first, in declared order, and
exist even when the API left them out (or the result is empty); unknown columns are kept after them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit._redact import logger

STRING, FLOAT, INT, BOOL, TIME = "string", "float64", "Int64", "boolean", "datetime64[ns, UTC]"

#: Wire names that differ between endpoints, mapped to the one name frames use.
RENAMES: Mapping[str, str] = {"stockquantity": "stock_quantity"}


@dataclass(frozen=True)
class Schema:
    """Column name -> dtype, in display order."""

    columns: Mapping[str, str]
    computed: Mapping[str, Callable[[pd.DataFrame], pd.Series]] = field(default_factory=dict)


SHOPS = Schema({"shop_id": STRING, "name": STRING, "is_active": BOOL})
ORDERS = Schema(
    {
        "id": STRING,
        "external_id": STRING,
        "shop_id": STRING,
        "customer_name": STRING,
        "status": STRING,
        "payment_status": STRING,
        "total_amount": FLOAT,
        "created_at": TIME,
        "updated_at": TIME,
    }
)
ORDER_ITEMS = Schema(
    {"p1_id": STRING, "name": STRING, "quantity": INT, "price": FLOAT, "line_total": FLOAT},
    computed={"line_total": lambda frame: frame["quantity"].astype(FLOAT) * frame["price"]},
)
SHIPPING_ADDRESS = Schema({"street": STRING, "city": STRING, "postal_code": STRING, "phone": STRING})
INVENTORY = Schema(
    {
        "p1_id": STRING,
        "name": STRING,
        "stock_quantity": INT,
        "price": FLOAT,
        "category": STRING,
        "log_entries": INT,
        "last_activity": TIME,
    }
)
INVENTORY_LOG = Schema(
    {
        "id": STRING,
        "p1_id": STRING,
        "shop_id": STRING,
        "delta_on_hand": INT,
        "delta_incoming": INT,
        "reason": STRING,
        "created_at": TIME,
    }
)
PRODUCTS = Schema(
    {
        "p1_id": STRING,
        "name": STRING,
        "slug": STRING,
        "category": STRING,
        "price": FLOAT,
        "stock_quantity": INT,
        "available": BOOL,
        "shop_id": STRING,
    }
)
PRESCRIPTIONS = Schema(
    {
        "id": STRING,
        "shop_id": STRING,
        "status": STRING,
        "order_id": STRING,
        "customer_email": STRING,
        "created_at": TIME,
    }
)
#: Daily stock changes. The reference names no fields; these are the sandbox's (others are kept as sent).
HISTORY = Schema({"date": TIME, "delta_on_hand": INT, "delta_incoming": INT, "stock_quantity": INT})
INGEST_RESULTS = Schema({"row": INT, "id": STRING, "upsert": STRING, "error": STRING})
#: For shapes the reference does not show (history, reports): only the name rules below apply.
UNDECLARED = Schema({})


def _as_string(column: pd.Series) -> pd.Series:
    if column.dtype.kind == "f":  # integer ids read as float because some rows lack them
        column = column.astype(INT)
    return column.astype(STRING)


def _as_time(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, utc=True, format="ISO8601").astype(TIME)


def _as_number(dtype: str) -> Callable[[pd.Series], pd.Series]:
    return lambda column: pd.to_numeric(column, errors="coerce").astype(dtype)


_CONVERT: Mapping[str, Callable[[pd.Series], pd.Series]] = {
    STRING: _as_string,
    FLOAT: _as_number(FLOAT),
    INT: _as_number(INT),
    BOOL: lambda column: column.astype(BOOL),
    TIME: _as_time,
}


def implied_dtype(name: str) -> str | None:
    """The dtype a column's name implies wherever it appears (ids, stock, timestamps, money)."""
    if name == "p1_id" or name == "id" or name.endswith("_id"):
        return STRING
    if name == "stock_quantity":
        return INT
    if name.endswith("_at") or name == "last_activity":
        return TIME
    if name in ("price", "total_amount"):
        return FLOAT
    return None


def to_frame(rows: Sequence[Mapping[str, Any]], schema: Schema) -> pd.DataFrame:
    """Build the frame for `rows` (list of flat dicts) under `schema`."""
    raw = pd.DataFrame.from_records(rows) if rows else pd.DataFrame(index=pd.RangeIndex(0))
    raw = _unify_names(raw)
    columns: dict[str, pd.Series] = {}
    for name, dtype in schema.columns.items():
        if name in schema.computed:
            continue
        columns[name] = _convert(raw[name], dtype) if name in raw else pd.Series(index=raw.index, dtype=dtype)
    for name in raw.columns:
        if name not in columns and name not in schema.computed:
            dtype = implied_dtype(str(name))
            columns[name] = _convert(raw[name], dtype)
    frame = pd.DataFrame(columns, index=raw.index)
    for name, compute in schema.computed.items():
        frame[name] = compute(frame).astype(schema.columns[name])
    order = [name for name in schema.columns if name in frame] + [n for n in frame if n not in schema.columns]
    return frame[order] if list(frame.columns) != order else frame


def _unify_names(raw: pd.DataFrame) -> pd.DataFrame:
    """Rename wire variants (`stockquantity`) to the frame name; rows may carry either, so merge both."""
    for wire, name in RENAMES.items():
        if wire not in raw:
            continue
        if name in raw:
            merged = raw[name].where(raw[name].notna(), raw[wire])
            raw = raw.drop(columns=[wire]).assign(**{name: merged})
        else:
            raw = raw.rename(columns={wire: name})
    return raw


def _convert(column: pd.Series, dtype: str | None) -> pd.Series:
    """`column` as `dtype`; values that do not fit it are kept as the API sent them rather than failing the
    whole listing (logged with the column's name only, never its values)."""
    if dtype is None:
        return column
    try:
        return _CONVERT[dtype](column)
    except (TypeError, ValueError):
        logger.warning("column %s: PharmaOne sent values that are not %s; kept as sent", column.name, dtype)
        return column
