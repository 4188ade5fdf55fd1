"""Full listings: every page fetched, concurrently, each row once; empty results keep columns and dtypes."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pandas as pd
import pytest
from p1_fake_api import ok

from toolkit import frames
from toolkit.vocabulary import MAX_CONCURRENT_REQUESTS


def order(number: int) -> dict:
    return {
        "id": f"ORD_20260614_{number:010d}",
        "shop_id": "shop1",
        "status": "pending",
        "total_amount": 10.5,
        "created_at": "2026-06-14T10:05:55.806759Z",
        "updated_at": "2026-06-14T11:44:21.735875899Z",
    }


class OrderStore:
    """Newest first; `arrive(n)` adds n new orders at the front, as a live shop would while we page."""

    def __init__(self, count: int, cap: int = 200) -> None:
        self.orders = [order(n) for n in range(count, 0, -1)]
        self.cap = cap
        self.after_first_page: int = 0
        self.in_flight = self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        limit = min(limit, self.cap)
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        time.sleep(0.05)  # long enough that concurrent pages overlap even on a busy machine
        with self.lock:
            self.in_flight -= 1
            page = self.orders[offset : offset + limit]
            body = {"data": page, "pagination": {"limit": limit, "offset": offset, "total": len(self.orders)}}
            if offset == 0 and self.after_first_page:
                start = len(self.orders) + 1
                self.orders[:0] = [order(n) for n in range(start + self.after_first_page - 1, start - 1, -1)]
        return ok(body)


def test_orders_are_fetched_200_a_page_concurrently_each_once(client, api):
    store = OrderStore(1001)
    api.route("GET", "/orders", store)
    frame = client.orders.list(status="pending", shop_id="shop1")
    assert len(frame) == 1001 and frame["id"].is_unique
    sent = api.sent("GET", "/orders")
    assert sorted(int(r.url.params["offset"]) for r in sent) == [0, 200, 400, 600, 800, 1000]
    assert {r.url.params["limit"] for r in sent} == {"200"}
    assert {(r.url.params["status"], r.url.params["shop_id"]) for r in sent} == {("pending", "shop1")}
    assert store.peak > 1  # pages after the first went out together


def test_orders_arriving_while_paging_are_neither_missed_nor_duplicated(client, api):
    store = OrderStore(450)
    store.after_first_page = 230  # pushes old orders past the total the first page reported
    api.route("GET", "/orders", store)
    frame = client.orders.list()
    expected_old = {o["id"] for o in store.orders[230:]}
    assert expected_old <= set(frame["id"])  # none of the 450 is missed
    assert frame["id"].is_unique


def test_a_server_capping_the_page_size_is_followed(client, api):
    store = OrderStore(250, cap=50)
    api.route("GET", "/orders", store)
    assert len(client.orders.list()) == 250
    assert sorted(int(r.url.params["offset"]) for r in api.sent("GET", "/orders")) == list(range(0, 250, 50))


def test_max_rows_limits_what_is_fetched(client, api):
    api.route("GET", "/orders", OrderStore(1000))
    frame = client.orders.list(max_rows=250)
    assert len(frame) == 250
    assert sorted(int(r.url.params["offset"]) for r in api.sent("GET", "/orders")) == [0, 200]


def prescriptions(count: int):
    rows = [{"id": f"org1-pq-{n:06d}", "shop_id": "shop1", "status": "new", "order_id": "", "customer_email": "",  # noqa: E501
             "created_at": "2026-06-06T00:22:03.574733Z"} for n in range(count)]  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return ok({"data": rows[offset : offset + limit], "pagination": {"limit": limit, "offset": offset}})

    return handler


@pytest.mark.parametrize("count", [0, 5, 200, 1999, 2000])
def test_prescriptions_without_total_are_fetched_in_waves_until_a_short_page(client, api, count):
    api.route("GET", "/prescriptions", prescriptions(count))
    frame = client.prescriptions.list()
    assert len(frame) == count and frame["id"].is_unique
    offsets = sorted(int(r.url.params["offset"]) for r in api.sent("GET", "/prescriptions"))
    assert offsets[0] == 0 and offsets == sorted(set(offsets))
    assert max(offsets) <= count + MAX_CONCURRENT_REQUESTS * 200  # at most one wave past the end


def test_products_use_the_pagination_block(client, api):
    rows = [{"p1_id": str(n), "name": f"P{n}", "price": 1.0} for n in range(450)]

    def handler(request: httpx.Request) -> httpx.Response:
        page, limit = int(request.url.params["page"]), int(request.url.params["limit"])
        data = rows[(page - 1) * limit : page * limit]
        block = {"page": page, "pageSize": limit, "total": len(rows), "totalPages": -(-len(rows) // limit)}
        return ok({"data": data, "pagination": block})

    api.route("GET", "/products", handler)
    frame = client.products.list("shop1")
    assert len(frame) == 450 and frame["p1_id"].is_unique and set(frame["shop_id"]) == {"shop1"}
    assert sorted(int(r.url.params["page"]) for r in api.sent("GET", "/products")) == [1, 2, 3]


def test_products_without_pagination_block_page_until_short(client, api):
    rows = [{"p1_id": n, "name": f"P{n}"} for n in range(250)]

    def handler(request: httpx.Request) -> httpx.Response:
        page, limit = int(request.url.params["page"]), int(request.url.params["limit"])
        return ok({"data": rows[(page - 1) * limit : page * limit]})

    api.route("GET", "/products", handler)
    frame = client.products.list("shop1")
    assert len(frame) == 250 and frame["p1_id"].tolist()[:2] == ["0", "1"]


@pytest.mark.parametrize(
    ("route", "call", "schema"),
    [
        ("/orders", lambda p1: p1.orders.list(), frames.ORDERS),
        ("/prescriptions", lambda p1: p1.prescriptions.list(), frames.PRESCRIPTIONS),
        ("/inventory", lambda p1: p1.inventory.list(), frames.INVENTORY),
        ("/shops", lambda p1: p1.shops.list(), frames.SHOPS),
        ("/products", lambda p1: p1.products.list("shop1"), frames.PRODUCTS),
    ],
)
def test_empty_results_keep_columns_and_dtypes(client, api, route, call, schema):
    api.route("GET", route, {"data": [], "pagination": {"limit": 200, "offset": 0, "total": 0}})
    frame = call(client)
    assert frame.empty
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == dict(schema.columns)


def test_unknown_columns_are_kept_after_the_declared_ones(client, api):
    api.route(
        "GET", "/inventory", {"data": [{"p1_id": 1, "stockquantity": 3, "thc": 27.0, "supplier_id": 9}]}
    )
    frame = client.inventory.list()
    assert list(frame.columns)[-2:] == ["thc", "supplier_id"]
    assert frame.loc[0, "thc"] == 27.0 and frame["thc"].dtype == "float64"
    assert frame.loc[0, "supplier_id"] == "9"  # ids are text wherever they appear


def test_async_listing_fetches_concurrently_and_matches_sync(client, api, make_async):
    store = OrderStore(1001)
    api.route("GET", "/orders", store)
    sync_frame = client.orders.list()

    async def main():
        async with make_async(max_concurrency=3) as p1:
            return await p1.orders.list()

    in_flight, peak = 0, 0

    async def paced(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return store(request)

    api.route("GET", "/orders", paced)
    async_frame = asyncio.run(main())
    pd.testing.assert_frame_equal(sync_frame, async_frame)
    assert 1 < peak <= 3  # concurrent, bounded by max_concurrency


def test_progress_bar_can_be_forced_and_switched_off(api, capsys):
    from p1_fake_api import API_KEY, BASE_URL

    from toolkit import Client

    api.route("GET", "/orders", OrderStore(1200))
    for setting, shown in ((True, True), (False, False)):
        with Client(
            BASE_URL, "org1", API_KEY, progress=setting, http_transport=httpx.MockTransport(api)
        ) as p1:
            p1.orders.list()
        assert ("orders" in capsys.readouterr().err) is shown


def test_an_order_listing_without_total_falls_back_to_waves(client, api):
    store = OrderStore(450)

    def without_total(request: httpx.Request) -> httpx.Response:
        body = store(request).json()
        del body["pagination"]["total"]
        return ok(body)

    api.route("GET", "/orders", without_total)
    frame = client.orders.list()
    assert len(frame) == 450 and frame["id"].is_unique
    assert sorted(int(r.url.params["offset"]) for r in api.sent("GET", "/orders"))[:3] == [0, 200, 400]


@pytest.mark.parametrize(
    ("interactive", "orders", "shown"), [(True, 1200, True), (False, 1200, False), (True, 400, False)]
)
def test_automatic_progress_only_for_long_listings_that_someone_watches(
    api, capsys, monkeypatch, interactive, orders, shown
):
    from p1_fake_api import API_KEY, BASE_URL

    from toolkit import Client

    monkeypatch.setattr("toolkit.pagination._interactive", lambda: interactive)
    api.route("GET", "/orders", OrderStore(orders))
    with Client(BASE_URL, "org1", API_KEY, http_transport=httpx.MockTransport(api)) as p1:
        p1.orders.list()
    assert ("orders" in capsys.readouterr().err) is shown
