"""OrderForm driven like a user (set values, click buttons) against a sandbox."""

from __future__ import annotations

import threading
import time
from typing import Any

import ipywidgets as W
import pytest
from form_helpers import received, shown_json, shown_text

from toolkit import Client
from toolkit.widgets import OrderForm
from toolkit.widgets.order_draft import DELIVERY

SHOP = "shop1"
ORDER_REQUESTS = "order-requests"


def offered_product(p1: Any, *, min_stock: int = 2) -> dict[str, Any]:
    """A product of SHOP the form should offer (available, with at least `min_stock` in stock)."""
    frame = p1.products.list(SHOP)
    offered = frame[frame["available"].fillna(False).astype(bool) & (frame["stock_quantity"] >= min_stock)]
    return offered.iloc[0].to_dict()


def add_product(form: OrderForm, product: dict[str, Any], quantity: int) -> None:
    form.search.widget.value = product["name"][:10]
    form.products.widget.value = product["p1_id"]
    form.quantity.widget.value = quantity
    form.add_button.click()


def fill_order(form: OrderForm, product: dict[str, Any], *, quantity: int = 1, customer: bool = True) -> None:
    form.shop.widget.value = SHOP
    add_product(form, product, quantity)
    if customer:
        form.customer_name.widget.value = "Max Mustermann"
        form.customer_email.widget.value = "max@example.com"


def sent_requests(sandbox: Any, expect: int = 0) -> list[dict[str, Any]]:
    return received(sandbox, "POST", ORDER_REQUESTS, expect=expect)


def stored_requests(sandbox: Any, reference: str) -> list[dict[str, Any]]:
    return sandbox.query("SELECT * FROM order_requests WHERE external_reference = ?", reference)


def test_valid_order_sends_exactly_the_previewed_json_once(p1, sandbox) -> None:
    form = OrderForm(p1)
    product = offered_product(p1)
    fill_order(form, product, quantity=2)
    previewed = shown_json(form.preview)
    assert form.submit_button.disabled is False
    assert f"Total: {2 * product['price']:.2f} €" in shown_text(form.total)

    form.submit_button.click()

    [sent] = sent_requests(sandbox, 1)
    assert sent["json"] == previewed
    assert sent["path"].startswith(f"/api/v2/public/orgs/{sandbox.org_id}/")
    assert previewed["payload"]["items"] == [
        {"p1_id": product["p1_id"], "name": product["name"], "quantity": 2, "price": product["price"]}
    ]
    [stored] = stored_requests(sandbox, previewed["external_reference"])
    result = shown_text(form.result)
    assert stored["id"] in result and "status pending" in result
    assert form.submit_button.disabled and form.submit_button.description == "Sent"
    assert form.customer_email.widget.disabled and form.new_button.layout.display is None


def test_only_available_products_in_stock_are_offered_with_price_and_stock(p1, sandbox) -> None:
    form = OrderForm(p1)
    form.shop.widget.value = SHOP
    frame = p1.products.list(SHOP)
    expected = frame[frame["available"].fillna(False).astype(bool) & (frame["stock_quantity"] > 0)]
    offered = dict((value, label) for label, value in form.products.widget.options)
    assert set(offered) == set(expected["p1_id"]) and len(frame) > len(expected) > 0
    row = expected.iloc[0]
    assert offered[row["p1_id"]] == f"{row['name']} — {row['price']:.2f} € — {row['stock_quantity']} in stock"
    form.search.widget.value = row["name"].upper()
    assert row["p1_id"] in dict((v, k) for k, v in form.products.widget.options)
    form.search.widget.value = "no product is called like this"
    assert form.products.widget.options == ()
    assert "No available product" in shown_text(form.products.message)


