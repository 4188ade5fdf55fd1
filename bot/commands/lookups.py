"""PharmaOne look-ups shared by several sub-commands: one order, the shops and their names."""

from __future__ import annotations

from typing import Any

from bot.commands.registry import Invocation, UsageError
from toolkit.errors import NotFoundError
from toolkit.vocabulary import ORDER_ID_EXAMPLE, ORDER_ID_PATTERN


def order_id_argument(word: str) -> str:
    """An order id as typed; raises `UsageError` for anything that cannot be one."""
    if not ORDER_ID_PATTERN.match(word):
        raise UsageError(f"`{word}` is not an order id: order ids look like `{ORDER_ID_EXAMPLE}`.")
    return word


def fetch_order(invocation: Invocation, order_id: str) -> Any | None:
    """The order, or None after telling the caller privately that PharmaOne has no such order."""
    try:
        return invocation.runtime.call(invocation.p1.orders.get, order_id)
    except NotFoundError:
        invocation.private(
            f"PharmaOne has no order `{order_id}`. Check the id, or list recent ones with `/p1 orders`."
        )
        return None


SHOPS_KEPT_SECONDS = 300.0


def shop_names(invocation: Invocation) -> dict[str, str]:
    """shop_id -> name of every shop of the org (asked again after five minutes)."""

    def ask() -> dict[str, str]:
        shops = invocation.runtime.call(invocation.p1.shops.list)
        return dict(zip(shops["shop_id"], shops["name"], strict=True))

    return invocation.runtime.remember("shop_names", SHOPS_KEPT_SECONDS, ask)


def match_shop(words: str, names: dict[str, str]) -> str | None:
    """The shop a user means by `words` (its id or its name, any case), or None."""
    wanted = words.strip().casefold()
    for shop_id, name in names.items():
        if wanted in (shop_id.casefold(), str(name).casefold()):
            return shop_id
    return None


def unknown_shop(words: str, names: dict[str, str]) -> str:
    shops = ", ".join(f"`{shop_id}` ({name})" for shop_id, name in names.items())
    return f"There is no shop “{words}”. Shops: {shops}."
