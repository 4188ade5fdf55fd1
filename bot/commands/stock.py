"""`/p1 stock <product name or p1_id> [shop]`: matching products, stock on hand, price, a low-stock mark."""

from __future__ import annotations

import pandas as pd

from bot.commands.lookups import match_shop, shop_names
from bot.commands.registry import Invocation, UsageError, subcommand
from bot.views import stock_table

ROWS = 10


def parse_stock(args: list[str]) -> list[str]:
    if not args:
        raise UsageError("Say which product: part of its name or its p1_id.")
    return args


def split_shop(words: list[str], names: dict[str, str]) -> tuple[str, str | None]:
    """(product query, shop id): the longest trailing words that name a shop, if any, are the shop."""
    for cut in range(1, len(words)):
        shop_id = match_shop(" ".join(words[cut:]), names)
        if shop_id is not None:
            return " ".join(words[:cut]), shop_id
    return " ".join(words), None


def matching_products(products: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows whose p1_id is `query` or whose name contains it (any case): exact id first, then by name."""
    exact_id = products["p1_id"].astype("string") == query
    in_name = products["name"].astype("string").str.casefold().str.contains(query.casefold(), regex=False)
    found = products[(exact_id | in_name).fillna(False)]
    order = (~exact_id[found.index]).astype(int)
    return found.assign(_order=order).sort_values(["_order", "name"]).drop(columns="_order")


@subcommand(
    "stock",
    usage="stock <product name or p1_id> [shop]",
    summary=f"stock on hand and price of matching products (at most {ROWS}), low stock marked",
    example="stock zainbow shop1",
    parse=parse_stock,
)
def show_stock(invocation: Invocation, words: list[str]) -> None:
    names = shop_names(invocation) if len(words) > 1 else {}
    query, shop_id = split_shop(words, names)
    if shop_id is None:
        products = invocation.runtime.call(invocation.p1.inventory.list)
    else:
        products = invocation.runtime.call(invocation.p1.products.list, shop_id)
    message = stock_table(
        matching_products(products, query),
        query,
        invocation.runtime.settings.low_stock_threshold,
        shop_name=names.get(shop_id) if shop_id else None,
        limit=ROWS,
    )
    invocation.share(message)