def test_missing_customer_is_refused_beside_the_field_and_nothing_is_sent(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1), customer=False)
    assert form.submit_button.disabled  # the form already knows
    assert "name or e-mail" in shown_text(form.summary)

    form.submit_button.click()  # clicked anyway

    assert sent_requests(sandbox) == []
    assert "Enter the customer's name or e-mail" in shown_text(form.customer_email.message)
    form.customer_email.widget.value = "max@"
    assert "'max@' is not an e-mail address" in shown_text(form.customer_email.message)
    form.customer_email.widget.value = "max@example.com"
    assert shown_text(form.customer_email.message) == "" and not form.submit_button.disabled


def test_clearing_the_only_customer_detail_shows_the_problem_as_you_type(p1) -> None:
    form = OrderForm(p1)
    assert shown_text(form.customer_email.message) == ""  # nothing typed yet: no message
    form.customer_name.widget.value = "Max"
    form.customer_name.widget.value = ""
    assert "Enter the customer's name or e-mail" in shown_text(form.customer_email.message)


def test_quantity_above_stock_is_refused_and_not_added(p1, sandbox) -> None:
    form = OrderForm(p1)
    product = offered_product(p1)
    form.shop.widget.value = SHOP
    stock = int(product["stock_quantity"])

    add_product(form, product, stock + 1)

    assert shown_text(form.quantity.message) == f"Only {stock} in stock: choose a quantity from 1 to {stock}."
    assert form.draft.items == {} and form.items.children == ()
    add_product(form, product, stock)
    assert shown_text(form.quantity.message) == "" and len(form.items.children) == 1
    add_product(form, product, 1)
    assert "Only 0 in stock" in shown_text(form.quantity.message)
    assert form.draft.items[product["p1_id"]].quantity == stock


