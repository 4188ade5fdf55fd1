"""Every example body of the reference, through the client, asserted field by field (models and frames)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from p1_fake_api import SHOP_URL, example

from toolkit import errors
from toolkit.models import Order

STRING = pd.StringDtype()
TIME = "datetime64[ns, UTC]"


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_shops(client, api):
    api.route("GET", "/shops", example("02_shops.response.json"))
    frame = client.shops.list()
    assert list(frame.columns) == ["shop_id", "name", "is_active"]
    assert frame["shop_id"].tolist() == ["shop1", "testtttt", "release23", "shop3"]
    assert frame["name"].tolist() == ["Demo Shop DEV", "Medikamentenmanfred", "release23", "Weed Bank"]
    assert frame["is_active"].tolist() == [True, True, True, True]
    assert frame.dtypes.to_dict() == {"shop_id": STRING, "name": STRING, "is_active": pd.BooleanDtype()}


@pytest.mark.parametrize("name", ["03_orders.response.json", "03_orders.docs_example.json"])
def test_orders_list(client, api, name):
    body = example(name)
    body["pagination"]["total"] = len(body["data"])
    api.route("GET", "/orders", body)
    frame = client.orders.list()
    assert list(frame.columns) == [
        "id", "external_id", "shop_id", "customer_name", "status", "payment_status", "total_amount",
        "created_at", "updated_at",
    ]  # fmt: skip
    for row, wire in zip(frame.to_dict("records"), body["data"], strict=True):
        assert row["id"] == wire["id"]
        assert row["shop_id"] == wire["shop_id"]
        assert row["customer_name"] == wire["customer_name"]
        assert row["status"] == wire["status"]
        assert row["payment_status"] == wire["payment_status"]
        assert row["total_amount"] == wire["total_amount"]
        assert row["created_at"] == utc(wire["created_at"])
        assert row["updated_at"] == utc(wire["updated_at"])
        if "external_id" in wire:
            assert row["external_id"] == wire["external_id"]
        else:  # the live example leaves it out: the column is still there, as <NA>
            assert pd.isna(row["external_id"])
    assert frame["id"].dtype == STRING and frame["external_id"].dtype == STRING
    assert frame["total_amount"].dtype == "float64"
    assert str(frame["created_at"].dtype) == TIME and str(frame["updated_at"].dtype) == TIME


def test_order_detail_docs_example(client, api):
    wire = example("04_order.docs_example.json")
    api.route("GET", f"/orders/{wire['id']}", wire)
    order = client.orders.get(wire["id"])
    assert isinstance(order, Order)
    assert (order.id, order.external_id, order.status, order.shop_id) == (
        "ORD_20260605_abc123", "POS-999", "awaiting_packing", "shop1",
    )  # fmt: skip
    assert (order.customer_name, order.customer_email) == ("Max Mustermann", "max@example.com")
    assert (order.total_amount, order.payment_status, order.payment_reference) == (42.99, "paid", "TX-123")
    assert (order.shipped, order.picked_up, order.cash_on_pickup) == (False, False, True)
    address = order.shipping_address
    assert (address.street, address.city, address.postal_code, address.phone) == (
        "Musterstr. 1", "Berlin", "10115", "+49123456789",
    )  # fmt: skip
    assert order.created_at == datetime(2026, 6, 5, 10, 0, tzinfo=UTC)
    assert order.updated_at == datetime(2026, 6, 5, 11, 0, tzinfo=UTC)
    [item] = order.items
    assert (item.p1_id, item.name, item.quantity, item.price) == ("12345", "Cannabis flos", 5, 8.59)
    items = order.items_frame()
    assert list(items.columns) == ["p1_id", "name", "quantity", "price", "line_total"]
    assert items.loc[0, "p1_id"] == "12345" and items["p1_id"].dtype == STRING
    assert items.loc[0, "quantity"] == 5 and items["quantity"].dtype == pd.Int64Dtype()
    assert items.loc[0, "line_total"] == pytest.approx(42.95)
    address_frame = order.shipping_address_frame()
    assert address_frame.to_dict("records") == [
        {"street": "Musterstr. 1", "city": "Berlin", "postal_code": "10115", "phone": "+49123456789"}
    ]
    summary = order.to_frame()
    assert summary.loc[0, "id"] == "ORD_20260605_abc123" and summary.loc[0, "total_amount"] == 42.99
    assert str(summary["created_at"].dtype) == TIME


def test_order_detail_live_example_has_items_without_p1_id(client, api):
    wire = example("04_order.response.json")
    api.route("GET", f"/orders/{wire['id']}", wire)
    order = client.orders.get(wire["id"])
    assert order.status is None and order.created_at is None
    [item] = order.items
    assert (item.p1_id, item.name, item.quantity, item.price) == (None, "24/1 IUVO KC OJ Zainbow", 11, 8.75)
    items = order.items_frame()
    assert pd.isna(items.loc[0, "p1_id"])
    assert items.loc[0, "line_total"] == pytest.approx(96.25)


def test_set_status_sends_the_body_and_keeps_nanoseconds(client, api):
    api.route("PATCH", "/orders/ORD_20260614_8v039dhnrv/status", example("05_order_status.response.json"))
    change = client.orders.set_status("ORD_20260614_8v039dhnrv", "awaiting_packing")
    [sent] = api.sent("PATCH")
    assert json.loads(sent.content) == example("05_order_status.request.json")
    assert (change.order_id, change.status) == ("ORD_20260614_8v039dhnrv", "awaiting_packing")
    assert change.updated_at == pd.Timestamp("2026-06-14T11:44:21.735875899Z")
    assert change.updated_at.nanosecond == 899
    assert str(change.to_frame()["updated_at"].dtype) == TIME


def test_order_request_v2_sends_the_documented_envelope(client, api):
    api.route("POST", "/order-requests", example("06_order_request_v2.response.json"))
    wire = example("06_order_request_v2.request.json")
    payload = wire["payload"]
    result = client.order_requests.create(
        payload["shop_id"],
        payload["items"],
        customer_name=payload["customer_name"],
        customer_email=payload["customer_email"],
        external_reference=wire["external_reference"],
        source=wire["source"],
        total_amount=payload["total_amount"],
    )
    [sent] = api.sent("POST", "/order-requests")
    assert json.loads(sent.content) == wire
    assert sent.headers["authorization"].startswith("Bearer ") and "apikey" not in sent.headers
    assert result.id == "08ec979e-67fc-4012-8c32-f003cb406d65"
    assert (result.status, result.message) == ("pending", "Order request received.")
    assert result.external_reference == "pos-20260614-001"


def test_order_request_v1_uses_the_key_and_fills_in_the_reference(client, api):
    api.route("POST", "/api/v1/public/orgs/org1/order-requests", example("07_order_request_v1.response.json"))
    result = client.order_requests.create(
        "shop1", [{"name": "Cannabis flos", "quantity": 5}], customer_email="max@example.com", api="v1"
    )
    [sent] = api.sent("POST", "/api/v1/public/orgs/org1/order-requests")
    body = json.loads(sent.content)
    assert sent.headers["apikey"] and "authorization" not in sent.headers
    assert api.token_requests() == []  # v1 needs no JWT
    assert body["payload"]["shop_id"] == "shop1"
    assert body["external_reference"].startswith("pharmaone-ops-")
    assert result.id == "4ee3b265-867a-4aeb-aee1-b346b27f265f" and result.status == "pending"
    assert result.external_reference == body["external_reference"]


def test_external_order_goes_to_the_shop_proxy(client, api):
    api.route("POST", "/api/v1/external-order", example("08_external_order.response.json"))
    wire = example("08_external_order.request.json")
    payload = wire["payload"]
    result = client.order_requests.external(
        payload["items"],
        customer_name=payload["customer_name"],
        customer_email=payload["customer_email"],
        external_reference=wire["external_reference"],
        source=wire["source"],
        shipping_option=payload["shipping_option"],
        total_amount=payload["total_amount"],
    )
    [sent] = api.sent("POST", "/api/v1/external-order")
    assert str(sent.url).startswith(SHOP_URL)
    assert json.loads(sent.content) == wire
    assert sent.headers["apikey"] and "authorization" not in sent.headers
    assert (result.id, result.status) == ("5dbdd185-98ec-4973-8ab0-7033b76c9eb2", "pending")
    assert result.external_reference == "TM-RX-2026-0042"


@pytest.mark.parametrize("name", ["09_prescriptions.docs_example.json", "09_prescriptions.response.json"])
def test_prescriptions_list(client, api, name):
    body = example(name)
    api.route("GET", "/prescriptions", body)
    frame = client.prescriptions.list()
    assert list(frame.columns) == ["id", "shop_id", "status", "order_id", "customer_email", "created_at"]
    [wire] = body["data"]
    row = frame.iloc[0]
    assert (row["id"], row["shop_id"], row["status"]) == (wire["id"], wire["shop_id"], wire["status"])
    assert row["customer_email"] == wire["customer_email"]  # "" stays "" (the API's unset value)
    if "order_id" in wire:
        assert row["order_id"] == wire["order_id"] == ""
        assert row["created_at"] == utc(wire["created_at"])
    else:
        assert pd.isna(row["order_id"]) and pd.isna(row["created_at"])
    assert str(frame["created_at"].dtype) == TIME and frame["order_id"].dtype == STRING


def test_prescription_get_and_ingest(client, api):
    [wire] = example("09_prescriptions.docs_example.json")["data"]
    api.route("GET", f"/prescriptions/{wire['id']}", wire)
    prescription = client.prescriptions.get(wire["id"])
    assert (prescription.id, prescription.status, prescription.order_id) == ("org1-pq-CQ3TLK", "new", "")
    assert prescription.created_at == pd.Timestamp("2026-06-06T00:22:03.574733Z")
    api.route("POST", "/prescriptions", example("09_prescription_ingest.response.json"))
    request = example("09_prescription_ingest.request.json")
    result = client.prescriptions.ingest(request["shop_id"], request["customer_email"])
    assert json.loads(api.sent("POST", "/prescriptions")[0].content) == request
    assert (result.id, result.upsert) == ("org1-pq-1AUOPV", "ok")


@pytest.mark.parametrize("name", ["10_inventory.docs_example.json", "10_inventory.response.json"])
def test_inventory_list_normalises_p1_id_and_stock(client, api, name):
    body = example(name)
    api.route("GET", "/inventory", body)
    frame = client.inventory.list()
    assert list(frame.columns) == [
        "p1_id", "name", "stock_quantity", "price", "category", "log_entries", "last_activity",
    ]  # fmt: skip
    [wire] = body["data"]
    row = frame.iloc[0]
    assert row["p1_id"] == str(wire["p1_id"]) and frame["p1_id"].dtype == STRING
    assert row["stock_quantity"] == wire["stockquantity"] and frame["stock_quantity"].dtype == pd.Int64Dtype()
    assert row["price"] == wire["price"] and row["name"] == wire["name"]
    if "last_activity" in wire:
        assert row["category"] == "Blüten" and row["log_entries"] == 12
        assert row["last_activity"] == utc("2026-06-05T14:00:00Z")
    else:
        assert pd.isna(row["category"]) and pd.isna(row["log_entries"]) and pd.isna(row["last_activity"])
    assert frame["log_entries"].dtype == pd.Int64Dtype() and str(frame["last_activity"].dtype) == TIME
    assert "stockquantity" not in frame


def test_inventory_adjust_and_log(client, api):
    api.route("POST", "/inventory/adjust", example("10_inventory_adjust.response.json"))
    wire = example("10_inventory_adjust.request.json")
    result = client.inventory.adjust(
        12345, "POS sale", delta_on_hand=-2, delta_incoming=0, shop_id="shop1", metadata={"pos_ref": "TX-999"}
    )
    assert json.loads(api.sent("POST", "/inventory/adjust")[0].content) == wire
    assert (result.status, result.id) == ("ok", "log-entry-uuid")
    api.route("GET", "/inventory/12345/log", example("10_inventory_log.docs_example.json"))
    log = client.inventory.log("12345")
    [row] = log.to_dict("records")
    assert row == {
        "id": "uuid", "p1_id": "12345", "shop_id": "shop1", "delta_on_hand": -2, "delta_incoming": 0,
        "reason": "POS sale", "created_at": utc("2026-06-05T14:00:00Z"),
    }  # fmt: skip
    assert log["p1_id"].dtype == STRING and log["delta_on_hand"].dtype == pd.Int64Dtype()


def test_products_list_and_get(client, api):
    api.route("GET", "/products", example("10_products.response.json"))
    frame = client.products.list("shop1")
    assert list(frame.columns) == [
        "p1_id", "name", "slug", "category", "price", "stock_quantity", "available", "shop_id",
    ]  # fmt: skip
    row = frame.iloc[0]
    assert (row["p1_id"], row["name"], row["price"]) == ("57674", "ZOIKS 31/1 MN Moonlight Nectar", 6.45)
    assert row["available"] is True or row["available"] == True  # noqa: E712 (pandas boolean scalar)
    assert row["shop_id"] == "shop1"  # the listing is of that shop even where rows leave it out
    assert pd.isna(row["stock_quantity"]) and frame["stock_quantity"].dtype == pd.Int64Dtype()
    assert frame["available"].dtype == pd.BooleanDtype()
    # no pagination block and a short page: page 2 is asked once, in case the server's pages are smaller
    first, probe = api.sent("GET", "/products")
    assert first.url.params["shop_id"] == "shop1" and first.url.params["page"] == "1"
    assert probe.url.params["page"] == "2"
    api.route("GET", "/products/12345", example("10_product.docs_example.json"))
    product = client.products.get("12345", "shop1")
    assert (product.p1_id, product.name, product.slug, product.category) == (
        "12345", "Product name", "product-slug", "Blüten",
    )  # fmt: skip
    assert (product.price, product.stock_quantity, product.shop_id) == (8.99, 100, "shop1")
    assert product.to_frame()["stock_quantity"].dtype == pd.Int64Dtype()


def test_report_stats_sections(client, api):
    api.route("GET", "/reports/stats", example("10_report_stats.response.json"))
    report = client.reports.stats("2026-06-01", "2026-06-06")
    [sent] = api.sent("GET", "/reports/stats")
    assert dict(sent.url.params) == {"from": "2026-06-01", "to": "2026-06-06"}
    sections = report.sections()
    assert set(sections) == {"prescriptions", "shop_performance"}
    assert sections["prescriptions"].to_dict("records") == [{"total": 961, "pending": 174, "approved": 770}]
    shops = report.frame("shop_performance")
    assert shops.to_dict("records") == [{"shop_id": "shop1", "name": "Demo Shop DEV", "order_count": 696}]
    assert shops["shop_id"].dtype == STRING
    with pytest.raises(KeyError, match="has no section 'customers'"):
        report.frame("customers")


@pytest.mark.parametrize(
    ("name", "status", "cls", "error", "message", "request_id"),
    [
        ("01_token.401_kong.json", 401, errors.AuthenticationError, None, "Unauthorized",
         "cd736522b658367429e55f72dc5c6040"),
        ("01_token.401_backend.json", 401, errors.AuthenticationError, "Invalid or missing API key", None, None),  # noqa: E501
        ("errors.insufficient_scope.json", 403, errors.PermissionDeniedError, "insufficient_scope",
         "Missing scope: inventory.write", None),
        ("errors.org_mismatch.json", 403, errors.PermissionDeniedError, "org_mismatch",
         "Token org_id does not match URL orgId", None),
    ],
)  # fmt: skip
def test_error_bodies_map_to_the_same_fields(client, api, name, status, cls, error, message, request_id):
    api.route("GET", "/shops", lambda _req: __import__("httpx").Response(status, json=example(name)))
    api.routes[("POST", "/auth/token")] = (
        (lambda _r: __import__("httpx").Response(401, json=example(name))) if status == 401 else api._token
    )
    with pytest.raises(cls) as caught:
        client.shops.list()
    exc = caught.value
    assert (exc.status_code, exc.error, exc.message, exc.request_id) == (status, error, message, request_id)
    assert exc.body == example(name)
    assert isinstance(exc, errors.APIStatusError) and isinstance(exc, errors.PharmaOneError)


def test_refused_key_reads_like_a_sentence(client, api):
    api.routes[("POST", "/auth/token")] = lambda _r: __import__("httpx").Response(
        401, json=example("01_token.401_kong.json")
    )
    with pytest.raises(errors.AuthenticationError) as caught:
        client.shops.list()
    assert str(caught.value) == (
        "PharmaOne refused the API key for org org1 (request cd736522b658367429e55f72dc5c6040)"
    )
