"""The "Show customer" button: an operator sees an order's customer privately; every reveal is audited."""

from __future__ import annotations

from bot.commands.lookups import fetch_order
from bot.commands.registry import Invocation
from bot.views import customer_blocks


def show_customer(invocation: Invocation, order_id: str) -> None:
    decision = invocation.runtime.policy.may_change(invocation.user_id, invocation.channel_id)
    arguments = {"order_id": order_id}
    if not decision:
        invocation.audit("show_customer", arguments, "denied", result=decision.reason)
        invocation.private(f":no_entry: {decision.reason}")
        return
    order = fetch_order(invocation, order_id)
    if order is None:
        return
    invocation.audit("show_customer", arguments, "allowed", result="ok")
    invocation.private(customer_blocks(order))
