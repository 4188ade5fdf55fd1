"""`OrderForm(p1)`: an ipywidgets form that puts together an ad-hoc order request and sends it once.

The form is a view of an `OrderDraft`: every edit updates the draft, the messages beside the fields, the
total and the JSON preview (built by the toolkit call that will send it). Sending is guarded three ways:
the button is disabled while a request is in flight, a lock ignores clicks that arrive meanwhile, and the
draft keeps its `external_reference`, so a retry after an unknown outcome resends the same reference and
PharmaOne answers it with the first result instead of creating a second request.
"""

from __future__ import annotations

import html
import json
import threading
from typing import Any, Literal

import ipywidgets as W

from toolkit.errors import (
    APIStatusError,
    ConfigurationError,
    InvalidArgumentError,
    OrderRequestOutcomeUnknown,
    PharmaOneError,
)
from toolkit.vocabulary import PAYMENT_STATUSES
from toolkit.widgets import _ui
from toolkit.widgets.order_draft import (
    ADDRESS_LABELS,
    DELIVERY,
    PICKUP,
    TARGETS,
    OrderDraft,
    Product,
    offered_products,
)

State = Literal["editing", "sending", "unknown", "sent"]
#: At most this many search results are listed; typing more of the name narrows them.
MAX_MATCHES = 50

SAFE_TO_RETRY_NOTE = (
    "Sending is safe to repeat: the form keeps its external reference, and a retry after an unknown outcome "
    "sends the same reference again, which PharmaOne answers with the first request's result, so no second "
    "order request is created."
)

SHOP_PROXY_NOTE = (
    "The shop proxy's URL (P1_SHOP_URL) decides the shop: choose that shop above to pick its products."
)


