"""Orders over real HTTP: list shape and paging, detail, status transitions, upsert idempotency, PUT."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.sandbox.conftest import example, same_shape, v2_client
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox

LIST_KEYS = {
    "id",
    "shop_id",
    "customer_name",
    "status",
    "payment_status",
    "total_amount",
    "created_at",
    "updated_at",
}
MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
NANOS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")


def order_in(sb: Sandbox, status: str, shop_id: str = "shop1") -> str:
    rows = sb.query(
        "SELECT id FROM orders WHERE org_id = 'org1' AND status = ? AND shop_id = ? ORDER BY id",
        status,
        shop_id,
    )
    assert rows, f"the seed has no {status} order in {shop_id}"
    return rows[0]["id"]


def test_list_matches_both_examples_and_leaves_out_unset_external_id(api: httpx.Client) -> None:
    body = api.get("/orders", params={"limit": 200}).json()
    same_shape(body, example("03_orders.response.json"))
    for item in body["data"]:
        expected = LIST_KEYS | ({"external_id"} if "external_id" in item else set())
        assert set(item) == expected
        assert MICROS.match(item["created_at"]) and MICROS.match(item["updated_at"])
        assert vocab.ORDER_ID_PATTERN.match(item["id"])
    with_external = [item for item in body["data"] if "external_id" in item]
    assert with_external and len(with_external) < len(body["data"])
    same_shape(
        {"data": with_external, "pagination": body["pagination"]}, example("03_orders.docs_example.json")
    )


def test_list_is_newest_first_with_offset_pages_and_total(api: httpx.Client, sandbox: Sandbox) -> None:
    total = sandbox.query("SELECT COUNT(*) AS n FROM orders WHERE org_id = 'org1'")[0]["n"]
    first = api.get("/orders", params={"limit": 2}).json()
    assert first["pagination"] == {"limit": 2, "offset": 0, "total": total}
    second = api.get("/orders", params={"limit": 2, "offset": 2}).json()
    ids = [o["id"] for o in first["data"] + second["data"]]
    assert len(set(ids)) == 4
    everything = api.get("/orders", params={"limit": 200}).json()["data"]
    stamps = [o["created_at"] for o in everything]
    assert stamps == sorted(stamps, reverse=True)
    assert [o["id"] for o in everything[:4]] == ids


def test_list_text_is_what_pythons_json_writes_even_for_awkward_values(make_sandbox) -> None:
    """SQLite renders the list pages: floats, escapes and non-ASCII must come out as json.dumps has them."""
    sb = make_sandbox(orders=30)
    awkward = [
        (0.1 + 0.2, 'Zoë "Z" \\ Ünal\n\t\x01 €😀'),
        (100.0, "O'Brien"),
        (1e-07, "\u2028 / <b>"),
        (98.25, "plain"),
        (9.9, "plain"),
        (124.5, "plain"),
        (1234567.0, "plain"),
    ]
    page_sql = "SELECT * FROM orders WHERE org_id = 'org1' ORDER BY created_at DESC, id LIMIT 20 OFFSET 3"
    for row, (amount, name) in zip(sb.query(page_sql), awkward, strict=False):
        sb.state.db.execute(
            "UPDATE orders SET total_amount = ?, customer_name = ? WHERE id = ?", amount, name, row["id"]
        )
    rows = sb.query(page_sql)
    fields = ("shop_id", "customer_name", "status", "payment_status", "total_amount", "created_at")
    items = [
        {"id": row["id"]}
        | ({"external_id": row["external_id"]} if row["external_id"] is not None else {})
        | {name: row[name] for name in (*fields, "updated_at")}
        for row in rows
    ]
    expected = {"data": items, "pagination": {"limit": 20, "offset": 3, "total": 30}}
    with v2_client(sb) as api:
        response = api.get("/orders", params={"limit": 20, "offset": 3})
    assert response.headers["content-type"] == "application/json"
    assert response.text == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
    sent = [(item["total_amount"], item["customer_name"]) for item in response.json()["data"]]
    assert sent[: len(awkward)] == awkward


def test_limit_defaults_to_50_and_is_capped_at_200(api: httpx.Client) -> None:
    assert api.get("/orders").json()["pagination"]["limit"] == 50
    capped = api.get("/orders", params={"limit": 5000}).json()
    assert capped["pagination"]["limit"] == 200 and len(capped["data"]) == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "ten"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "lost"}, "status"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_field(api: httpx.Client, params: dict, field: str) -> None:
    response = api.get("/orders", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == vocab.ERROR_VALIDATION and body["field"] == field and field in body["message"]


def test_filters_by_status_and_shop(api: httpx.Client, sandbox: Sandbox) -> None:
    body = api.get("/orders", params={"status": "completed", "shop_id": "shop3", "limit": 200}).json()
    expected = sandbox.query(
        "SELECT COUNT(*) AS n FROM orders WHERE org_id='org1' AND status='completed' AND shop_id='shop3'"
    )[0]["n"]
    assert body["pagination"]["total"] == expected > 0
    assert {(o["status"], o["shop_id"]) for o in body["data"]} == {("completed", "shop3")}
    unknown = api.get("/orders", params={"shop_id": "markt1"})  # a shop of org2
    assert unknown.status_code == 400 and "shop1" in unknown.json()["message"]


def test_detail_matches_the_docs_example(api: httpx.Client, sandbox: Sandbox) -> None:
    order_id = sandbox.query(
        "SELECT id FROM orders WHERE org_id = 'org1' AND external_id IS NOT NULL"
        " AND payment_reference IS NOT NULL"
    )[0]["id"]
    body = api.get(f"/orders/{order_id}").json()
    same_shape(body, example("04_order.docs_example.json"))
    same_shape(body, example("04_order.response.json"))
    assert all(isinstance(item["p1_id"], str) for item in body["items"])
    expected_total = round(sum(i["quantity"] * i["price"] for i in body["items"]), 2)
    assert body["total_amount"] == pytest.approx(expected_total)


def test_unknown_order_is_a_404_in_the_backend_shape(api: httpx.Client) -> None:
    response = api.get("/orders/ORD_20260101_doesnotexist")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == vocab.ERROR_NOT_FOUND and "ORD_20260101_doesnotexist" in body["message"]
    assert (
        api.patch("/orders/ORD_20260101_doesnotexist/status", json={"status": "cancelled"}).status_code == 404
    )


def test_patch_status_follows_the_transitions_and_answers_nanoseconds(make_sandbox) -> None:
    sb = make_sandbox(orders=300)
    order_id = order_in(sb, "pending")
    with v2_client(sb) as api:
        response = api.patch(f"/orders/{order_id}/status", json=example("05_order_status.request.json"))
        assert response.status_code == 200
        body = response.json()
        same_shape(body, example("05_order_status.response.json"))
        assert body["order_id"] == order_id and body["status"] == "awaiting_packing"
        assert NANOS.match(body["updated_at"])
        assert api.get(f"/orders/{order_id}").json()["updated_at"][:26] == body["updated_at"][:26]

        again = api.patch(f"/orders/{order_id}/status", json={"status": "awaiting_packing"})
        assert again.status_code == 200 and NANOS.match(again.json()["updated_at"])

        refused = api.patch(f"/orders/{order_id}/status", json={"status": "completed"})
        assert refused.status_code == 409
        assert refused.json()["error"] == vocab.ERROR_INVALID_TRANSITION
        assert refused.json()["allowed"] == list(vocab.ORDER_TRANSITIONS["awaiting_packing"])
        assert sb.query("SELECT status FROM orders WHERE id = ?", order_id)[0]["status"] == "awaiting_packing"

        for step in ("ready_pickup", "completed"):
            assert api.patch(f"/orders/{order_id}/status", json={"status": step}).status_code == 200
        final = api.patch(f"/orders/{order_id}/status", json={"status": "cancelled"})
        assert final.status_code == 409 and "none (final status)" in final.json()["message"]


@pytest.mark.parametrize(
    "body", [{}, {"status": "teleported"}, {"status": 3}, {"shipped": "yes"}, {"colour": "red"}]
)
def test_bad_patch_bodies_are_refused_and_change_nothing(
    api: httpx.Client, sandbox: Sandbox, body: dict
) -> None:
    order_id = order_in(sandbox, "completed")
    before = sandbox.query("SELECT * FROM orders WHERE id = ?", order_id)
    response = api.patch(f"/orders/{order_id}/status", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == vocab.ERROR_VALIDATION
    assert sandbox.query("SELECT * FROM orders WHERE id = ?", order_id) == before


def test_patch_body_that_is_not_json_is_a_400(api: httpx.Client, sandbox: Sandbox) -> None:
    order_id = order_in(sandbox, "completed")
    response = api.patch(f"/orders/{order_id}/status", content=b"status=packed")
    assert response.status_code == 400 and "not valid JSON" in response.json()["message"]


UPSERT = {
    "shop_id": "shop1",
    "external_id": "POS-ORDER-123",
    "order_number": "optional-existing-number",
    "order_datetime": "2026-06-05T12:00:00Z",
    "customer_name": "Max Mustermann",
    "customer_email": "max@example.com",
    "items": [{"p1_id": "57672", "qty": 2}, {"name": "Cannabis flos", "qty": 5, "price": 8.59}],
}


def test_upsert_is_idempotent_on_external_id_and_shop(make_sandbox) -> None:
    sb = make_sandbox(orders=20)
    with v2_client(sb) as api:
        created = api.post("/orders", json=UPSERT)
        assert created.status_code == vocab.ORDER_UPSERT_CREATED_STATUS == 201
        order = created.json()
        same_shape(order, example("04_order.response.json"))
        assert order["payment_reference"] == "" and order["external_id"] == "POS-ORDER-123"
        assert order["created_at"] == "2026-06-05T12:00:00.000000Z"
        assert order["items"][0] == {
            "p1_id": "57672",
            "name": "24/1 IUVO KC OJ Zainbow",
            "quantity": 2,
            "price": 8.75,
        }
        assert "p1_id" not in order["items"][1]  # a line without a product, as in the live example
        assert order["total_amount"] == pytest.approx(2 * 8.75 + 5 * 8.59)

        repeated = api.post("/orders", json=UPSERT)
        assert repeated.status_code == vocab.ORDER_UPSERT_UPDATED_STATUS == 200
        assert repeated.json() == order
        other_shop = api.post("/orders", json={**UPSERT, "shop_id": "shop3"})
        assert other_shop.status_code == 201 and other_shop.json()["id"] != order["id"]

        changed = api.post("/orders", json={**UPSERT, "customer_email": "neu@example.com"})
        assert changed.status_code == 200 and changed.json()["id"] == order["id"]
        assert changed.json()["customer_email"] == "neu@example.com"
    assert sb.query("SELECT COUNT(*) AS n FROM orders WHERE external_id = 'POS-ORDER-123'")[0]["n"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"p1_id": "57672", "quantity": 2}]}, "items[0].qty"),
        ({"items": [{"p1_id": "57672", "qty": 0}]}, "items[0].qty"),
        ({"items": [{"p1_id": "99999", "qty": 1}]}, "items[0].p1_id"),
        ({"items": []}, "items"),
        ({"shop_id": "markt1"}, "shop_id"),
        ({"external_id": None}, "external_id"),
        ({"status": "lost"}, "status"),
        ({"order_datetime": "yesterday"}, "order_datetime"),
    ],
)
def test_upsert_validation_names_the_field(
    api: httpx.Client, sandbox: Sandbox, change: dict, field: str
) -> None:
    before = sandbox.query("SELECT COUNT(*) AS n FROM orders")[0]["n"]
    response = api.post("/orders", json={**UPSERT, "external_id": "BAD-1", **change})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert sandbox.query("SELECT COUNT(*) AS n FROM orders")[0]["n"] == before


def test_put_updates_fields_and_checks_transitions(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        created = api.post("/orders", json={**UPSERT, "external_id": "PUT-TEST-1"}).json()
        updated = api.put(
            f"/orders/{created['id']}",
            json={
                "shipping_address": {"city": "Hamburg"},
                "payment_status": "paid",
                "payment_reference": "TX-1",
            },
        )
        assert updated.status_code == 200
        body = updated.json()
        assert body["shipping_address"]["city"] == "Hamburg" and body["payment_status"] == "paid"
        assert body["payment_reference"] == "TX-1" and body["updated_at"] >= created["updated_at"]
        assert api.put(f"/orders/{created['id']}", json={"status": "shipped"}).status_code == 409
        assert api.put(f"/orders/{created['id']}", json={}).status_code == 400
        assert api.put("/orders/ORD_20260101_missing1", json={"customer_name": "X"}).status_code == 404
