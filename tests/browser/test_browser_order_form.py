"""The ad-hoc order notebook in a real browser: Voila serves it on a sandbox, Chromium fills the form in.

What a person does: choose a shop, find products by typing part of their name, add them, enter an e-mail,
send; the page shows the result, and the sandbox holds exactly what was sent, once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from browser_harness import save_screenshot
from playwright.sync_api import Locator, Page, expect

from toolkit import Client
from toolkit.sandbox import Sandbox
from toolkit.vocabulary import ORDER_REQUEST_STATUS
from toolkit.widgets.order_draft import Product, offered_products

NOTEBOOK = "02_adhoc_order.ipynb"
SHOP = "shop1"


@dataclass(frozen=True)
class Pick:
    """A product to add, the part of its name typed to find it, and how many."""

    product: Product
    typed: str
    quantity: int


@pytest.fixture(scope="module")
def offered(sandbox: Sandbox) -> list[Product]:
    """What the form offers for SHOP (available, priced, in stock), read through the toolkit."""
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1:
        return offered_products(p1.products.list(SHOP))


@pytest.fixture(scope="module")
def picks(offered: list[Product]) -> list[Pick]:
    """Two products with plenty of stock, each found by the last word of its name (e.g. "sherbet")."""
    chosen: list[Pick] = []
    for product in offered:
        typed = product.name.split()[-1].lower()
        if product.stock >= 10 and all(typed != pick.typed for pick in chosen):
            chosen.append(Pick(product, typed, quantity=len(chosen) + 2))
        if len(chosen) == 2:
            return chosen
    pytest.fail(f"the sandbox offers fewer than two well-stocked products in {SHOP}: {offered}")


@pytest.fixture
def order_form(voila_page: Page) -> Locator:
    """The notebook's first form, ready for a new order (the tests share the page and leave it sent or new).

    The notebook shows a second form, filled in code on a sandbox only; the first is the one to use.
    """
    form = voila_page.locator(".p1-order-form").first
    new_order = form.get_by_role("button", name="New order")
    if new_order.is_visible():
        new_order.click()
        expect(form.locator(".p1-order-result")).to_have_text("")
    expect(form.locator(".p1-order-shop select")).to_be_enabled()
    expect(form.locator(".p1-order-items")).to_have_text("")
    return form


def order_request_count(sandbox: Sandbox) -> int:
    return sandbox.query("SELECT COUNT(*) AS n FROM order_requests")[0]["n"]


def choose_shop(form: Locator, shop_id: str) -> None:
    select = form.locator(".p1-order-shop select")
    label = next(text for text in select.locator("option").all_inner_texts() if f"({shop_id})" in text)
    select.select_option(label=label)
    expect(form.locator(".p1-order-products-message")).to_contain_text("in stock")


def add_item(form: Locator, pick: Pick, offered: list[Product]) -> None:
    """Type part of the name, check the list narrowed to the matches, select the product, add it."""
    form.locator(".p1-order-search input").fill(pick.typed)
    options = form.locator(".p1-order-products option")
    matches = [product for product in offered if pick.typed in product.name.lower()]
    expect(options).to_have_count(len(matches))
    labels = [label.replace("\xa0", " ") for label in options.all_inner_texts()]  # ipywidgets: nbsp
    assert all(pick.typed in label.lower() for label in labels), labels
    position = next(i for i, label in enumerate(labels) if label.startswith(pick.product.name))
    form.locator(".p1-order-products select").select_option(index=position)
    quantity = form.locator(".p1-order-quantity input")
    quantity.fill(str(pick.quantity))
    quantity.press("Enter")  # number fields reach the kernel on Enter or blur
    form.get_by_role("button", name="Add to order").click()
    expect(form.locator(".p1-order-items")).to_contain_text(f"{pick.quantity} × {pick.product.name}")


def fill_order(form: Locator, picks: list[Pick], offered: list[Product], email: str) -> None:
    choose_shop(form, SHOP)
    for pick in picks:
        add_item(form, pick, offered)
    form.locator(".p1-order-email input").fill(email)


def sent_items(sandbox: Sandbox, request_id: str) -> list[tuple[str, int]]:
    (row,) = sandbox.query("SELECT payload FROM order_requests WHERE id = ?", request_id)
    return [(str(item["p1_id"]), item["quantity"]) for item in json.loads(row["payload"])["items"]]


def test_an_order_typed_into_the_page_reaches_the_sandbox_once(
    order_form: Locator, sandbox: Sandbox, picks: list[Pick], offered: list[Product]
) -> None:
    before = order_request_count(sandbox)
    fill_order(order_form, picks, offered, "max@example.com")
    order_form.get_by_role("button", name="Send order request").click()

    result = order_form.locator(".p1-order-result")
    expect(result).to_contain_text(f"status {ORDER_REQUEST_STATUS}")
    request_id = re.search(r"Order request (\S+) received", result.inner_text()).group(1)
    save_screenshot(order_form, "order_form_sent")

    assert order_request_count(sandbox) == before + 1
    assert sent_items(sandbox, request_id) == [(pick.product.p1_id, pick.quantity) for pick in picks]


def test_an_email_without_at_is_refused_beside_the_field_and_nothing_is_sent(
    order_form: Locator, sandbox: Sandbox, picks: list[Pick], offered: list[Product]
) -> None:
    before = order_request_count(sandbox), len(sandbox.received("POST", "order-requests"))
    fill_order(order_form, picks[:1], offered, "max.example.com")

    message = order_form.locator(".p1-order-email-message")
    expect(message).to_contain_text("'max.example.com' is not an e-mail address")
    submit = order_form.get_by_role("button", name="Send order request")
    expect(submit).to_be_disabled()
    submit.click(force=True)  # a person clicks anyway
    save_screenshot(order_form, "order_form_bad_email")
    # correcting the e-mail clears the message: the kernel has handled everything typed and clicked before
    order_form.locator(".p1-order-email input").fill("max@example.com")
    expect(message).to_have_text("")
    assert (order_request_count(sandbox), len(sandbox.received("POST", "order-requests"))) == before

    submit.click()  # and now it goes through
    expect(order_form.locator(".p1-order-result")).to_contain_text(f"status {ORDER_REQUEST_STATUS}")
    assert order_request_count(sandbox) == before[0] + 1


def test_a_double_click_on_send_creates_one_order_request(
    order_form: Locator, sandbox: Sandbox, picks: list[Pick], offered: list[Product]
) -> None:
    before = order_request_count(sandbox)
    fill_order(order_form, picks[1:], offered, "erika@example.com")
    order_form.get_by_role("button", name="Send order request").dblclick()

    result = order_form.locator(".p1-order-result")
    expect(result).to_contain_text(f"status {ORDER_REQUEST_STATUS}")
    reference = re.search(r"external reference (\S+?)\)", result.inner_text()).group(1)
    # the kernel handles "New order" after both clicks: once the form is reset, both clicks were handled
    order_form.get_by_role("button", name="New order").click()
    expect(result).to_have_text("")

    assert order_request_count(sandbox) == before + 1
    stored = sandbox.query("SELECT id FROM order_requests WHERE external_reference = ?", reference)
    assert len(stored) == 1
