"""The client against the real sandbox server on 127.0.0.1, including bad days."""

from __future__ import annotations

import asyncio
import time

import pandas as pd
import pytest

from toolkit import AsyncClient, Client, errors
from toolkit.vocabulary import ORDER_STATUSES, next_order_statuses


def received(sandbox, at_least: int, **filters) -> list[dict]:
    """The sandbox's request log, once it holds `at_least` matching entries (it records after answering)."""
    deadline = time.monotonic() + 5
    while len(sandbox.received(**filters)) < at_least and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)  # and anything still being recorded
    return sandbox.received(**filters)


def test_orders_listing_matches_the_database(p1, sandbox):
    frame = p1.orders.list()
    [count] = sandbox.query("SELECT COUNT(*) AS n FROM orders WHERE org_id = ?", sandbox.org_id)
    assert len(frame) == count["n"] and frame["id"].is_unique
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["created_at"].is_monotonic_decreasing  # newest first, as PharmaOne lists them
    assert set(frame["status"].dropna()) <= set(ORDER_STATUSES)


def test_filters_are_applied(p1):
    frame = p1.orders.list(status="pending", shop_id="shop1")
    assert not frame.empty
    assert set(frame["status"]) == {"pending"} and set(frame["shop_id"]) == {"shop1"}


def test_order_detail_and_status_change(make_sandbox):
    with Client.sandbox(orders=60, progress=False) as p1:
        order_id = p1.orders.list(status="pending", max_rows=1)["id"].iloc[0]
        order = p1.orders.get(order_id)
        assert order.id == order_id and order.items and order.items_frame()["line_total"].notna().all()
        target = next_order_statuses("pending")[0]
        change = p1.orders.set_status(order_id, target)
        assert (change.order_id, change.status) == (order_id, target)
        assert change.updated_at.tzinfo is not None
        assert p1.orders.get(order_id).status == target
        with pytest.raises(errors.ConflictError) as caught:
            p1.orders.set_status(order_id, "pending")
        assert caught.value.error and str(caught.value).startswith(f"PATCH /orders/{order_id}/status")


def test_inventory_products_and_shops(p1):
    inventory = p1.inventory.list()
    assert inventory["p1_id"].dtype == pd.StringDtype() and inventory["stock_quantity"].notna().all()
    shops = p1.shops.list()
    assert {"shop1", "shop3"} <= set(shops["shop_id"])
    products = p1.products.list("shop1")
    assert not products.empty and set(products["shop_id"]) == {"shop1"} and products["p1_id"].is_unique
    p1_id = inventory["p1_id"].iloc[0]
    log = p1.inventory.log(p1_id)
    assert set(log["p1_id"]) <= {p1_id}
    history = p1.inventory.history(p1_id, days=7)
    assert len(history) == 7 and str(history["date"].dtype) == "datetime64[ns, UTC]"


def test_a_missing_order_is_a_readable_404(p1):
    with pytest.raises(errors.NotFoundError) as caught:
        p1.orders.get("ORD_20200101_doesnotexist")
    assert "GET /orders/ORD_20200101_doesnotexist: not found" in str(caught.value)


def test_a_wrong_key_is_refused_readably(sandbox):
    p1 = Client(sandbox.base_url, sandbox.org_id, "not-the-key", progress=False)
    with p1, pytest.raises(errors.AuthenticationError) as caught:
        p1.shops.list()
    assert str(caught.value).startswith(f"PharmaOne refused the API key for org {sandbox.org_id}")
    assert caught.value.request_id


def test_a_missing_scope_is_a_permission_error(sandbox):
    key = sandbox.create_key(scopes=["orders.read"])
    with Client(sandbox.base_url, sandbox.org_id, key, progress=False) as p1:
        assert not p1.orders.list(max_rows=5).empty
        with pytest.raises(errors.PermissionDeniedError) as caught:
            p1.inventory.list()
    assert caught.value.error == "insufficient_scope" and "inventory.read" in caught.value.message


def test_short_token_ttl_is_refreshed_transparently(make_sandbox):
    sandbox = make_sandbox(orders=30, token_ttl=2)
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1:
        for _ in range(3):
            assert len(p1.shops.list()) >= 2
            asyncio.run(asyncio.sleep(1.1))
    exchanges = received(sandbox, 2, method="POST", path_contains="/auth/token")
    assert len(exchanges) >= 2
    assert all(r["status"] == 200 for r in received(sandbox, 3, path_contains="/shops"))


def test_scripted_failures_are_retried(make_sandbox):
    sandbox = make_sandbox(orders=30)
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1:
        p1._transport.sleep = lambda _s: None
        sandbox.fail_next(2, status=503, path_contains="/shops")
        assert len(p1.shops.list()) >= 2
        sandbox.fail_next(1, status=429, retry_after=1, path_contains="/shops")
        assert len(p1.shops.list()) >= 2
    statuses = [r["status"] for r in received(sandbox, 5, method="GET", path_contains="/shops")]
    assert statuses == [503, 503, 200, 429, 200]


def test_an_order_request_is_not_resent_after_a_503(make_sandbox):
    sandbox = make_sandbox(orders=30)
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as p1:
        sandbox.fail_next(1, status=503, path_contains="/order-requests")
        with pytest.raises(errors.OrderRequestOutcomeUnknown) as caught:
            p1.order_requests.create("shop1", [{"name": "Cannabis flos", "quantity": 2}], customer_name="Max")
    assert len(received(sandbox, 1, method="POST", path_contains="/order-requests")) == 1
    assert caught.value.external_reference.startswith("pharmaone-ops-")


def test_listing_survives_a_bad_day(make_sandbox):
    sandbox = make_sandbox(orders=900, latency_ms=20, error_rate=0.1, rate_limit_rate=0.1, drop_rate=0.1)
    with Client(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False, max_retries=6) as p1:
        p1._transport.sleep = lambda _s: None
        frame = p1.orders.list()
    assert len(frame) == 900 and frame["id"].is_unique
    statuses = {r["status"] for r in received(sandbox, 5, method="GET", path_contains="/orders")}
    assert 200 in statuses and len(statuses) > 1  # the bad day really happened


def test_async_client_sandbox():
    async def main():
        async with AsyncClient.sandbox(orders=12, progress=False) as p1:
            assert p1.sandbox_server.base_url == p1.base_url
            return await p1.orders.list()

    assert len(asyncio.run(main())) == 12


def test_async_client_lists_the_same_orders(p1, sandbox):
    async def main():
        async with AsyncClient(sandbox.base_url, sandbox.org_id, sandbox.api_key, progress=False) as client:
            return await client.orders.list(shop_id="shop3")

    pd.testing.assert_frame_equal(asyncio.run(main()), p1.orders.list(shop_id="shop3"))


def test_client_sandbox_exposes_the_server():
    with Client.sandbox(orders=10, progress=False) as p1:
        assert p1.sandbox_server.base_url == p1.base_url
        assert len(p1.orders.list()) == 10
