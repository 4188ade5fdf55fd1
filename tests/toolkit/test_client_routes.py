"""Routes whose bodies the reference shows in part: documented fields as arguments, the rest passed on."""

from __future__ import annotations

import asyncio
import json

import httpx
import pandas as pd
import pytest
from p1_fake_api import API_KEY, example, ok

from toolkit.models import Token, WriteResult
from toolkit.resources._base import Namespace


def body_of(api, method: str, path: str) -> dict:
    [sent] = api.sent(method, path)
    return json.loads(sent.content)


def test_auth_token_returns_a_fresh_token_with_its_value_hidden(client, api):
    token = client.auth.token()
    assert isinstance(token, Token) and token.access_token == api.tokens[0]
    assert (token.expires_in, token.token_type) == (3600, "Bearer")
    assert api.tokens[0] not in repr(token)
    assert api.token_requests()[0].headers["apikey"] == API_KEY


def test_order_upsert_sends_qty_and_passes_fields_through(client, api):
    api.route("POST", "/orders", {"id": "ORD_20260605_abc123", "upsert": "ok"})
    result = client.orders.upsert(
        "shop1",
        "POS-ORDER-123",
        [{"p1_id": 12345, "name": "Cannabis flos", "quantity": 5, "price": 8.59}],
        order_number="optional-existing-number",
        order_datetime="2026-06-05T12:00:00Z",
        customer_name="Max Mustermann",
    )
    assert body_of(api, "POST", "/orders") == {
        "shop_id": "shop1",
        "external_id": "POS-ORDER-123",
        "order_number": "optional-existing-number",
        "order_datetime": "2026-06-05T12:00:00Z",
        "items": [{"p1_id": "12345", "name": "Cannabis flos", "qty": 5, "price": 8.59}],
        "customer_name": "Max Mustermann",
    }
    assert isinstance(result, WriteResult) and result.model_extra == {
        "id": "ORD_20260605_abc123",
        "upsert": "ok",
    }


def test_order_update_and_status_flags(client, api):
    api.route("PUT", "/orders/ORD_20260605_abc123", {})
    client.orders.update("ORD_20260605_abc123", payment_status="paid", payment_reference="TX-1")
    assert body_of(api, "PUT", "/orders/ORD_20260605_abc123") == {
        "payment_status": "paid",
        "payment_reference": "TX-1",
    }
    api.route("PATCH", "/orders/ORD_20260605_abc123/status", example("05_order_status.response.json"))
    client.orders.set_status("ORD_20260605_abc123", "ready_pickup", picked_up=False)
    assert body_of(api, "PATCH", "/status") == {"status": "ready_pickup", "picked_up": False}


def test_product_writes(client, api):
    for path in ("/products/add-to-inventory", "/shops/attach-product", "/shops/detach-product",
                 "/shops/product-overrides"):  # fmt: skip
        api.route("POST", path, {"status": "ok"})
    api.route("PUT", "/products/12345", {"p1_id": "12345"})
    client.products.add_to_inventory(12345, initial_stock=10, price=8.99)
    client.products.update("12345", name="Updated name", price=9.99, available=True)
    client.products.attach("shop1", "12345")
    client.products.detach("shop1", 12345, reason="sold out")
    client.products.overrides("shop1", "12345", price=7.5)
    assert body_of(api, "POST", "/add-to-inventory") == {"p1_id": "12345", "initial_stock": 10, "price": 8.99}
    assert body_of(api, "PUT", "/products/12345") == {
        "name": "Updated name",
        "price": 9.99,
        "available": True,
    }
    assert body_of(api, "POST", "/attach-product") == {"shop_id": "shop1", "p1_id": "12345"}
    assert body_of(api, "POST", "/detach-product") == {
        "shop_id": "shop1",
        "p1_id": "12345",
        "reason": "sold out",
    }
    assert body_of(api, "POST", "/product-overrides") == {"shop_id": "shop1", "p1_id": "12345", "price": 7.5}


