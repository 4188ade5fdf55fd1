"""`/p1 status <order id> <status>` and the status menu: ask first, then change, audit every attempt.

The flow: propose (operator check, the order's current status, the transition table) -> a private
Confirm/Cancel question -> on Confirm: operator check again, re-read the order (it may have moved on since),
PATCH, tell the channel who moved what (no patient data). Every attempt is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands.lookups import fetch_order, order_id_argument
from bot.commands.registry import Invocation, UsageError, subcommand
from bot.runtime import PharmaOneUnavailable
from bot.views import confirm_status, status_moved
from toolkit.errors import APIStatusError, ConflictError, NotFoundError
from toolkit.vocabulary import ORDER_ID_EXAMPLE, ORDER_STATUSES, next_order_statuses

AUDIT_COMMAND = "status"


@dataclass(frozen=True)
class StatusChange:
    order_id: str
    status: str


def parse_status(args: list[str]) -> StatusChange:
    if len(args) != 2:
        raise UsageError("Give an order id and the new status.")
    order_id = order_id_argument(args[0])
    status = args[1].lower()
    if status not in ORDER_STATUSES:
        raise UsageError(f"`{args[1]}` is not an order status; statuses are {_listing(ORDER_STATUSES)}.")
    return StatusChange(order_id, status)


def _listing(statuses: tuple[str, ...]) -> str:
    return ", ".join(f"`{s}`" for s in statuses) if statuses else "none (it is final)"


def _denied(invocation: Invocation, arguments: dict[str, str]) -> bool:
    """Check the operator role; when denied, audit it and tell the caller why. True when denied."""
    decision = invocation.runtime.policy.may_change(invocation.user_id, invocation.channel_id)
    if decision:
        return False
    invocation.audit(AUDIT_COMMAND, arguments, "denied", result=decision.reason)
    invocation.private(f":no_entry: {decision.reason} Nothing was changed.")
    return True


def _refusal(current: str, target: str) -> str | None:
    if target == current:
        return f"it is already `{current}`"
    if target not in next_order_statuses(current):
        return f"it is `{current}`, which can move to {_listing(next_order_statuses(current))}"
    return None


@subcommand(
    "status",
    usage="status <order id> <status>",
    summary="move an order to its next status (asks first; operators only)",
    example=f"status {ORDER_ID_EXAMPLE} ready_pickup",
    parse=parse_status,
    changes=True,
)
def propose_change(invocation: Invocation, change: StatusChange) -> None:
    arguments = {"order_id": change.order_id, "status": change.status, "step": "request"}
    if _denied(invocation, arguments):
        return
    order = fetch_order(invocation, change.order_id)
    if order is None:
        return
    refusal = _refusal(order.status, change.status)
    if refusal:
        invocation.audit(AUDIT_COMMAND, arguments, "refused", result=refusal)
        invocation.private(
            f"`{change.order_id}` cannot move to `{change.status}`: {refusal}. Nothing was changed. "
            f"Type e.g. `/p1 status {change.order_id} <one of those>`."
        )
        return
    invocation.private(confirm_status(change.order_id, order.status, change.status))


def apply_change(invocation: Invocation, order_id: str, expected: str, target: str) -> None:
    """The Confirm button: change the status if the order is still where the user saw it."""
    arguments = {"order_id": order_id, "from": expected, "status": target, "step": "confirm"}
    if _denied(invocation, arguments):
        return
    entry = invocation.audit(AUDIT_COMMAND, arguments, "allowed")
    try:
        order = invocation.runtime.call(invocation.p1.orders.get, order_id)
        if order.status != expected:
            invocation.runtime.store.audit_result(entry, f"refused: order is now {order.status}")
            invocation.replace(
                f"`{order_id}` is now `{order.status}` (it moved since you asked); nothing was changed. "
                f"Run `/p1 order {order_id}` to see it."
            )
            return
        refusal = _refusal(order.status, target)
        if refusal:
            invocation.runtime.store.audit_result(entry, f"refused: {refusal}")
            invocation.replace(f"`{order_id}` cannot move to `{target}`: {refusal}. Nothing was changed.")
            return
        result = invocation.runtime.call(invocation.p1.orders.set_status, order_id, target, changes=True)
    except PharmaOneUnavailable as exc:
        invocation.runtime.store.audit_result(entry, exc.outcome, exc.request_id)
        invocation.replace(f":hourglass: {exc}")
        return
    except (ConflictError, NotFoundError) as exc:
        invocation.runtime.store.audit_result(entry, f"refused: {_api_reason(exc)}", exc.request_id)
        invocation.replace(f"PharmaOne refused the change: {_api_reason(exc)}. Nothing was changed.")
        return
    invocation.runtime.store.audit_result(entry, "ok", getattr(result, "request_id", None))
    invocation.replace(f":white_check_mark: `{order_id}` is now `{target}`.")
    invocation.share(status_moved(invocation.user_id, order_id, expected, target))


def cancel_change(invocation: Invocation, order_id: str, expected: str, target: str) -> None:
    invocation.audit(
        AUDIT_COMMAND,
        {"order_id": order_id, "from": expected, "status": target, "step": "cancel"},
        "cancelled",
    )
    invocation.replace(f"Cancelled: `{order_id}` stays `{expected}`.")


def _api_reason(exc: APIStatusError) -> str:
    return exc.message or exc.error or f"HTTP {exc.status_code}"
