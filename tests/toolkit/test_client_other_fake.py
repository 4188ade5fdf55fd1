"""The real Client against a second, independently shaped PharmaOne (an httpx.MockTransport).

Our sandbox answers one way; the reference allows others. This fake answers the way another reasonable
implementation of the same reference could: token keys in another order and short lifetimes, servers that
cap or echo page sizes differently, totals that grow while a listing runs, optional fields left out,
timestamps of any precision, error bodies of both shapes or not JSON at all, connections that drop after
the request went out.
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pandas as pd
import pytest
from p1_fake_api import API_KEY, BASE_URL, ORG, SHOP_URL, make_jwt

from toolkit import AsyncClient, Client, errors
from toolkit._transport import _limits
from toolkit.models import Order, Report

V2 = f"/api/v2/public/orgs/{ORG}"
V1 = f"/api/v1/public/orgs/{ORG}"

Handler = Callable[[httpx.Request, dict[str, str]], httpx.Response]


def _query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params.items())


class OtherPharmaOne:
    """A PharmaOne written from the reference by someone else. Routes are set per test."""

    def __init__(self, *, expires_in: float = 2, exp_in: float | None = None) -> None:
        self.expires_in, self.exp_in = expires_in, exp_in
        self.routes: dict[tuple[str, str], Handler] = {}
        self.sent: list[httpx.Request] = []
        self.tokens: list[str] = []
        self.wrap_token = False  # answer the token as {"data": {...}} like the list routes
        self.opaque = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        path = request.url.path
        if request.method == "POST" and path == f"{V2}/auth/token":
            return self._token(request)
        relative = path.removeprefix(V2)
        handler = self.routes.get((request.method, relative)) or self.routes.get((request.method, path))
        if handler is None:
            return httpx.Response(404, json={"error": "not_found", "message": f"No route {path}"})
        if relative.startswith("/") and path.startswith(V2):
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if bearer not in self.tokens:
                return httpx.Response(401, json={"error": "invalid_token"})
        return handler(request, _query(request))

    def _token(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("apikey") != API_KEY:
            return httpx.Response(401, json={"message": "Unauthorized", "request_id": "a" * 32})
        # exp_in=None: no `exp` claim; opaque: not a JWT at all
        token = (
            f"tok_{len(self.tokens)}_x" if self.opaque else make_jwt(exp_in=self.exp_in, n=len(self.tokens))
        )
        self.tokens.append(token)
        # keys in yet another order than the docs and the live example; expires_in=None leaves it out
        body = {"token_type": "Bearer", "expires_in": self.expires_in, "access_token": token}
        body = {k: v for k, v in body.items() if v is not None}
        return httpx.Response(200, json={"data": body} if self.wrap_token else body)

    def on(self, method: str, path: str, handler: Handler | Any) -> None:
        if not callable(handler):
            body = handler
            handler = lambda _request, _query: httpx.Response(200, json=body)  # noqa: E731
        self.routes[(method, path)] = handler

    def to(self, path: str) -> list[httpx.Request]:
        """The requests that reached `path` (relative to the v2 org prefix, or absolute)."""
        return [r for r in self.sent if r.url.path in (f"{V2}{path}", path)]


@pytest.fixture
def fake() -> OtherPharmaOne:
    return OtherPharmaOne()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def p1(fake: OtherPharmaOne, sleeps: list[float]) -> Iterator[Client]:
    with Client(
        BASE_URL, ORG, API_KEY, shop_url=SHOP_URL, progress=False, http_transport=httpx.MockTransport(fake)
    ) as client:
        client._transport.sleep = sleeps.append
        yield client


def async_client(fake: OtherPharmaOne, sleeps: list[float]) -> AsyncClient:
    client = AsyncClient(
        BASE_URL, ORG, API_KEY, shop_url=SHOP_URL, progress=False, http_transport=httpx.MockTransport(fake)
    )

    async def record(delay: float) -> None:
        sleeps.append(delay)

    client._transport.sleep = record
    return client


# --- offset listings the way another server could page them ---------------------------------------------


def offset_route(
    rows: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]],
    *,
    cap: int,
    echo: str = "capped",
    with_total: bool = True,
    after_each: Callable[[], None] = lambda: None,
) -> Handler:
    """An offset listing that caps `limit` at `cap`; `echo` says what it reports as the limit:
    "capped" (what it used), "asked" (what the client asked, while still sending only `cap`) or "none"."""

    def handler(_request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        current = rows() if callable(rows) else rows
        asked = int(query.get("limit", 50))
        offset = int(query.get("offset", 0))
        used = min(asked, cap)
        pagination: dict[str, Any] = {"offset": offset}
        if echo == "capped":
            pagination["limit"] = used
        elif echo == "asked":
            pagination["limit"] = asked
        if with_total:
            pagination["total"] = len(current)
        body = {"data": current[offset : offset + used], "pagination": pagination}
        after_each()
        return httpx.Response(200, json=body)

    return handler


def order_rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    """Orders newest first, without external_id (as in the live list example)."""
    return [
        {
            "id": f"ORD_20260614_{number:010d}",
            "shop_id": "shop1",
            "customer_name": "Max Mustermann",
            "status": "pending",
            "payment_status": "pending",
            "total_amount": 10 + number,
            "created_at": "2026-06-14T10:05:55.806759Z",
            "updated_at": "2026-06-14T10:05:55+00:00",
        }
        for number in range(start + count - 1, start - 1, -1)
    ]


@pytest.mark.parametrize(("cap", "echo"), [(200, "capped"), (100, "capped"), (100, "asked"), (100, "none")])
def test_orders_listing_is_complete_whatever_the_server_caps_and_echoes(
    fake: OtherPharmaOne, p1: Client, cap: int, echo: str
) -> None:
    rows = order_rows(731)
    fake.on("GET", "/orders", offset_route(rows, cap=cap, echo=echo))

    frame = p1.orders.list()

    assert list(frame["id"]) == [row["id"] for row in rows]
    assert frame["external_id"].isna().all() and frame["external_id"].dtype == "string"
    assert all(int(r.url.params["limit"]) <= 200 for r in fake.to("/orders"))


def test_orders_listing_follows_a_total_that_grows_while_it_runs(fake: OtherPharmaOne, p1: Client) -> None:
    state = {"rows": order_rows(450), "served": 0}

    def arrive() -> None:  # after the first page, five newer orders arrive at the front
        state["served"] += 1
        if state["served"] == 1:
            state["rows"] = order_rows(5, start=1000) + state["rows"]

    fake.on("GET", "/orders", offset_route(lambda: state["rows"], cap=200, after_each=arrive))

    frame = p1.orders.list()

    ids = list(frame["id"])
    assert len(ids) == len(set(ids)), "an order appeared twice"
    assert {row["id"] for row in order_rows(450)} <= set(ids), "an order that existed is missing"


def test_orders_arriving_while_pages_are_answered_out_of_order_are_not_lost(
    fake: OtherPharmaOne, p1: Client
) -> None:
    """Page 2 is answered first, then orders arrive, then page 1: the rows pushed from page 1 into page 2
    would fall between them; every order that existed must still be listed, once."""
    state = {"rows": order_rows(550)}
    page_two_answered = threading.Event()
    serve = offset_route(lambda: state["rows"], cap=200)

    def handler(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        offset = int(query.get("offset", 0))
        if offset == 200 and not page_two_answered.is_set():
            page_two_answered.wait(timeout=5)
        answer = serve(request, query)
        if offset == 400 and not page_two_answered.is_set():
            state["rows"] = order_rows(7, start=1000) + state["rows"]
            page_two_answered.set()
        return answer

    fake.on("GET", "/orders", handler)

    ids = list(p1.orders.list()["id"])

    assert len(ids) == len(set(ids)), "an order appeared twice"
    assert {row["id"] for row in order_rows(550)} <= set(ids), "an order that existed is missing"
    assert ids == [row["id"] for row in state["rows"]]  # the read in order gives the server's order


def test_async_orders_listing_with_capped_pages_and_a_growing_total(
    fake: OtherPharmaOne, sleeps: list[float]
) -> None:
    state = {"rows": order_rows(430), "served": 0}

    def arrive() -> None:
        state["served"] += 1
        if state["served"] == 2:
            state["rows"] = order_rows(3, start=1000) + state["rows"]

    fake.on("GET", "/orders", offset_route(lambda: state["rows"], cap=100, echo="none", after_each=arrive))

    async def run() -> pd.DataFrame:
        async with async_client(fake, sleeps) as client:
            return await client.orders.list()

    ids = list(asyncio.run(run())["id"])
    assert len(ids) == len(set(ids))
    assert {row["id"] for row in order_rows(430)} <= set(ids)


def test_orders_max_rows_and_timestamps_of_any_precision(fake: OtherPharmaOne, p1: Client) -> None:
    stamps = [
        "2026-06-14T10:05:55Z",
        "2026-06-14T10:05:55.806Z",
        "2026-06-14T10:05:55.806759Z",
        "2026-06-14T10:05:55.806759899Z",
        "2026-06-14T10:05:55.806759+00:00",
        "2026-06-14T12:05:55+02:00",
    ]
    rows = order_rows(len(stamps))
    for row, stamp in zip(rows, stamps, strict=True):
        row["created_at"] = stamp
    fake.on("GET", "/orders", offset_route(rows, cap=200))

    frame = p1.orders.list()
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["created_at"].iloc[3] == pd.Timestamp("2026-06-14T10:05:55.806759899Z")
    assert frame["created_at"].iloc[5] == pd.Timestamp("2026-06-14T10:05:55Z")
    assert frame["updated_at"].notna().all()

    fake.on("GET", "/orders", offset_route(order_rows(500), cap=200))
    assert len(p1.orders.list(max_rows=250)) == 250


@pytest.mark.parametrize("echo", ["capped", "none"])
def test_prescriptions_complete_when_server_caps_at_50_without_total(
    fake: OtherPharmaOne, p1: Client, echo: str
) -> None:
    rows = [
        {"id": f"org1-pq-{n:06d}", "status": "new", "shop_id": "shop1", "order_id": "", "customer_email": ""}
        for n in range(137)
    ]
    fake.on("GET", "/prescriptions", offset_route(rows, cap=50, echo=echo, with_total=False))

    frame = p1.prescriptions.list()

    assert list(frame["id"]) == [row["id"] for row in rows]
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"  # absent, still typed


def strict(handler: Handler, *, max_limit: int, status: int) -> Handler:
    """A server that refuses page sizes above its maximum instead of capping them."""

    def refuse_big_pages(request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        if int(query.get("limit", 1)) > max_limit:
            if status == 422:  # the shape a FastAPI validation error has
                detail = [{"loc": ["query", "limit"], "msg": f"ensure this value is <= {max_limit}"}]
                return httpx.Response(422, json={"detail": detail})
            return httpx.Response(400, json={"error": "invalid_limit", "message": f"limit max {max_limit}"})
        return handler(request, query)

    return refuse_big_pages


@pytest.mark.parametrize("status", [400, 422])
def test_listings_fall_back_to_the_documented_page_size_when_ours_is_refused(
    fake: OtherPharmaOne, p1: Client, status: int
) -> None:
    prescriptions = [{"id": f"org1-pq-{n:06d}", "status": "new"} for n in range(120)]
    fake.on(
        "GET",
        "/prescriptions",
        strict(offset_route(prescriptions, cap=50, with_total=False), max_limit=50, status=status),
    )
    products = product_rows(75)
    fake.on("GET", "/products", strict(page_route(products, cap=50, block=True), max_limit=50, status=status))

    assert list(p1.prescriptions.list()["id"]) == [row["id"] for row in prescriptions]
    assert len(p1.products.list("shop1")) == 75
    refused = [r for r in fake.sent if int(r.url.params.get("limit", 0)) > 50]
    assert len(refused) == 2  # one refused first page per listing, then the documented size


def test_a_refused_filter_is_not_hidden_by_the_page_size_fallback(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on(
        "GET",
        "/prescriptions",
        lambda _r, _q: httpx.Response(400, json={"error": "invalid_status", "message": "unknown status"}),
    )
    with pytest.raises(errors.BadRequestError, match="invalid_status"):
        p1.prescriptions.list(status="new")
    assert len(fake.to("/prescriptions")) == 2


def test_prescriptions_empty_list_has_columns(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on("GET", "/prescriptions", {"data": [], "pagination": {"limit": 50, "offset": 0}})
    frame = p1.prescriptions.list()
    assert frame.empty
    assert {"id", "status", "shop_id", "created_at"} <= set(frame.columns)
    assert frame["id"].dtype == "string"


# --- products and inventory ------------------------------------------------------------------------------


def product_rows(count: int) -> list[dict[str, Any]]:
    """Half with an integer p1_id and `stockquantity`, half with a string p1_id and `stock_quantity`."""
    return [
        {"p1_id": 50000 + n, "name": f"P{n}", "price": 6.45, "stockquantity": n, "available": True}
        if n % 2
        else {"p1_id": str(50000 + n), "name": f"P{n}", "price": 6.45, "stock_quantity": n}
        for n in range(count)
    ]


def page_route(rows: list[dict[str, Any]], *, cap: int, block: bool) -> Handler:
    def handler(_request: httpx.Request, query: dict[str, str]) -> httpx.Response:
        size = min(int(query.get("limit", 50)), cap)
        page = int(query.get("page", 1))
        body: dict[str, Any] = {"data": rows[(page - 1) * size : page * size]}
        if block:
            pages = -(-len(rows) // size)
            body["pagination"] = {"page": page, "pageSize": size, "total": len(rows), "totalPages": pages}
        return httpx.Response(200, json=body)

    return handler


def test_products_with_a_pagination_page_block(fake: OtherPharmaOne, p1: Client) -> None:
    rows = product_rows(230)
    fake.on("GET", "/products", page_route(rows, cap=50, block=True))

    frame = p1.products.list("shop1")

    assert list(frame["p1_id"]) == [str(row["p1_id"]) for row in rows]
    assert frame["p1_id"].dtype == "string"
    assert list(frame["stock_quantity"]) == list(range(230))
    assert frame["stock_quantity"].dtype == "Int64"
    assert "stockquantity" not in frame.columns
    assert (frame["shop_id"] == "shop1").all()


def test_prescriptions_short_listing_with_a_page_size_costs_one_request(
    fake: OtherPharmaOne, p1: Client
) -> None:
    rows = [{"id": f"org1-pq-{n:06d}", "status": "new"} for n in range(3)]
    fake.on("GET", "/prescriptions", offset_route(rows, cap=50, with_total=False))
    assert len(p1.prescriptions.list()) == 3
    assert len(fake.to("/prescriptions")) == 1


def test_products_capped_silently_without_a_pagination_block_are_complete(
    fake: OtherPharmaOne, p1: Client
) -> None:
    rows = product_rows(120)
    fake.on("GET", "/products", page_route(rows, cap=50, block=False))
    frame = p1.products.list("shop1")
    assert list(frame["p1_id"]) == [str(row["p1_id"]) for row in rows]


def test_products_without_a_pagination_block_is_one_page(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on("GET", "/products", page_route(product_rows(7), cap=200, block=False))
    frame = p1.products.list("shop1")
    assert len(frame) == 7
    pages = [int(r.url.params["page"]) for r in fake.to("/products")]
    assert pages == [1, 2]  # page 2 asked once: without a block, a short page might be the server's size
    assert list(frame.columns[:8]) == [
        "p1_id",
        "name",
        "slug",
        "category",
        "price",
        "stock_quantity",
        "available",
        "shop_id",
    ]


def test_product_detail_with_the_inventory_spelling(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on("GET", "/products/57672", {"p1_id": 57672, "name": "A", "stockquantity": 12, "price": 8})
    product = p1.products.get(57672, "shop1")
    assert (product.p1_id, product.stock_quantity, product.price) == ("57672", 12, 8.0)
    assert product.to_frame()["stock_quantity"].iloc[0] == 12
    assert "stockquantity" not in product.to_frame().columns


def test_inventory_keeps_unknown_fields_and_types_missing_ones(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on(
        "GET",
        "/inventory",
        {
            "data": [
                {"p1_id": 57672, "name": "A", "stockquantity": 989, "price": 8.75, "thc_percent": 24.0},
                {"p1_id": 57673, "name": "B", "stockquantity": 0, "price": 9, "supplier": "X"},
            ]
        },
    )
    frame = p1.inventory.list()
    assert list(frame["p1_id"]) == ["57672", "57673"]
    assert list(frame["stock_quantity"]) == [989, 0] and frame["stock_quantity"].dtype == "Int64"
    assert frame["price"].dtype == "float64"
    assert {"thc_percent", "supplier"} <= set(frame.columns)
    assert frame["category"].dtype == "string" and frame["category"].isna().all()
    assert str(frame["last_activity"].dtype) == "datetime64[ns, UTC]"
    assert frame["log_entries"].dtype == "Int64"


def test_odd_values_in_one_column_do_not_fail_the_listing(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on(
        "GET",
        "/shops",
        {"data": [{"shop_id": "shop1", "name": "A", "is_active": "yes", "opened_at": "soon"}]},
    )
    frame = p1.shops.list()
    assert list(frame["shop_id"]) == ["shop1"]
    assert list(frame["is_active"]) == ["yes"] and list(frame["opened_at"]) == ["soon"]


# --- orders: detail and status ---------------------------------------------------------------------------

ORDER_ID = "ORD_20260614_8v039dhnrv"


def test_status_patch_keeps_nanoseconds(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on(
        "PATCH",
        f"/orders/{ORDER_ID}/status",
        {"order_id": ORDER_ID, "status": "awaiting_packing", "updated_at": "2026-06-14T11:44:21.735875899Z"},
    )
    change = p1.orders.set_status(ORDER_ID, "awaiting_packing")
    assert change.updated_at == pd.Timestamp("2026-06-14T11:44:21.735875899Z")
    assert json.loads(fake.to(f"/orders/{ORDER_ID}/status")[0].content) == {"status": "awaiting_packing"}


@pytest.mark.parametrize("answer", [httpx.Response(204), httpx.Response(200, json={"updated": True})])
def test_status_patch_without_a_body(fake: OtherPharmaOne, p1: Client, answer: httpx.Response) -> None:
    fake.on("PATCH", f"/orders/{ORDER_ID}/status", lambda _r, _q: answer)
    change = p1.orders.set_status(ORDER_ID, "ready_pickup")
    assert (change.order_id, change.status, change.updated_at) == (ORDER_ID, "ready_pickup", None)


def test_order_detail_with_null_items_and_address(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on("GET", f"/orders/{ORDER_ID}", {"id": ORDER_ID, "items": None, "shipping_address": None})
    order = p1.orders.get(ORDER_ID)
    assert order.items == [] and order.items_frame().empty
    assert list(order.items_frame().columns) == ["p1_id", "name", "quantity", "price", "line_total"]
    assert order.shipping_address_frame().empty


def test_single_objects_wrapped_in_data_are_read(fake: OtherPharmaOne, p1: Client) -> None:
    detail = {"id": ORDER_ID, "status": "pending", "items": [{"name": "A", "quantity": 1, "price": 2.5}]}
    fake.on("GET", f"/orders/{ORDER_ID}", {"data": detail})
    order = p1.orders.get(ORDER_ID)
    assert (order.id, order.status, len(order.items)) == (ORDER_ID, "pending", 1)


@pytest.mark.parametrize(
    "order_id", ["ORD_20260605_abc123", "ORD_20260614_x7", "ORD_20260614_a-b_C9d8e7f6g5h4"]
)
def test_order_ids_of_other_suffix_lengths_are_asked_for(
    fake: OtherPharmaOne, p1: Client, order_id: str
) -> None:
    fake.on("GET", f"/orders/{order_id}", {"id": order_id, "status": "pending"})
    assert p1.orders.get(order_id).id == order_id


@pytest.mark.parametrize("with_p1_id", [True, False])
def test_order_detail_with_or_without_item_ids_and_address(
    fake: OtherPharmaOne, p1: Client, with_p1_id: bool
) -> None:
    item: dict[str, Any] = {"name": "24/1 IUVO KC OJ Zainbow", "quantity": 11, "price": 8.75}
    if with_p1_id:
        item["p1_id"] = 57672  # an integer, as inventory sends it
    fake.on("GET", f"/orders/{ORDER_ID}", {"id": ORDER_ID, "shop_id": "shop1", "items": [item]})

    order = p1.orders.get(ORDER_ID)

    items = order.items_frame()
    assert items["p1_id"].dtype == "string"
    assert list(items["p1_id"].fillna("-")) == (["57672"] if with_p1_id else ["-"])
    assert items["line_total"].iloc[0] == pytest.approx(96.25)
    address = order.shipping_address_frame()
    assert address.empty and list(address.columns) == ["street", "city", "postal_code", "phone"]
    assert order.to_frame()["id"].iloc[0] == ORDER_ID


# --- authentication --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("expires_in", "exp_in"), [(2, None), (2, 2), (None, 2), (3600, 2)])
def test_short_lived_token_is_reused_then_renewed(
    fake: OtherPharmaOne,
    p1: Client,
    monkeypatch: pytest.MonkeyPatch,
    expires_in: float | None,
    exp_in: float | None,
) -> None:
    fake.expires_in, fake.exp_in = expires_in, exp_in
    fake.on("GET", "/shops", {"data": [{"shop_id": "shop1", "name": "Demo", "is_active": True}]})
    clock = {"wall": 1_800_000_000.0, "monotonic": 1000.0}  # the client's clocks stand still ...
    monkeypatch.setattr("toolkit._auth.time.time", lambda: clock["wall"])
    monkeypatch.setattr("toolkit._auth.time.monotonic", lambda: clock["monotonic"])
    p1.shops.list()
    p1.shops.list()
    assert len(fake.tokens) == 1

    clock["wall"] += 3  # ... until past expires_in (and exp)
    clock["monotonic"] += 3
    p1.shops.list()
    assert len(fake.tokens) == 2
    assert fake.to("/shops")[-1].headers["authorization"] == f"Bearer {fake.tokens[-1]}"


def test_an_opaque_token_is_used_for_its_expires_in(fake: OtherPharmaOne, p1: Client) -> None:
    fake.opaque, fake.expires_in = True, 3600
    fake.on("GET", "/shops", {"data": []})
    p1.shops.list()
    p1.shops.list()
    assert fake.tokens == ["tok_0_x"]
    assert all(r.headers["authorization"] == "Bearer tok_0_x" for r in fake.to("/shops"))


def test_a_token_answer_wrapped_in_data_is_read(fake: OtherPharmaOne, p1: Client) -> None:
    fake.wrap_token = True
    fake.on("GET", "/shops", {"data": []})
    p1.shops.list()
    assert fake.to("/shops")[0].headers["authorization"] == f"Bearer {fake.tokens[0]}"


REFUSALS = {
    "kong": {"message": "Unauthorized", "request_id": "cd736522b658367429e55f72dc5c6040"},
    "backend": {"error": "Invalid or missing API key"},
}


@pytest.mark.parametrize("shape", REFUSALS)
def test_a_401_refreshes_once_then_succeeds(fake: OtherPharmaOne, p1: Client, shape: str) -> None:
    answers = [httpx.Response(401, json=REFUSALS[shape])]
    fake.on(
        "GET",
        "/shops",
        lambda _r, _q: answers.pop(0) if answers else httpx.Response(200, json={"data": []}),
    )
    assert p1.shops.list().empty
    assert len(fake.tokens) == 2
    first, second = fake.to("/shops")
    assert first.headers["authorization"] != second.headers["authorization"]


@pytest.mark.parametrize("shape", REFUSALS)
def test_a_second_401_after_the_refresh_is_an_authentication_error(
    fake: OtherPharmaOne, p1: Client, shape: str
) -> None:
    fake.on("GET", "/shops", lambda _r, _q: httpx.Response(401, json=REFUSALS[shape]))
    with pytest.raises(errors.AuthenticationError) as caught:
        p1.shops.list()
    assert len(fake.to("/shops")) == 2 and len(fake.tokens) == 2
    error = caught.value
    assert error.status_code == 401
    if shape == "kong":
        assert error.request_id == "cd736522b658367429e55f72dc5c6040"
        assert error.request_id in str(error) and error.message == "Unauthorized"
    else:
        assert error.error == "Invalid or missing API key"
    _assert_clean(str(error), fake)


def test_async_client_refreshes_once_on_a_kong_401(fake: OtherPharmaOne, sleeps: list[float]) -> None:
    answers = [httpx.Response(401, json=REFUSALS["kong"])]
    fake.on(
        "GET",
        "/shops",
        lambda _r, _q: answers.pop(0) if answers else httpx.Response(200, json={"data": [{"shop_id": "s"}]}),
    )

    async def run() -> pd.DataFrame:
        async with async_client(fake, sleeps) as client:
            return await client.shops.list()

    assert list(asyncio.run(run())["shop_id"]) == ["s"]
    assert len(fake.tokens) == 2


# --- error answers ---------------------------------------------------------------------------------------

SECRET_BITS = ("max@example.com", "+49123456789", API_KEY)


def _assert_clean(text: str, fake: OtherPharmaOne) -> None:
    for secret in (*SECRET_BITS, *fake.tokens):
        assert secret not in text
    assert "eyJ" not in text


ERROR_CASES = [
    (400, errors.BadRequestError),
    (404, errors.NotFoundError),
    (409, errors.ConflictError),
    (422, errors.UnprocessableEntityError),
    (500, errors.InternalServerError),
    (502, errors.InternalServerError),
    (503, errors.InternalServerError),
]


@pytest.mark.parametrize(("status", "kind"), ERROR_CASES)
@pytest.mark.parametrize("shape", ["backend", "kong"])
def test_error_statuses_map_to_classes_and_fields(
    fake: OtherPharmaOne, p1: Client, status: int, kind: type, shape: str
) -> None:
    if shape == "backend":
        body = {"error": "invalid_request", "message": "customer_email max@example.com is not valid"}
    else:
        body = {"message": "An error occurred", "request_id": "f" * 32}
    fake.on("GET", f"/orders/{ORDER_ID}", lambda _r, _q: httpx.Response(status, json=body))

    with pytest.raises(kind) as caught:
        p1.orders.get(ORDER_ID)

    error = caught.value
    assert error.status_code == status
    if shape == "backend":
        assert error.error == "invalid_request" and "not valid" in error.message
        assert error.request_id is None
    else:
        assert error.error is None and error.message == "An error occurred"
        assert error.request_id == "f" * 32 and error.request_id in str(error)
    assert f"GET /orders/{ORDER_ID}" in str(error)
    _assert_clean(str(error), fake)
    _assert_clean(repr(error), fake)


def test_an_error_echoing_the_customer_does_not_repeat_them(fake: OtherPharmaOne, p1: Client) -> None:
    echo = {"error": "duplicate", "message": "Order request for Erika Musterfrau already received"}
    fake.on("POST", "/order-requests", lambda _r, _q: httpx.Response(409, json=echo))
    with pytest.raises(errors.ConflictError) as caught:
        p1.order_requests.create("shop1", ITEMS, customer_name="Erika Musterfrau", external_reference="R-9")
    for text in (str(caught.value), repr(caught.value), caught.value.message):
        assert "Erika" not in text and "already received" in text
    assert caught.value.error == "duplicate"


def test_a_validation_detail_list_becomes_the_message(fake: OtherPharmaOne, p1: Client) -> None:
    detail = [{"loc": ["body", "payload", "shop_id"], "msg": "field required", "type": "missing"}]
    fake.on("POST", "/order-requests", lambda _r, _q: httpx.Response(422, json={"detail": detail}))
    with pytest.raises(errors.UnprocessableEntityError) as caught:
        p1.order_requests.create("shop1", ITEMS, customer_email="max@example.com")
    assert caught.value.message == "body.payload.shop_id: field required"
    assert "field required" in str(caught.value)
    _assert_clean(str(caught.value), fake)


def test_an_html_502_from_a_proxy_is_a_readable_server_error(fake: OtherPharmaOne, p1: Client) -> None:
    page = (
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
        "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    fake.on(
        "GET",
        "/shops",
        lambda _r, _q: httpx.Response(502, text=page, headers={"content-type": "text/html"}),
    )
    with pytest.raises(errors.InternalServerError) as caught:
        p1.shops.list()
    error = caught.value
    assert error.status_code == 502 and error.error is None
    assert "502 Bad Gateway" in str(error)
    assert "<" not in str(error) and "\n" not in str(error)
    assert len(fake.to("/shops")) == 1 + 3  # a read: retried max_retries times


def test_a_success_that_is_not_json_is_an_unexpected_response(fake: OtherPharmaOne, p1: Client) -> None:
    page = "<html><head><title>Maintenance</title></head><body>back soon</body></html>"
    fake.on("GET", "/shops", lambda _r, _q: httpx.Response(200, text=page))
    with pytest.raises(errors.UnexpectedResponseError, match=r"not JSON \(Maintenance\)"):
        p1.shops.list()


@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirect_is_an_error_not_an_empty_listing(fake: OtherPharmaOne, p1: Client, status: int) -> None:
    location = {"location": "https://elsewhere.test/api/v2/public/orgs/org1/orders/?apikey=x"}
    fake.on("GET", "/orders", lambda _r, _q: httpx.Response(status, headers=location))
    with pytest.raises(errors.UnexpectedResponseError, match=r"redirect to elsewhere\.test/api/v2") as caught:
        p1.orders.list()
    assert "apikey" not in str(caught.value)
    assert [r.url.host for r in fake.sent] == ["pharmaone.test", "pharmaone.test"]  # token, orders


def test_a_request_id_sent_only_as_kong_header_is_kept(fake: OtherPharmaOne, p1: Client) -> None:
    headers = {"X-Kong-Request-Id": "c" * 32}
    fake.on(
        "GET", "/shops", lambda _r, _q: httpx.Response(404, json={"message": "no Route"}, headers=headers)
    )
    with pytest.raises(errors.NotFoundError) as caught:
        p1.shops.list()
    assert caught.value.request_id == "c" * 32 and "c" * 32 in str(caught.value)


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_a_429_with_retry_after_is_waited_for_then_succeeds(
    fake: OtherPharmaOne, p1: Client, sleeps: list[float], form: str
) -> None:
    header = "4" if form == "seconds" else email.utils.formatdate(time.time() + 4, usegmt=True)
    answers = [httpx.Response(429, json={"error": "rate_limited"}, headers={"Retry-After": header})]
    fake.on(
        "GET", "/shops", lambda _r, _q: answers.pop(0) if answers else httpx.Response(200, json={"data": []})
    )
    p1.shops.list()
    assert len(fake.to("/shops")) == 2
    assert len(sleeps) == 1 and 2 <= sleeps[0] <= 5.5


def test_a_429_too_long_to_wait_is_a_rate_limit_error(fake: OtherPharmaOne, p1: Client) -> None:
    refusal = {"message": "API rate limit exceeded"}
    fake.on(
        "GET",
        "/shops",
        lambda _r, _q: httpx.Response(429, json=refusal, headers={"Retry-After": "3600"}),
    )
    with pytest.raises(errors.RateLimitError) as caught:
        p1.shops.list()
    assert caught.value.retry_after == 3600 and "3600" in str(caught.value)
    assert len(fake.to("/shops")) == 1


# --- order requests: never twice --------------------------------------------------------------------------

ITEMS = [{"name": "Cannabis flos", "quantity": 5, "price": 8.59, "p1_id": "12345"}]
ORDER_REQUEST_ANSWER = {
    "id": "08ec979e-67fc-4012-8c32-f003cb406d65",
    "status": "pending",
    "message": "Order request received.",
}


def _drops(exc_type: type[httpx.TransportError]) -> Handler:
    def handler(request: httpx.Request, _query: dict[str, str]) -> httpx.Response:
        raise exc_type("connection lost after the request was sent", request=request)

    return handler


@pytest.mark.parametrize("exc_type", [httpx.ReadError, httpx.RemoteProtocolError, httpx.ReadTimeout])
@pytest.mark.parametrize("api", ["v2", "v1"])
def test_an_order_request_whose_answer_is_lost_is_sent_once(
    fake: OtherPharmaOne, p1: Client, exc_type: type[httpx.TransportError], api: str
) -> None:
    path = "/order-requests" if api == "v2" else f"{V1}/order-requests"
    fake.on("POST", path, _drops(exc_type))

    with pytest.raises(errors.OrderRequestOutcomeUnknown) as caught:
        p1.order_requests.create("shop1", ITEMS, customer_email="max@example.com", api=api)

    sent = fake.to(path)
    assert len(sent) == 1
    reference = json.loads(sent[0].content)["external_reference"]
    assert caught.value.external_reference == reference and reference in str(caught.value)
    _assert_clean(str(caught.value), fake)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(502, text="<html><title>502 Bad Gateway</title></html>"),
        httpx.Response(503, json={"error": "unavailable"}, headers={"Retry-After": "1"}),
        httpx.Response(500, json={"message": "An unexpected error occurred", "request_id": "b" * 32}),
    ],
)
def test_an_order_request_answered_with_5xx_is_not_resent(
    fake: OtherPharmaOne, p1: Client, answer: httpx.Response
) -> None:
    fake.on("POST", "/api/v1/external-order", lambda _r, _q: answer)
    with pytest.raises(errors.OrderRequestOutcomeUnknown) as caught:
        p1.order_requests.external(ITEMS, customer_email="max@example.com", external_reference="TM-RX-1")
    assert len(fake.to("/api/v1/external-order")) == 1
    assert caught.value.external_reference == "TM-RX-1"
    assert isinstance(caught.value.__cause__, errors.InternalServerError)
    _assert_clean(str(caught.value), fake)


def test_idle_connections_are_dropped_before_a_server_with_a_5_s_keep_alive_closes_them() -> None:
    assert _limits(12).keepalive_expiry is not None and _limits(12).keepalive_expiry < 5


def test_async_order_request_whose_answer_is_lost_is_sent_once(
    fake: OtherPharmaOne, sleeps: list[float]
) -> None:
    fake.on("POST", "/order-requests", _drops(httpx.ReadTimeout))

    async def run() -> None:
        async with async_client(fake, sleeps) as client:
            await client.order_requests.create("shop1", ITEMS, customer_name="Max", external_reference="R-1")

    with pytest.raises(errors.OrderRequestOutcomeUnknown) as caught:
        asyncio.run(run())
    assert caught.value.external_reference == "R-1" and len(fake.to("/order-requests")) == 1


def test_an_order_request_refused_with_429_is_resent_with_the_same_reference(
    fake: OtherPharmaOne, p1: Client, sleeps: list[float]
) -> None:
    answers = [httpx.Response(429, json={"message": "API rate limit exceeded"}, headers={"Retry-After": "1"})]

    def handler(request: httpx.Request, _query: dict[str, str]) -> httpx.Response:
        if answers:
            return answers.pop(0)
        reference = json.loads(request.content)["external_reference"]
        return httpx.Response(200, json={**ORDER_REQUEST_ANSWER, "external_reference": reference})

    fake.on("POST", "/order-requests", handler)
    result = p1.order_requests.create("shop1", ITEMS, customer_email="max@example.com")

    first, second = (json.loads(r.content) for r in fake.to("/order-requests"))
    assert first == second
    assert result.external_reference == first["external_reference"]
    assert len(sleeps) == 1


def test_a_callers_external_reference_is_sent_unchanged(fake: OtherPharmaOne, p1: Client) -> None:
    fake.on("POST", f"{V1}/order-requests", ORDER_REQUEST_ANSWER)  # v1 does not echo it
    result = p1.order_requests.create(
        "shop1", ITEMS, customer_name="Max", external_reference="pos-20260614-001", api="v1"
    )
    sent = json.loads(fake.to(f"{V1}/order-requests")[0].content)
    assert sent["external_reference"] == "pos-20260614-001"
    assert sent["payload"]["shop_id"] == "shop1"
    assert result.external_reference == "pos-20260614-001"
    assert fake.to(f"{V1}/order-requests")[0].headers["apikey"] == API_KEY


# --- reports ---------------------------------------------------------------------------------------------

REPORT_SHAPES = {
    "sections": {
        "prescriptions": {"total": 961, "pending": 174, "approved": 770},
        "shop_performance": [{"shop_id": "shop1", "name": "Demo Shop DEV", "order_count": 696}],
    },
    "list": [{"p1_id": 57672, "name": "A", "revenue": 12.5, "units": 3}, {"p1_id": "57673", "units": 1}],
    "nested": {
        "orders": {"count": 3, "revenue": 12.5, "by_status": {"pending": 1, "paid": 2}},
        "customers": {"top": [{"customer_email": "max@example.com", "orders": 2}]},
        "period": {"from": "2026-06-01", "to": "2026-06-06", "created_at": {"odd": True}},
        "generated_at": "2026-06-14T11:44:21.735875899Z",
    },
    "empty": {},
    "scalar": 42,
}


@pytest.mark.parametrize("shape", REPORT_SHAPES)
def test_reports_of_any_shape_give_frames(fake: OtherPharmaOne, p1: Client, shape: str) -> None:
    fake.on("GET", "/reports/stats", {"data": REPORT_SHAPES[shape]})

    report = p1.reports.stats()

    assert isinstance(report, Report)
    sections = report.sections()
    assert all(isinstance(frame, pd.DataFrame) for frame in sections.values())
    assert isinstance(report.to_frame(), pd.DataFrame)
    assert isinstance(report._repr_html_(), str)
    assert "max@example.com" not in repr(report)
    if shape == "sections":
        assert report.frame("prescriptions")["total"].iloc[0] == 961
        assert report.frame("shop_performance")["shop_id"].iloc[0] == "shop1"
    if shape == "list":
        assert list(report.to_frame()["p1_id"]) == ["57672", "57673"]


# --- the public methods say what they return -----------------------------------------------------------


def test_public_methods_show_their_real_return_types(p1: Client) -> None:
    assert inspect.signature(p1.orders.list).return_annotation in (pd.DataFrame, "pd.DataFrame")
    assert inspect.signature(p1.orders.get).return_annotation in (Order, "Order")
    assert "Generator" not in str(inspect.signature(p1.reports.stats))
    assert list(inspect.signature(p1.orders.list).parameters) == ["status", "shop_id", "max_rows"]
