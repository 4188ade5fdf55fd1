"""One Slack message per known PharmaOne event, built only from ids, statuses and numbers in the metadata.

The event's free-text `description` (and `title`) may name a customer, so nothing is copied from them; a
message carries no customer name, e-mail, phone or address, and `bot.privacy` checks that again before it
is recorded for posting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from toolkit.webhooks import (
    LowStock,
    OrderCreated,
    OrderDeleted,
    OrderMarkedPaid,
    OrderRequestCreated,
    OrderStatusUpdated,
    OrderUpdated,
    OutOfStock,
    PaperlessSignatureCompleted,
    PrescriptionApproved,
    StockMetadata,
    WebhookEvent,
    WebhookTest,
)


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the notification and fallback text (Slack mrkdwn)
    blocks: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _escape(value: object) -> str:
    """Slack's three control characters, so a product name cannot become a link or a mention."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _joined(*parts: str | None) -> str:
    return " · ".join(part for part in parts if part)


def _shop(shop_id: str | None) -> str | None:
    return f"shop {_escape(shop_id)}" if shop_id else None


def _order_created(event: OrderCreated) -> str:
    meta = event.metadata
    amount = f"{meta.total_amount:.2f} EUR" if meta.total_amount is not None else None
    status = _escape(meta.status) if meta.status else None
    return _joined(f":new: New order `{_escape(meta.order_id)}`", _shop(meta.shop_id), amount, status)


def _order_event(emoji: str, what: str) -> Callable[[Any], str]:
    """Events about an order that say nothing but what happened to it."""

    def line(event: OrderUpdated | OrderMarkedPaid | OrderDeleted) -> str:
        meta = event.metadata
        return _joined(f"{emoji} Order `{_escape(meta.order_id)}` {what}", _shop(meta.shop_id))

    return line


def _order_status_updated(event: OrderStatusUpdated) -> str:
    meta = event.metadata
    moved = meta.old_status not in (None, meta.new_status)
    status = f"{_escape(meta.old_status)} → {_escape(meta.new_status)}" if moved else _escape(meta.new_status)
    flags = [
        f"{label}: {'yes' if value else 'no'}"
        for label, value in (("shipped", meta.shipped), ("picked up", meta.picked_up))
        if value is not None
    ]
    return _joined(
        f":arrows_counterclockwise: `{_escape(meta.order_id)}` {status}", *flags, _shop(meta.shop_id)
    )


def _order_request_created(event: OrderRequestCreated) -> str:
    meta = event.metadata
    return _joined(
        f":inbox_tray: New order request `{_escape(meta.order_request_id)}` to review in Manager",
        _shop(meta.shop_id),
        f"from {_escape(meta.source)}" if meta.source else None,
        f"ref `{_escape(meta.external_reference)}`" if meta.external_reference else None,
    )


def _product(meta: StockMetadata) -> str:
    name = f"*{_escape(meta.name)}* " if meta.name else ""
    return f"{name}(p1_id {_escape(meta.p1_id)})"


def _low_stock(event: LowStock) -> str:
    meta = event.metadata
    threshold = f" (threshold {meta.threshold})" if meta.threshold is not None else ""
    return _joined(
        f":warning: Low stock: {_product(meta)}: {meta.stock_quantity} left{threshold}", _shop(meta.shop_id)
    )


def _out_of_stock(event: OutOfStock) -> str:
    meta = event.metadata
    return _joined(
        f":no_entry: Out of stock: {_product(meta)}: {meta.stock_quantity} left", _shop(meta.shop_id)
    )


def _prescription_event(emoji: str, what: str) -> Callable[[Any], str]:
    def line(event: PrescriptionApproved | PaperlessSignatureCompleted) -> str:
        meta = event.metadata
        return _joined(
            f"{emoji} Prescription `{_escape(meta.prescription_id)}` {what}",
            _shop(meta.shop_id),
            f"order `{_escape(meta.order_id)}`" if meta.order_id else None,
        )

    return line


RENDERERS: dict[type[WebhookEvent], Callable[[Any], str]] = {
    OrderCreated: _order_created,
    OrderUpdated: _order_event(":pencil2:", "updated"),
    OrderStatusUpdated: _order_status_updated,
    OrderMarkedPaid: _order_event(":moneybag:", "marked paid"),
    OrderDeleted: _order_event(":wastebasket:", "deleted"),
    OrderRequestCreated: _order_request_created,
    LowStock: _low_stock,
    OutOfStock: _out_of_stock,
    PrescriptionApproved: _prescription_event(":white_check_mark:", "approved"),
    PaperlessSignatureCompleted: _prescription_event(":lower_left_fountain_pen:", "signature completed"),
    WebhookTest: lambda _: (
        ":white_check_mark: PharmaOne test delivery received: signature verified, relay working"
    ),
}


def render(event: WebhookEvent) -> SlackMessage | None:
    """The message for `event`, or None for an event type this project does not know."""
    renderer = RENDERERS.get(type(event))
    if renderer is None:
        return None
    text = renderer(event)
    stamp = int(event.created_at.timestamp())
    when = f"<!date^{stamp}^{{date_short_pretty}} {{time}}|{event.created_at:%Y-%m-%d %H:%M} UTC>"
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"PharmaOne `{_escape(event.event_type)}` · {when}"}],
        },
    ]
    return SlackMessage(text=text, blocks=blocks)
