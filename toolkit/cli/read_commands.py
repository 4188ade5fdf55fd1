"""Read-only terminal commands: `p1 orders`, `p1 order ID`, `p1 stock QUERY`.

The person at the terminal is the operator, so customer names may show; e-mails and addresses only in the
single-order view, where they are needed to act on the order.
"""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from toolkit import validation
from toolkit.cli.app import app
from toolkit.cli.connection import SandboxOption, connect, fail
from toolkit.errors import InvalidArgumentError
from toolkit.vocabulary import LOW_STOCK_THRESHOLD, ORDER_STATUSES, next_order_statuses

console = Console()


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, list | dict) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _checked(check: Any, *args: Any) -> Any:
    """Run a validation before connecting, turning a refusal into a readable exit."""
    try:
        return check(*args)
    except InvalidArgumentError as exc:
        raise fail(str(exc), code=2) from None


@app.command("orders")
def list_orders(
    status: Annotated[
        str | None,
        typer.Option(
            help=f"Only orders in this status ({', '.join(ORDER_STATUSES)}). Example: --status pending"
        ),
    ] = None,
    shop: Annotated[
        str | None, typer.Option(help="Only orders of this shop id. Example: --shop shop1")
    ] = None,
    limit: Annotated[
        int, typer.Option(help="Show at most this many (newest first). Example: --limit 50")
    ] = 20,
    sandbox: SandboxOption = False,
) -> None:
    """List the newest orders. Example: p1 orders --status pending --shop shop1 --limit 10"""
    if status is not None:
        _checked(validation.order_status, status)
    _checked(validation.positive_int, "--limit", limit)
    with connect(sandbox) as p1:
        frame = p1.orders.list(status=status, shop_id=shop, max_rows=limit)
    if frame.empty:
        console.print("No orders match.")
        return
    table = Table(title=f"{len(frame)} newest orders (times in UTC)", title_justify="left")
    columns = {"id": "Order", "shop_id": "Shop", "status": "Status", "payment_status": "Payment"}
    for header in [*columns.values(), "Customer", "Total €", "Created"]:
        table.add_column(
            header, justify="right" if header == "Total €" else "left", no_wrap=header != "Customer"
        )
    for row in frame.itertuples(index=False):
        table.add_row(
            *(_cell(getattr(row, name)) for name in columns),
            _cell(row.customer_name),
            _cell(row.total_amount),
            _cell(row.created_at),
        )
    console.print(table)


@app.command("order")
def show_order(
    order_id: Annotated[str, typer.Argument(help="The order id. Example: ORD_20260614_8v039dhnrv")],
    sandbox: SandboxOption = False,
) -> None:
    """Show one order with its items. Example: p1 order ORD_20260614_8v039dhnrv"""
    _checked(validation.order_id, order_id)
    with connect(sandbox) as p1:
        order = p1.orders.get(order_id)
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    address = order.shipping_address
    flags = [name for name in ("shipped", "picked_up", "cash_on_pickup") if getattr(order, name)]
    for label, value in (
        ("Order", order.id),
        ("Status", order.status),
        ("Next", ", ".join(next_order_statuses(order.status or "")) or "–"),
        ("Shop", order.shop_id),
        ("Payment", order.payment_status),
        ("Total €", order.total_amount),
        ("Customer", order.customer_name),
        ("E-mail", order.customer_email),
        ("City", " ".join(filter(None, (address.postal_code, address.city))) if address else None),
        ("Flags", ", ".join(flags) or None),
        ("Created (UTC)", order.created_at),
        ("Updated (UTC)", order.updated_at),
    ):
        summary.add_row(label, _cell(value))
    console.print(summary)
    items = order.items_frame()
    table = Table(title="Items", title_justify="left")
    for header in ("p1_id", "Product", "Qty", "Price €", "Line €"):
        table.add_column(header, justify="left" if header in ("p1_id", "Product") else "right")
    for row in items.itertuples(index=False):
        table.add_row(*(_cell(v) for v in (row.p1_id, row.name, row.quantity, row.price, row.line_total)))
    console.print(table)


@app.command("stock")
def stock(
    query: Annotated[
        str, typer.Argument(help="Part of a product name, or a p1_id. Example: 'Zainbow' or 57672")
    ],
    shop: Annotated[
        str | None,
        typer.Option(help="Look in this shop's products instead of org stock. Example: --shop shop1"),
    ] = None,
    sandbox: SandboxOption = False,
) -> None:
    """Stock of matching products (org inventory, or one shop). Example: p1 stock Zainbow --shop shop1"""
    with connect(sandbox) as p1:
        frame = p1.products.list(shop) if shop else p1.inventory.list()
    wanted = (frame["p1_id"] == query.strip()) | frame["name"].str.contains(query, case=False, regex=False)
    matches = frame[wanted.fillna(False).astype(bool)]
    if matches.empty:
        console.print(f"No product matches {query!r}" + (f" in shop {shop}." if shop else "."))
        return
    where = f"shop {shop}" if shop else "org inventory"
    table = Table(title=f"Stock in {where} (low: {LOW_STOCK_THRESHOLD} or fewer)", title_justify="left")
    for header in ("p1_id", "Product", "Stock", "Price €", "Category"):
        table.add_column(header, justify="right" if header in ("Stock", "Price €") else "left")
    for row in matches.sort_values("name").itertuples(index=False):
        low = pd.notna(row.stock_quantity) and row.stock_quantity <= LOW_STOCK_THRESHOLD
        table.add_row(
            row.p1_id,
            row.name,
            _cell(row.stock_quantity),
            _cell(row.price),
            _cell(row.category),
            style="yellow" if low else None,
        )
    console.print(table)
