"""`/p1 order <order id>`: the order card, posted to the channel without the customer."""

from __future__ import annotations

from bot.commands.lookups import fetch_order, order_id_argument, shop_names
from bot.commands.registry import Invocation, UsageError, subcommand
from bot.privacy import customer_details
from bot.views import order_card
from toolkit.vocabulary import ORDER_ID_EXAMPLE


def parse_order(args: list[str]) -> str:
    if len(args) != 1:
        raise UsageError("Give exactly one order id.")
    return order_id_argument(args[0])


@subcommand(
    "order",
    usage="order <order id>",
    summary="an order's status, payment, total, times, line items and flags",
    example=f"order {ORDER_ID_EXAMPLE}",
    parse=parse_order,
)
def show_order(invocation: Invocation, order_id: str) -> None:
    order = fetch_order(invocation, order_id)
    if order is None:
        return
    shop_name = shop_names(invocation).get(order.shop_id, order.shop_id)
    card = order_card(order, shop_name, invocation.runtime.settings.zone)
    invocation.share(card, known=customer_details(order))
