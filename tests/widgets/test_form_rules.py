"""The forms' rules without widgets: validation, the order draft and its request body."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit import Client
from toolkit.widgets import validation
from toolkit.widgets.order_draft import DELIVERY, PICKUP, OrderDraft, Product, offered_products

ZAINBOW = Product(p1_id="57672", name="24/1 IUVO KC OJ Zainbow", price=8.75, stock=5)
NECTAR = Product(p1_id="57674", name="ZOIKS 31/1 MN Moonlight Nectar", price=6.45, stock=40)
SHOPS = ("shop1", "shop3")


@pytest.mark.parametrize("email", ["max@example.com", "a.b+c@mail.example.de", " max@example.com "])
def test_email_accepts_addresses(email: str) -> None:
    assert validation.email_problem(email) is None


@pytest.mark.parametrize("email", ["max.example.com", "max@example", "max@@example.com", "max @example.com"])
def test_email_refuses_what_is_not_an_address_and_says_what_is_expected(email: str) -> None:
    problem = validation.email_problem(email)
    assert problem is not None and "max@example.com" in problem and email.strip() in problem


def test_email_required_unless_optional() -> None:
    assert "Enter the customer's e-mail" in validation.email_problem("")
    assert validation.email_problem("", required=False) is None


def test_customer_needs_name_or_email() -> None:
    assert validation.customer_problems("", " ") == {
        "customer": "Enter the customer's name or e-mail (at least one of the two)."
    }
    assert validation.customer_problems("Max Mustermann", "") == {}
    assert validation.customer_problems("", "max@example.com") == {}
    assert "customer_email" in validation.customer_problems("Max", "max@")


@pytest.mark.parametrize(
    ("quantity", "ok"), [(1, True), (5, True), (6, False), (0, False), (-2, False), (None, False)]
)
def test_quantity_from_one_to_stock(quantity: int | None, ok: bool) -> None:
    assert (validation.quantity_problem(quantity, 5) is None) is ok


def test_quantity_above_stock_names_the_stock() -> None:
    assert validation.quantity_problem(9, 5) == "Only 5 in stock: choose a quantity from 1 to 5."


def test_shop_must_be_chosen_and_known() -> None:
    assert validation.shop_problem(None, SHOPS) == "Choose a shop."
    assert validation.shop_problem("shop9", SHOPS) == "Unknown shop 'shop9'; expected one of: shop1, shop3."
    assert validation.shop_problem("shop3", SHOPS) is None


def test_draft_merges_lines_and_keeps_them_within_stock() -> None:
    draft = OrderDraft(shop_id="shop1")
    assert draft.add_item(ZAINBOW, 3) is None
    assert (
        draft.add_item(ZAINBOW, 3)
        == "Only 2 in stock: choose a quantity from 1 to 2. (3 already in the order)"
    )
    assert draft.add_item(ZAINBOW, 2) is None
    assert draft.add_item(NECTAR, 2) is None
    assert [(item.product.p1_id, item.quantity) for item in draft.items.values()] == [
        ("57672", 5),
        ("57674", 2),
    ]
    assert draft.total == round(5 * 8.75 + 2 * 6.45, 2)
    draft.remove_item("57672")
    assert list(draft.items) == ["57674"] and draft.total == 12.9


def test_empty_draft_lists_every_problem() -> None:
    problems = OrderDraft().problems(SHOPS)
    assert set(problems) == {"shop", "items", "customer"}


def test_delivery_needs_the_address_pickup_does_not() -> None:
    draft = OrderDraft(shop_id="shop1", customer_email="max@example.com")
    draft.add_item(NECTAR, 1)
    assert draft.problems(SHOPS) == {}
    draft.shipping_option = DELIVERY
    assert set(draft.problems(SHOPS)) == {
        "address_street",
        "address_postal_code",
        "address_city",
        "address_phone",
    }
    draft.address.update(
        address_street="Musterstr. 1",
        address_postal_code="10115",
        address_city="Berlin",
        address_phone="+4930",
    )
    assert draft.problems(SHOPS) == {}
    draft.shipping_option = PICKUP
    draft.external_reference = "  "
    assert set(draft.problems(SHOPS)) == {"external_reference"}


@pytest.fixture
def offline_client():
    """A client that is never asked to send anything (building a body needs no server)."""
    with Client("http://127.0.0.1:9", "org1", "test-key", shop_url="http://127.0.0.1:9/shop1") as p1:
        yield p1


def _complete_draft(**overrides) -> OrderDraft:
    draft = OrderDraft(shop_id="shop1", customer_name="Max Mustermann", customer_email="max@example.com")
    draft.add_item(ZAINBOW, 2)
    for name, value in overrides.items():
        setattr(draft, name, value)
    return draft


def test_body_is_the_order_request_envelope(offline_client) -> None:
    draft = _complete_draft(payment_status="paid")
    assert draft.body(offline_client) == {
        "external_reference": draft.external_reference,
        "source": "pharmaone-ops",
        "payload": {
            "shop_id": "shop1",
            "shipping_option": PICKUP,
            "payment_status": "paid",
            "total_amount": 17.5,
            "customer_name": "Max Mustermann",
            "customer_email": "max@example.com",
            "items": [{"p1_id": "57672", "name": "24/1 IUVO KC OJ Zainbow", "quantity": 2, "price": 8.75}],
        },
    }


def test_body_for_delivery_carries_the_address(offline_client) -> None:
    draft = _complete_draft(shipping_option=DELIVERY)
    draft.address.update(
        address_street="Musterstr. 1",
        address_postal_code="10115",
        address_city="Berlin",
        address_phone="+4930",
    )
    payload = draft.body(offline_client)["payload"]
    assert payload["shipping_option"] == DELIVERY
    assert payload["address_city"] == "Berlin" and payload["address_postal_code"] == "10115"


def test_body_for_the_shop_proxy_leaves_the_shop_to_the_proxy(offline_client) -> None:
    body = _complete_draft(target="shop").body(offline_client)
    assert "shop_id" not in body["payload"] and body["payload"]["items"][0]["p1_id"] == "57672"


def test_a_draft_keeps_its_reference_and_a_new_draft_gets_a_new_one(offline_client) -> None:
    draft = _complete_draft()
    assert (
        draft.body(offline_client)["external_reference"] == draft.body(offline_client)["external_reference"]
    )
    assert OrderDraft().external_reference != draft.external_reference


def test_only_available_priced_products_in_stock_are_offered_sorted_by_name() -> None:
    frame = pd.DataFrame(
        {
            "p1_id": ["1", "2", "3", "4", "5"],
            "name": ["Zeta", "Alpha", "Gone", "Hidden", "Unpriced"],
            "price": [5.0, 6.5, 7.0, 8.0, None],
            "stock_quantity": [3, 12, 0, 9, 4],
            "available": pd.array([True, True, True, False, True], dtype="boolean"),
        }
    )
    assert offered_products(frame) == [Product("2", "Alpha", 6.5, 12), Product("1", "Zeta", 5.0, 3)]