def test_items_can_be_removed(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    [row] = form.items.children
    row.children[1].click()
    assert form.items.children == () and form.draft.items == {}
    assert "Add at least one product" in shown_text(form.items_message)
    assert "Total: 0.00 €" in shown_text(form.total) and form.submit_button.disabled


def test_double_click_sends_once(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    form.submit_button.click()
    form.submit_button.click()
    assert len(sent_requests(sandbox, 1)) == 1


def test_a_click_while_sending_is_ignored(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    sandbox.configure(latency_ms=800)
    try:
        first = threading.Thread(target=form.submit_button.click)
        first.start()
        deadline = time.monotonic() + 10
        while form.submit_button.description != "Sending…" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert form.submit_button.disabled and form.customer_name.widget.disabled
        form.submit_button.click()  # the second click arrives while the first request is in flight
        first.join(timeout=30)
    finally:
        sandbox.configure(latency_ms=0)
    assert len(sent_requests(sandbox, 1)) == 1
    assert "received" in shown_text(form.result)


@pytest.mark.parametrize("after_handler", [False, True], ids=["lost-before", "answer-lost-after"])
def test_5xx_then_retry_with_the_same_reference_creates_one_request(p1, sandbox, after_handler: bool) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    reference = form.draft.external_reference
    sandbox.fail_next(1, status=503, path_contains=ORDER_REQUESTS, after_handler=after_handler)

    form.submit_button.click()

    assert "Outcome unknown" in shown_text(form.result) and reference in shown_text(form.result)
    assert form.submit_button.description == "Retry with the same reference"
    assert not form.submit_button.disabled
    assert form.customer_email.widget.disabled and form.reference.widget.disabled  # the order is locked

    form.submit_button.click()

    first, second = sent_requests(sandbox, 2)
    assert first["status"] == 503 and second["status"] == 200
    assert second["json"]["external_reference"] == reference
    if after_handler:  # the sandbox records a body only for requests that reached their handler
        assert first["json"] == second["json"]
    [stored] = stored_requests(sandbox, reference)
    assert stored["id"] in shown_text(form.result)
    form.submit_button.click()
    assert len(sent_requests(sandbox, 2)) == 2


def test_a_refusal_unlocks_the_form_to_correct_it(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    sandbox.fail_next(1, status=422, path_contains=ORDER_REQUESTS)
    form.submit_button.click()
    assert "Not sent. PharmaOne refused it with 422" in shown_text(form.result)
    assert not form.customer_email.widget.disabled and form.submit_button.description == "Send order request"
    form.submit_button.click()
    assert [r["status"] for r in sent_requests(sandbox, 2)] == [422, 200]


def test_delivery_needs_an_address_which_is_sent(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    assert form.address_box.layout.display == "none"
    form.shipping.widget.value = DELIVERY
    assert form.address_box.layout.display is None
    form.submit_button.click()
    assert sent_requests(sandbox) == []
    assert "Enter the street" in shown_text(form.address["address_street"].message)
    values = {
        "address_street": "Musterstr. 1",
        "address_postal_code": "10115",
        "address_city": "Berlin",
        "address_phone": "+49 30 1234567",
    }
    for name, value in values.items():
        form.address[name].widget.value = value
    form.submit_button.click()
    [sent] = sent_requests(sandbox, 1)
    assert {name: sent["json"]["payload"][name] for name in values} == values
    assert sent["json"]["payload"]["shipping_option"] == DELIVERY


@pytest.mark.parametrize(
    ("target", "path_part"), [("v1", "/api/v1/public/orgs/"), ("shop", "/api/v1/external-order")]
)
def test_other_destinations(p1, sandbox, target: str, path_part: str) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    form.target.widget.value = target
    previewed = shown_json(form.preview)
    form.submit_button.click()
    [sent] = received(sandbox, "POST", path_part, expect=1)
    assert sent["json"] == previewed
    assert ("shop_id" in previewed["payload"]) is (target != "shop")
    assert "received" in shown_text(form.result)


def test_external_reference_is_editable_and_new_order_gets_a_new_one(p1, sandbox) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    form.reference.widget.value = "POS-TEST-0001"
    assert shown_json(form.preview)["external_reference"] == "POS-TEST-0001"
    form.submit_button.click()
    assert len(stored_requests(sandbox, "POS-TEST-0001")) == 1

    form.new_button.click()

    assert form.reference.widget.value not in ("", "POS-TEST-0001")
    assert form.draft.items == {} and form.customer_email.widget.value == ""
    assert not form.customer_email.widget.disabled and form.shop.widget.value == SHOP
    assert form.submit_button.description == "Send order request"


def test_the_repr_leaves_out_the_customer(p1) -> None:
    form = OrderForm(p1)
    fill_order(form, offered_product(p1))
    assert "max@example.com" not in repr(form) and "Mustermann" not in repr(form)
    assert "items=1" in repr(form)


def test_the_shop_proxy_says_that_its_url_decides_the_shop(p1) -> None:
    form = OrderForm(p1)
    form.target.widget.value = "shop"
    assert "P1_SHOP_URL" in shown_text(form.target.message)
    form.target.widget.value = "v2"
    assert shown_text(form.target.message) == ""


def test_without_a_shop_url_the_shop_proxy_is_not_offered(sandbox) -> None:
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key) as no_proxy:
        form = OrderForm(no_proxy)
    assert [value for _, value in form.target.widget.options] == ["v2", "v1"]


def test_widgets_carry_labels_and_css_classes(p1) -> None:
    form = OrderForm(p1)
    assert form.customer_email.widget.description == "Customer e-mail"
    assert "p1-order-email" in form.customer_email.widget._dom_classes
    assert "p1-order-email-message" in form.customer_email.message._dom_classes
    assert "p1-order-submit" in form.submit_button._dom_classes
    assert "p1-order-form" in form._dom_classes


def test_a_callback_error_is_caught_by_the_test_guard(callback_errors) -> None:
    button = W.Button()
    button.on_click(lambda _: 1 / 0)
    button.click()
    assert [record.exc_info[0] for record in callback_errors] == [ZeroDivisionError]
    callback_errors.clear()
