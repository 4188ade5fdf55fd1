"""Block Kit views: pure functions from PharmaOne models and frames to Slack blocks.

Channel views (order card, order list, stock) never read the customer fields; `customer_blocks` is the only
view that does, and the bot sends it only ephemerally to an operator.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from toolkit.vocabulary import next_order_statuses

Blocks = list[dict[str, Any]]

ACTION_SHOW_CUSTOMER = "order_show_customer"
ACTION_SET_STATUS = "order_set_status"
ACTION_CONFIRM_STATUS = "status_confirm"
ACTION_CANCEL_STATUS = "status_cancel"

MAX_LINE_ITEMS = 25
SECTION_LIMIT = 3000  # characters Slack accepts in one section's text


# --- small pieces ------------------------------------------------------------------------------------


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text[:SECTION_LIMIT]), **extra}


def context(*texts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts]}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain(text[:150])}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def money(amount: float | None) -> str:
    return "–" if amount is None or pd.isna(amount) else f"€{amount:,.2f}"


def local_time(moment: datetime | pd.Timestamp | None, zone: ZoneInfo) -> str:
    """A timestamp in the pharmacy's time zone, e.g. "14.06.2026 13:44 CEST"."""
    if moment is None or pd.isna(moment):
        return "–"
    return pd.Timestamp(moment).tz_convert(zone).strftime("%d.%m.%Y %H:%M %Z")


def yes_no(flag: bool | None) -> str:
    return "–" if flag is None or pd.isna(flag) else ("yes" if flag else "no")


def text_message(text: str) -> dict[str, Any]:
    """A plain answer: `text` plus one section, so every reply has blocks and a notification text."""
    return {"text": text, "blocks": [section(text)]}


# --- orders ------------------------------------------------------------------------------------------


def line_item(item: Any) -> str:
    """ "• 11 × 24/1 IUVO KC OJ Zainbow — €8.75 = *€96.25*" (name, quantity, price, line total)."""
    known = item.quantity is not None and item.price is not None
    total = money(item.quantity * item.price) if known else "–"
    quantity = "?" if item.quantity is None else item.quantity
    return f"• {quantity} × {item.name or 'unnamed item'} — {money(item.price)} = *{total}*"


def order_card(order: Any, shop_name: str, zone: ZoneInfo, *, actions: bool = True) -> dict[str, Any]:
    """The channel card of one order: numbers, items and flags, never the customer."""
    order_id = order.id
    facts = [
        ("Shop", shop_name),
        ("Status", f"`{order.status}`" if order.status else "–"),
        ("Payment", f"`{order.payment_status}`" if order.payment_status else "–"),
        ("Total", money(order.total_amount)),
        ("Created", local_time(order.created_at, zone)),
        ("Updated", local_time(order.updated_at, zone)),
    ]
    items = list(order.items or [])
    lines = [line_item(item) for item in items[:MAX_LINE_ITEMS]]
    if len(items) > MAX_LINE_ITEMS:
        lines.append(f"… and {len(items) - MAX_LINE_ITEMS} more line items")
    flags = (
        f"Shipped: *{yes_no(order.shipped)}*  ·  Picked up: *{yes_no(order.picked_up)}*  ·  "
        f"Cash on pickup: *{yes_no(order.cash_on_pickup)}*"
    )
    shipping_option = getattr(order, "shipping_option", None)  # seen in the examples, not in the schema
    if shipping_option:
        flags += f"  ·  Shipping: *{shipping_option}*"
    blocks: Blocks = [
        header(f"Order {order_id}"),
        {"type": "section", "fields": [mrkdwn(f"*{name}*\n{value}") for name, value in facts]},
        section("*Line items*\n" + ("\n".join(lines) if lines else "_no line items_")),
        context(flags),
    ]
    if actions:
        elements = [button("Show customer", ACTION_SHOW_CUSTOMER, order_id)]
        next_statuses = next_order_statuses(order.status)
        if next_statuses:
            elements.append(
                {
                    "type": "static_select",
                    "action_id": ACTION_SET_STATUS,
                    "placeholder": plain("Move to status…"),
                    "options": [
                        {"text": plain(s), "value": json.dumps({"order_id": order_id, "status": s})}
                        for s in next_statuses
                    ],
                }
            )
        blocks.append({"type": "actions", "block_id": f"order_actions:{order_id}", "elements": elements})
    return {
        "text": f"Order {order_id}: {order.status}, {money(order.total_amount)} ({shop_name})",
        "blocks": blocks,
    }


