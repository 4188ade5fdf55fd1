"""Bad arguments are refused before any request, with a message that says what was expected."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit import errors

ITEMS = [{"name": "Cannabis flos", "quantity": 5}]


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda p1: p1.orders.get("12345"), "expected an id like ORD_20260614_8v039dhnrv"),
        (lambda p1: p1.orders.get("ORD_2026_x"), "ORD_<YYYYMMDD>_"),
        (lambda p1: p1.orders.set_status("ORD_20260614_8v039dhnrv", "done"), "one of pending, awaiting_packing"),  # noqa: E501
        (lambda p1: p1.orders.list(status="open"), "order status 'open' is not valid"),
        (lambda p1: p1.orders.list(max_rows=0), "greater than 0"),
        (lambda p1: p1.orders.update("ORD_20260614_8v039dhnrv"), "at least one field"),
        (lambda p1: p1.orders.upsert("shop1", "POS-1", [{"name": "x", "quantity": 0}]), "item 1 qty 0"),
        (lambda p1: p1.prescriptions.list(status="open"), "one of new, pending"),
        (lambda p1: p1.prescriptions.get("pq-1"), "org1-pq-CQ3TLK"),
        (lambda p1: p1.prescriptions.ingest("shop1", "not-an-email"), "max@example.com"),
        (lambda p1: p1.order_requests.create("shop1", ITEMS), "customer_name or customer_email"),
        (lambda p1: p1.order_requests.create("shop1", [], customer_name="M"), "items is empty"),
        (lambda p1: p1.order_requests.create("shop1", [{"name": "x", "quantity": -1}], customer_name="M"),
         "item 1 quantity -1"),
        (lambda p1: p1.order_requests.create("shop1", [{"quantity": 1}], customer_name="M"), "names no product"),  # noqa: E501
        (lambda p1: p1.order_requests.create("shop1", ITEMS, customer_name="M", api="v3"), "one of v2, v1"),
        (lambda p1: p1.order_requests.create("shop1", None, customer_name="M"), "prescription PDF"),
        (lambda p1: p1.order_requests.external(ITEMS, customer_name="M", shop_id="shop1"), "must not send shop_id"),  # noqa: E501
        (lambda p1: p1.inventory.adjust("abc", "x", 1), "made of digits"),
        (lambda p1: p1.inventory.adjust("57672", "x"), "changes nothing"),
        (lambda p1: p1.inventory.adjust("57672", "", 1), "reason"),
        (lambda p1: p1.inventory.history("57672", days=400), "from 1 to 365"),
        (lambda p1: p1.products.add_to_inventory("57672", initial_stock=0), "initial_stock 0"),
        (lambda p1: p1.products.overrides("shop1", "57672"), "at least one field"),
        (lambda p1: p1.reports.stats(from_="2026-13-01"), "YYYY-MM-DD"),
        (lambda p1: p1.reports.stats(from_="2026-06-10", to="2026-06-01"), "is after to"),
        (lambda p1: p1.reports.product_sales(from_="2026-06-01", from_date="2026-06-01"), "not both"),
        (lambda p1: p1.reports.fees("2026-13"), "a month as YYYY-MM"),
        (lambda p1: p1.reports.fees("June"), "a month as YYYY-MM"),
        (lambda p1: p1.reports.fees(month_from="2026-01"), "go together"),
        (lambda p1: p1.prescriptions.ingest_many(pd.DataFrame({"shop_id": ["shop1"], "customer_email": ["x"]})),  # noqa: E501
         "row 0"),
    ],
)  # fmt: skip
def test_refused_before_sending(client, api, call, expected):
    with pytest.raises(errors.InvalidArgumentError, match=expected.replace("(", r"\(")) as caught:
        call(client)
    assert isinstance(caught.value, ValueError)
    assert api.requests == []


def test_async_refuses_before_sending_too(make_async, api):
    import asyncio

    async def main():
        async with make_async() as p1:
            await p1.orders.get("nope")

    with pytest.raises(errors.InvalidArgumentError):
        asyncio.run(main())
    assert api.requests == []


def test_external_orders_need_a_shop_url(api):
    import httpx
    from p1_fake_api import API_KEY, BASE_URL

    from toolkit import Client

    p1 = Client(BASE_URL, "org1", API_KEY, http_transport=httpx.MockTransport(api))
    with p1, pytest.raises(errors.ConfigurationError, match="P1_SHOP_URL"):
        p1.order_requests.external(ITEMS, customer_name="M")
    assert api.requests == []


def test_client_arguments_are_checked():
    from toolkit import Client

    with pytest.raises(errors.InvalidArgumentError, match="api_key is empty"):
        Client("http://x", "org1", "")
    with pytest.raises(errors.InvalidArgumentError, match="max_concurrency"):
        Client("http://x", "org1", "key", max_concurrency=0)
