"""`/p1 orders [status] [shop]`: the newest matching orders and the count by status."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.lookups import match_shop, shop_names, unknown_shop
from bot.commands.registry import Invocation, subcommand
from bot.views import orders_overview
from toolkit.vocabulary import ORDER_STATUSES

LINES = 10


@dataclass(frozen=True)
class OrdersQuery:
    status: str | None
    shop: str | None  # as typed; resolved against the shop list when the command runs


def parse_orders(args: list[str]) -> OrdersQuery:
    status = args[0].lower() if args and args[0].lower() in ORDER_STATUSES else None
    rest = args[1:] if status else args
    return OrdersQuery(status, " ".join(rest) or None)


@subcommand(
    "orders",
    usage="orders [status] [shop]",
    summary=f"the newest {LINES} orders (optionally of one status and/or shop) and the count by status",
    example="orders awaiting_packing shop1",
    parse=parse_orders,
)
def list_orders(invocation: Invocation, query: OrdersQuery) -> None:
    names = shop_names(invocation)
    shop_id = None
    if query.shop:
        shop_id = match_shop(query.shop, names)
        if shop_id is None:
            statuses = ", ".join(f"`{s}`" for s in ORDER_STATUSES)
            invocation.private(
                f"{unknown_shop(query.shop, names)} (If you meant a status: statuses are {statuses}.) "
                "Type e.g. `/p1 orders awaiting_packing shop1`."
            )
            return
    orders = invocation.runtime.call(invocation.p1.orders.list, status=query.status, shop_id=shop_id)
    message = orders_overview(
        orders, names, invocation.runtime.settings.zone, status=query.status, shop_id=shop_id, limit=LINES
    )
    invocation.share(message, known=[str(n) for n in orders["customer_name"].dropna().unique()])