def customer_blocks(order: Any) -> dict[str, Any]:
    """Customer details of one order, for the asking operator only (ephemeral)."""
    address = order.shipping_address

    def get(name: str) -> Any:
        return address.get(name) if isinstance(address, Mapping) else getattr(address, name, None)

    street, postal, city, phone = (
        get(n) if address else None for n in ("street", "postal_code", "city", "phone")
    )
    address_line = ", ".join(str(p) for p in (street, " ".join(str(x) for x in (postal, city) if x)) if p)
    fields = [
        ("Name", order.customer_name),
        ("E-mail", order.customer_email),
        ("Phone", phone),
        ("Address", address_line),
    ]
    return {
        "text": f"Customer of {order.id} (only you can see this)",
        "blocks": [
            section(f":lock: *Customer of {order.id}* — only you can see this."),
            {"type": "section", "fields": [mrkdwn(f"*{k}*\n{v or '–'}") for k, v in fields]},
        ],
    }


def orders_overview(
    orders: pd.DataFrame,
    shop_names: Mapping[str, str],
    zone: ZoneInfo,
    *,
    status: str | None,
    shop_id: str | None,
    limit: int = 10,
) -> dict[str, Any]:
    """The newest `limit` orders of a listing and the count by status (no customer column is read)."""
    scope = " · ".join(
        part
        for part in (
            f"status {status}" if status else "",  # a header: plain text
            shop_names.get(shop_id, shop_id) if shop_id else "",
        )
        if part
    )
    title = f"Orders{' — ' + scope if scope else ''}"
    if orders.empty:
        return text_message(f"{title}: no orders match.")
    newest = orders.sort_values(["created_at", "id"], ascending=[False, True], kind="stable").head(limit)
    lines = [
        f"`{row.id}` · {shop_names.get(row.shop_id, row.shop_id)} · `{row.status}` · "
        f"{money(row.total_amount)}, payment {row.payment_status} · {local_time(row.created_at, zone)}"
        for row in newest.itertuples()
    ]
    counts = orders["status"].value_counts()
    count_text = "  ·  ".join(f"{name}: *{n}*" for name, n in counts.items())
    return {
        "text": f"{title}: {len(orders)} orders",
        "blocks": [
            header(title),
            section(f"*Newest {len(newest)} of {len(orders)}*\n" + "\n".join(lines)),
            context(f"By status: {count_text}"),
        ],
    }


# --- stock -------------------------------------------------------------------------------------------


def stock_table(
    matches: pd.DataFrame, query: str, threshold: int, *, shop_name: str | None, limit: int = 10
) -> dict[str, Any]:
    """Matching products with stock, price and a low-stock mark; at most `limit` rows."""
    where = f" in {shop_name}" if shop_name else ""
    if matches.empty:
        return text_message(f"No product{where} matches “{query}”.")
    shown = matches.head(limit)
    lines = []
    for row in shown.itertuples():
        stock = row.stock_quantity
        low = not pd.isna(stock) and stock <= threshold
        mark = " :warning: *low*" if low else ""
        stock_text = "?" if pd.isna(stock) else f"{int(stock)}"
        lines.append(f"`{row.p1_id}` {row.name} — *{stock_text}* in stock · {money(row.price)}{mark}")
    more = len(matches) - len(shown)
    blocks: Blocks = [section(f"*Stock{where} for “{query}”*\n" + "\n".join(lines))]
    notes = [f"Low = {threshold} or fewer in stock."]
    if more:
        notes.insert(0, f"{more} more match{'es' if more != 1 else ''}; narrow the search to see them.")
    blocks.append(context(*notes))
    return {"text": f"Stock{where} for “{query}”: {len(matches)} match(es)", "blocks": blocks}


# --- status change -----------------------------------------------------------------------------------


def confirm_status(order_id: str, current: str, target: str) -> dict[str, Any]:
    """The private question asked before a status change."""
    value = json.dumps({"order_id": order_id, "from": current, "to": target})
    return {
        "text": f"Move {order_id} from {current} to {target}?",
        "blocks": [
            section(f"Move *{order_id}* from `{current}` to `{target}`?"),
            {
                "type": "actions",
                "block_id": f"status_confirm:{order_id}",
                "elements": [
                    button("Confirm", ACTION_CONFIRM_STATUS, value, style="primary"),
                    button("Cancel", ACTION_CANCEL_STATUS, value),
                ],
            },
        ],
    }


def status_moved(user_id: str, order_id: str, old: str, new: str) -> dict[str, Any]:
    return text_message(f"<@{user_id}> moved {order_id} from {old} to {new}")


# --- help --------------------------------------------------------------------------------------------


def help_message(entries: Iterable[tuple[str, str, str]], hidden: Sequence[str]) -> dict[str, Any]:
    """`entries` are (usage, what it does, example); `hidden` names commands the caller may not run."""
    lines = [f"• `/p1 {usage}` — {summary}\n    e.g. `/p1 {example}`" for usage, summary, example in entries]
    blocks: Blocks = [section("*What you can run*\n" + "\n".join(lines))]
    if hidden:
        blocks.append(context(f"Operators may also run: {', '.join(f'`{h}`' for h in hidden)}."))
    return {"text": "PharmaOne commands", "blocks": blocks}