@pytest.mark.parametrize(
    ("call", "path", "params"),
    [
        (lambda p1: p1.reports.stats(), "/reports/stats", {}),
        (lambda p1: p1.reports.product_performance("2026-05-01", "2026-05-31"), "/reports/product-performance",  # noqa: E501
         {"from": "2026-05-01", "to": "2026-05-31"}),
        (lambda p1: p1.reports.product_sales(from_="2026-06-01", to="2026-06-14"), "/reports/product-sales",
         {"from_date": "2026-06-01", "to_date": "2026-06-14"}),
        (lambda p1: p1.reports.product_sales(from_date="2026-06-01"), "/reports/product-sales",
         {"from_date": "2026-06-01"}),
        (lambda p1: p1.reports.fees("2026-06"), "/reports/pharmaone", {"month": "2026-06"}),
        (lambda p1: p1.reports.fees(month_from="2026-01", month_to="2026-06"), "/reports/pharmaone",
         {"month_from": "2026-01", "month_to": "2026-06"}),
    ],
)  # fmt: skip
def test_reports_send_each_routes_own_parameter_names(client, api, call, path, params):
    api.route("GET", path, {"data": [{"p1_id": 1, "revenue": 10.0}]})
    report = call(client)
    [sent] = api.sent("GET", path)
    assert dict(sent.url.params) == params
    frame = report.frame()
    assert frame.loc[0, "p1_id"] == "1" and frame.loc[0, "revenue"] == 10.0


def test_ingest_many_reports_each_row(client, api):
    def ingest(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["shop_id"] == "nope":
            return ok({"error": "validation_error", "message": "unknown shop nope"}, 422)
        return ok({"id": f"org1-pq-{body['customer_email'][:6].upper()}", "upsert": "ok"})

    api.route("POST", "/prescriptions", ingest)
    frame = pd.DataFrame(
        {
            "shop_id": ["shop1", "nope", "shop3"],
            "customer_email": ["anna@example.com", "ben@example.com", "carl@example.com"],
            "Doctor Name": ["Dr. A", None, "Dr. C"],
        }
    )
    result = client.prescriptions.ingest_many(frame)
    assert result["row"].tolist() == [0, 1, 2]
    assert result["upsert"].tolist()[0::2] == ["ok", "ok"] and pd.isna(result.loc[1, "upsert"])
    assert "unknown shop nope" in result.loc[1, "error"] and result["error"].isna().tolist() == [
        True,
        False,
        True,
    ]
    sent = sorted(
        (json.loads(r.content) for r in api.sent("POST", "/prescriptions")), key=lambda b: b["shop_id"]
    )
    assert sent[1] == {"shop_id": "shop1", "customer_email": "anna@example.com", "Doctor Name": "Dr. A"}
    assert "Doctor Name" not in sent[0]  # missing values are left out, not sent as null


def test_async_client_has_the_same_surface(client, make_async, api):
    api.route("GET", "/inventory", example("10_inventory.docs_example.json"))
    api.route("POST", "/order-requests", example("06_order_request_v2.response.json"))

    async def main():
        async with make_async() as p1:
            frame = await p1.inventory.list()
            result = await p1.order_requests.create("shop1", [{"p1_id": 1, "quantity": 1}], customer_name="M")
            return frame, result

    frame, result = asyncio.run(main())
    assert frame.loc[0, "p1_id"] == "12345" and result.status == "pending"
    async_client = make_async()
    namespaces = {name: type(value) for name, value in vars(client).items() if isinstance(value, Namespace)}
    assert set(namespaces) == {
        "auth", "shops", "orders", "order_requests", "prescriptions", "inventory", "products", "reports",
    }  # fmt: skip
    assert namespaces == {name: type(getattr(async_client, name)) for name in namespaces}
    asyncio.run(async_client.close())


def test_values_taken_from_frames_are_sent_as_plain_json(client, api):
    import numpy as np

    api.route("POST", "/orders", {})
    client.orders.upsert(
        "shop1",
        "POS-9",
        [{"p1_id": np.int64(57672), "quantity": np.int64(2), "price": np.float64(8.75)}],
        order_datetime=pd.Timestamp("2026-06-05T12:00:00Z"),
        total_amount=np.float64(17.5),
    )
    body = body_of(api, "POST", "/orders")
    assert body["items"] == [{"p1_id": "57672", "qty": 2, "price": 8.75}]
    assert body["total_amount"] == 17.5 and body["order_datetime"] == "2026-06-05T12:00:00Z"