class OrderForm(W.VBox):
    """Pick a shop and products, enter the customer and shipping, check the JSON, send it once."""

    def __init__(self, p1: Any) -> None:
        self.p1 = p1
        self.draft = OrderDraft()
        shop_options = _ui.shop_options(p1)
        self._known_shops = [shop_id for _, shop_id in shop_options]
        self._products: dict[str, Product] = {}  # the chosen shop's available, in-stock products
        self._products_error: str | None = None  # why the chosen shop's products could not be loaded
        self._touched: set[str] = set()
        self._show_all = False
        self._state: State = "editing"
        self._send_lock = threading.Lock()

        self.shop = _ui.shop_field(shop_options, "order-shop")
        self.search = _ui.text_input("Search products", "order-search", "part of the name, e.g. Zainbow")
        self.search.widget.continuous_update = True
        self.products = _ui.field(
            W.Select(
                options=[], rows=8, description="Products", style=_ui.FIELD_STYLE, layout={"width": "44em"}
            ),
            "order-products",
        )
        self.quantity = _ui.field(
            W.IntText(value=1, description="Quantity", style=_ui.FIELD_STYLE, layout={"width": "16em"}),
            "order-quantity",
        )
        self.add_button = _ui.button("Add to order", "order-add", tooltip="Add the selected product")
        self.items = W.VBox()
        self.items.add_class("p1-order-items")
        self.items_message = _ui.output_html("order-items-message")
        self.total = _ui.output_html("order-total")
        self.customer_name = _ui.text_input("Customer name", "order-name", "Max Mustermann")
        self.customer_email = _ui.text_input("Customer e-mail", "order-email", "max@example.com")
        self.shipping = _ui.field(
            W.ToggleButtons(
                options=[(f"Pickup ({PICKUP})", PICKUP), (f"Delivery ({DELIVERY})", DELIVERY)],
                value=PICKUP,
                description="Shipping",
                style=_ui.FIELD_STYLE,
            ),
            "order-shipping",
        )
        self.address = {
            name: _ui.text_input(label.capitalize(), f"order-{name.replace('_', '-')}")
            for name, label in ADDRESS_LABELS.items()
        }
        self.address_box = W.VBox([part.box for part in self.address.values()])
        self.payment = _ui.field(
            W.Dropdown(
                options=PAYMENT_STATUSES,
                description="Payment status",
                style=_ui.FIELD_STYLE,
                layout=_ui.FIELD_LAYOUT,
            ),
            "order-payment",
        )
        self.target = _ui.field(
            W.Dropdown(
                options=[(label, key) for key, label in TARGETS.items() if key != "shop" or p1.shop_url],
                value="v2",
                description="Send to",
                style=_ui.FIELD_STYLE,
                layout=_ui.FIELD_LAYOUT,
            ),
            "order-target",
        )
        self.reference = _ui.text_input("External reference", "order-reference")
        self.reference.widget.layout.width = "40em"  # a generated reference is about 50 characters
        self.reference.widget.value = self.draft.external_reference
        self.submit_button = _ui.button("Send order request", "order-submit", style="primary")
        self.new_button = _ui.button(
            "New order", "order-new", tooltip="Start a new order with a new reference"
        )
        self.new_button.layout.display = "none"
        self.summary = _ui.output_html("order-summary")
        self.result = _ui.output_html("order-result")
        self.preview = _ui.output_html("order-preview")

        self._wire()
        super().__init__(
            children=[
                W.HTML("<h3>Ad-hoc order request</h3>"),
                self.shop.box,
                self.search.box,
                self.products.box,
                W.HBox([self.quantity.box, self.add_button]),
                W.HTML("<b>Items</b>"),
                self.items,
                self.items_message,
                self.total,
                self.customer_name.box,
                self.customer_email.box,
                self.shipping.box,
                self.address_box,
                self.payment.box,
                self.target.box,
                self.reference.box,
                W.HBox([self.submit_button, self.new_button, self.summary]),
                W.HTML(f"<small>{html.escape(SAFE_TO_RETRY_NOTE)}</small>"),
                self.result,
                W.HTML("<b>JSON that will be sent</b>"),
                self.preview,
            ]
        )
        self.add_class("p1-order-form")
        self._render_items()
        self._refresh()

    def __repr__(self) -> str:  # short, and without the customer's details the default repr would list
        return (
            f"OrderForm(shop={self.draft.shop_id!r}, items={len(self.draft.items)}, "
            f"reference={self.draft.external_reference!r}, state={self._state!r})"
        )

    # --- wiring ---------------------------------------------------------------------------------------

    def _wire(self) -> None:
        self.shop.widget.observe(self._on_shop, "value")
        self.search.widget.observe(lambda _: self._list_products(), "value")
        self.add_button.on_click(self._on_add)
        self.submit_button.on_click(_ui.one_at_a_time(self._send_lock, self._on_submit))
        self.new_button.on_click(self._on_new)
        edits = {
            "customer_name": self.customer_name,
            "customer_email": self.customer_email,
            "shipping_option": self.shipping,
            "payment_status": self.payment,
            "target": self.target,
            "external_reference": self.reference,
            **self.address,
        }
        for name, part in edits.items():
            part.widget.observe(lambda change, name=name: self._on_edit(name, change["new"]), "value")

    def _inputs(self) -> list[W.DOMWidget]:
        """Everything that changes the order (locked while sending and after a send)."""
        parts = [
            self.shop,
            self.search,
            self.products,
            self.quantity,
            self.customer_name,
            self.customer_email,
        ]
        parts += [self.shipping, self.payment, self.target, self.reference, *self.address.values()]
        return [part.widget for part in parts] + [self.add_button, *self._remove_buttons()]

    def _remove_buttons(self) -> list[W.Button]:
        return [row.children[1] for row in self.items.children]

    # --- edits ----------------------------------------------------------------------------------------

    def _on_edit(self, name: str, value: Any) -> None:
        if name in ADDRESS_LABELS:
            self.draft.address[name] = value
        else:
            setattr(self.draft, name, value)
        self._touched.add(name)
        if name in ("customer_name", "customer_email"):
            self._touched.add("customer")  # the rule that needs one of the two
        self._refresh()

    def _on_shop(self, change: dict[str, Any]) -> None:
        self.draft.shop_id = change["new"]
        self._touched.add("shop")
        dropped = len(self.draft.items)
        self.draft.items.clear()
        self._products = {}
        self._products_error = None
        if change["new"]:
            try:
                frame = self.p1.products.list(change["new"])
            except PharmaOneError as exc:
                self._products_error = f"Could not load this shop's products: {_ui.error_text(exc)}"
            else:
                self._products = {product.p1_id: product for product in offered_products(frame)}
        self._render_items()
        self.items_message.value = (
            _ui.notice(
                f"{dropped} item(s) removed: items belong to the shop that was chosen before.", kind="warning"
            )
            if dropped
            else ""
        )
        self._list_products()
        self._refresh()

    def _list_products(self) -> None:
        words = self.search.widget.value.strip().lower()
        matches = [product for product in self._products.values() if words in product.name.lower()]
        self.products.widget.options = [
            (f"{p.name} — {p.price:.2f} € — {p.stock} in stock", p.p1_id) for p in matches[:MAX_MATCHES]
        ]
        if not self.draft.shop_id:
            hint = "Choose a shop to see its products."
        elif not matches:
            hint = "No available product in stock matches; try another part of the name."
        elif len(matches) > MAX_MATCHES:
            hint = f"Showing {MAX_MATCHES} of {len(matches)}; type more of the name to narrow."
        else:
            hint = f"{len(matches)} available product(s) in stock."
        self.products.message.value = html.escape(hint)

    def _on_add(self, _button: W.Button | None = None) -> None:
        product = self._products.get(self.products.widget.value or "")
        if product is None:
            self.quantity.show("Select a product in the list first.")
            return
        problem = self.draft.add_item(product, self.quantity.widget.value)
        self.quantity.show(problem)
        if problem is None:
            self.quantity.widget.value = 1
            self.items_message.value = ""
            self._touched.add("items")
            self._render_items()
            self._refresh()

    def _on_remove(self, p1_id: str) -> None:
        self.draft.remove_item(p1_id)
        self._render_items()
        self._refresh()

    def _render_items(self) -> None:
        rows = []
        for item in self.draft.items.values():
            remove = _ui.button("Remove", "order-remove", tooltip=f"Remove {item.product.name}")
            remove.on_click(lambda _, p1_id=item.product.p1_id: self._on_remove(p1_id))
            product = item.product
            text = f"{item.quantity} × {product.name} à {product.price:.2f} € = {item.line_total:.2f} €"
            line = W.HTML(html.escape(text))
            rows.append(W.HBox([line, remove]))
        self.items.children = rows

    # --- checking and preview -------------------------------------------------------------------------

    def _refresh(self) -> dict[str, str]:
        """Show problems, total and preview for the current draft; returns the problems."""
        problems = self.draft.problems(self._known_shops)

        def shown(*names: str) -> str | None:
            visible = [problems[n] for n in names if n in problems and (self._show_all or n in self._touched)]
            return visible[0] if visible else None

        self.shop.show(shown("shop") or self._products_error)
        self.customer_email.show(shown("customer", "customer_email"))
        self.reference.show(shown("external_reference"))
        self.target.show(SHOP_PROXY_NOTE if self.draft.target == "shop" else None, kind="info")
        for name, part in self.address.items():
            part.show(shown(name))
        items_problem = shown("items")
        if items_problem:
            self.items_message.value = _ui.notice(items_problem, kind="error")
        self.address_box.layout.display = None if self.draft.shipping_option == DELIVERY else "none"
        self.total.value = f"<b>Total: {self.draft.total:.2f} €</b>"
        self._show_preview()
        if self._state == "editing":
            self.submit_button.disabled = bool(problems)
            self.summary.value = (
                _ui.notice(f"Before sending: {' '.join(problems.values())}", kind="info") if problems else ""
            )
        return problems

    def _show_preview(self) -> None:
        try:
            body = self.draft.body(self.p1)
        except (InvalidArgumentError, ConfigurationError) as exc:
            self.preview.value = _ui.notice(f"The JSON appears here once the order is complete ({exc})")
            return
        text = json.dumps(body, indent=2, ensure_ascii=False)
        self.preview.value = f"<pre class='p1-json'>{html.escape(text)}</pre>"

    # --- sending ----------------------------------------------------------------------------------------

    def _on_submit(self, _button: W.Button | None = None) -> None:
        """Runs under `_send_lock` (see `_wire`): a click while a request is in flight is dropped."""
        if self._state == "sent":
            return
        self._show_all = True
        if self._refresh():
            return
        retry = self._state == "unknown"
        self._set_state("sending")
        self.result.value = _ui.notice(
            f"{'Resending' if retry else 'Sending'} {self.draft.external_reference}…", kind="info"
        )
        self._send_order()

    def _send_order(self) -> None:
        reference = self.draft.external_reference
        try:
            answer = self.draft.submit(self.p1)
        except OrderRequestOutcomeUnknown as exc:
            self._outcome_unknown(reference, str(exc))
        except APIStatusError as exc:
            if exc.status_code >= 500:
                self._outcome_unknown(reference, _ui.error_text(exc))
            else:  # refused: nothing was created, so the order may be corrected and sent again
                self._set_state("editing")
                self.result.value = _ui.notice(f"Not sent. {_ui.error_text(exc)}", kind="error")
        except (InvalidArgumentError, ConfigurationError) as exc:  # refused before anything was sent
            self._set_state("editing")
            self.result.value = _ui.notice(f"Not sent: {exc}", kind="error")
        except PharmaOneError as exc:
            self._outcome_unknown(reference, _ui.error_text(exc))
        else:
            self._set_state("sent")
            confirmed = answer.external_reference or reference
            self.result.value = _ui.notice(
                f"Order request {answer.id} received, status {answer.status} "
                f"(external reference {confirmed}). {answer.message or ''}".strip(),
                kind="success",
            )

    def _outcome_unknown(self, reference: str, detail: str) -> None:
        self._set_state("unknown")
        self.result.value = _ui.notice(
            f"Outcome unknown: PharmaOne did not confirm the order request {reference}. The order is locked. "
            f"Press 'Retry with the same reference': it sends {reference} again, and PharmaOne answers a "
            f"repeated reference with the first result, so no second request is created. Details: {detail}",
            kind="warning",
        )

    def _set_state(self, state: State) -> None:
        self._state = state
        locked = state != "editing"
        for widget in self._inputs():
            widget.disabled = locked
        self.submit_button.disabled = state in ("sending", "sent")
        self.submit_button.description = {
            "editing": "Send order request",
            "sending": "Sending…",
            "unknown": "Retry with the same reference",
            "sent": "Sent",
        }[state]
        self.new_button.layout.display = None if state in ("unknown", "sent") else "none"
        if state != "editing":
            self.summary.value = ""
        else:
            self._refresh()

    def _on_new(self, _button: W.Button | None = None) -> None:
        """Start over with the same shop and destination and a new external reference."""
        if self._state == "sending":
            return
        keep = {"shop_id": self.draft.shop_id, "target": self.draft.target}
        self.draft = OrderDraft(**keep)
        self._show_all = False
        self._state = "editing"  # so that the resets below are checked like edits
        for part in (self.customer_name, self.customer_email, self.search, *self.address.values()):
            part.widget.value = ""
        self.quantity.widget.value = 1
        self.shipping.widget.value = PICKUP
        self.payment.widget.value = self.draft.payment_status
        self.reference.widget.value = self.draft.external_reference
        self.result.value = ""
        self._render_items()
        self._touched.clear()  # the resets above are not the user's edits
        self._set_state("editing")
