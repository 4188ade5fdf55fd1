"""Seed determinism and realism, sizes, persistence in a file, start/stop, and the documented route map."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.sandbox.conftest import v2_client, v2_prefix
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox
from toolkit.sandbox.db import Database
from toolkit.sandbox.seed import seed_database

NOW = datetime(2026, 6, 14, 12, 0, tzinfo=UTC)
TABLES = (
    "orders",
    "order_items",
    "products",
    "shop_products",
    "prescriptions",
    "order_requests",
    "inventory_log",
)
FLOWER_NAME = re.compile(r"^(\d+/\d+ \S+( \S+)? [A-Z]{2} [A-Z]{2,3} .+|\S+( \S+)? \d+/\d+ [A-Z]{2,3} .+)$")


def snapshot(sb: Sandbox) -> dict[str, list[dict]]:
    return {table: sb.query(f"SELECT * FROM {table} ORDER BY rowid") for table in TABLES}


def test_same_seed_and_now_give_the_same_data_and_keys(make_sandbox) -> None:
    first = make_sandbox(seed=3, orders=150, now=NOW)
    second = make_sandbox(seed=3, orders=150, now=NOW)
    assert snapshot(first) == snapshot(second)
    assert first.api_keys == second.api_keys
    other = make_sandbox(seed=4, orders=150, now=NOW)
    assert snapshot(other)["orders"] != snapshot(first)["orders"]
    assert other.api_key != first.api_key


def test_seed_looks_like_a_pharmacy(make_sandbox) -> None:
    sb = make_sandbox(seed=7, orders=600, now=NOW)
    orders = sb.query("SELECT * FROM orders WHERE org_id = 'org1'")
    assert len(orders) == 600
    created = [datetime.fromisoformat(o["created_at"].replace("Z", "+00:00")) for o in orders]
    assert NOW - timedelta(days=90) <= min(created) and max(created) <= NOW
    statuses = Counter(o["status"] for o in orders)
    assert statuses["completed"] > len(orders) / 2 and statuses["cancelled"] > 0
    assert statuses["pending"] + statuses["awaiting_packing"] > 0
    assert set(statuses) <= set(vocab.ORDER_STATUSES)
    shops = Counter(o["shop_id"] for o in orders)
    assert set(shops) == {"shop1", "testtttt", "release23", "shop3"} and shops.most_common(1)[0][0] == "shop1"
    for order in orders[:50]:
        items = sb.query("SELECT quantity, price FROM order_items WHERE order_id = ?", order["id"])
        assert items and order["total_amount"] == pytest.approx(
            sum(i["quantity"] * i["price"] for i in items)
        )
    flowers = [row["name"] for row in sb.query("SELECT name FROM catalog WHERE category = 'Blüten'")]
    assert "24/1 IUVO KC OJ Zainbow" in flowers and "ZOIKS 31/1 MN Moonlight Nectar" in flowers
    assert all(FLOWER_NAME.match(name) for name in flowers), [n for n in flowers if not FLOWER_NAME.match(n)]
    prices = [row["price"] for row in sb.query("SELECT price FROM products WHERE category = 'Blüten'")]
    assert min(prices) > 4 and max(prices) < 20
    stock = [
        row["stock_quantity"] for row in sb.query("SELECT stock_quantity FROM products WHERE org_id = 'org1'")
    ]
    assert 0 in stock and any(0 < level <= vocab.LOW_STOCK_THRESHOLD for level in stock)
    statuses = {
        row["status"] for row in sb.query("SELECT DISTINCT status FROM prescriptions WHERE org_id = 'org1'")
    }
    assert statuses == set(vocab.PRESCRIPTION_STATUSES)
    assert sb.query("SELECT COUNT(*) AS n FROM order_requests")[0]["n"] > 0


def test_every_seeded_stock_level_matches_its_log(make_sandbox) -> None:
    sb = make_sandbox(orders=5, now=NOW)
    mismatches = sb.query(
        "SELECT p.p1_id FROM products p JOIN"
        " (SELECT org_id, p1_id, SUM(delta_on_hand) AS total FROM inventory_log"
        " GROUP BY org_id, p1_id) l USING (org_id, p1_id) WHERE l.total != p.stock_quantity"
    )
    assert mismatches == []


def test_a_large_seed_lists_through_its_indexes() -> None:
    """Benchmark sizes (`--orders 100000`) use the same code; 30,000 keeps this test quick."""
    db = Database()
    seed_database(db, seed=1, orders=30_000, now=NOW)
    db.create_indexes()
    assert db.scalar("SELECT COUNT(*) FROM orders WHERE org_id = 'org1'") == 30_000
    for where, index in (("", "orders_by_org"), (" AND status = 'pending'", "orders_by_status")):
        plan = " ".join(
            row["detail"]
            for row in db.query(
                f"EXPLAIN QUERY PLAN SELECT * FROM orders WHERE org_id = 'org1'{where}"
                " ORDER BY created_at DESC, id LIMIT 200 OFFSET 29000"
            )
        )
        assert f"INDEX {index}" in plan and "TEMP B-TREE" not in plan, plan


def test_a_database_file_keeps_its_state_across_restarts(tmp_path: Path) -> None:
    path = str(tmp_path / "sandbox.sqlite3")
    with Sandbox(orders=30, db=path) as first, v2_client(first) as api:
        order_id = api.get("/orders", params={"status": "completed", "limit": 1}).json()["data"][0]["id"]
        key = first.api_key
        api.post("/prescriptions", json={"shop_id": "shop1", "customer_email": "keep@example.com"})
        assert first.seeded
    with Sandbox(orders=999, db=path) as second, v2_client(second, key) as api:
        assert not second.seeded
        assert api.get("/orders").json()["pagination"]["total"] == 30
        assert api.get(f"/orders/{order_id}").status_code == 200
        assert second.query("SELECT 1 FROM prescriptions WHERE customer_email = 'keep@example.com'")


def test_start_stop_and_a_given_port(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    port = sb.port
    assert sb.base_url == f"http://127.0.0.1:{port}" and sb.org_id == "org1"
    sb.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{sb.base_url}{v2_prefix()}/shops")
    with Sandbox(orders=5, port=port) as again:
        assert again.port == port
        assert httpx.get(f"{again.base_url}{v2_prefix()}/shops").status_code == 401
    with pytest.raises(RuntimeError, match="not running"):
        _ = again.api_key


def test_a_busy_port_fails_start_and_leaves_nothing_running(make_sandbox) -> None:
    running = make_sandbox(orders=5)
    second = Sandbox(orders=5, port=running.port)
    with pytest.raises(OSError):
        second.start()
    with pytest.raises(RuntimeError, match="not running"):
        _ = second.api_key
    assert (
        httpx.get(f"{running.base_url}{v2_prefix()}/shops").status_code == 401
    )  # the first one still serves


#: The route map of the reference (§4), with a body where one is needed: each must reach the backend.
DOCUMENTED_ROUTES = [
    ("GET", "/shops", None),
    ("GET", "/products?shop_id=shop1", None),
    ("GET", "/products/57672?shop_id=shop1", None),
    ("POST", "/products/add-to-inventory", {"p1_id": "57672"}),
    ("PUT", "/products/57672", {"price": 8.75}),
    ("POST", "/shops/attach-product", {"shop_id": "shop1", "p1_id": "57672"}),
    ("POST", "/shops/detach-product", {"shop_id": "release23", "p1_id": "1"}),
    ("POST", "/shops/product-overrides", {"shop_id": "shop1", "p1_id": "57672", "available": True}),
    ("GET", "/inventory", None),
    ("POST", "/inventory/adjust", {"p1_id": "57672", "delta_incoming": 1, "reason": "route map"}),
    ("GET", "/inventory/57672/log", None),
    ("GET", "/inventory/57672/history?days=7", None),
    ("GET", "/orders", None),
    ("GET", "/orders/ORD_20260101_nothere", None),
    (
        "POST",
        "/orders",
        {
            "shop_id": "shop1",
            "external_id": "MAP-1",
            "customer_name": "A",
            "items": [{"name": "X", "qty": 1, "price": 1}],
        },
    ),
    ("PUT", "/orders/ORD_20260101_nothere", {"customer_name": "B"}),
    ("PATCH", "/orders/ORD_20260101_nothere/status", {"status": "cancelled"}),
    (
        "POST",
        "/order-requests",
        {"payload": {"shop_id": "shop1", "customer_name": "A", "items": [{"name": "X", "quantity": 1}]}},
    ),
    ("GET", "/prescriptions", None),
    ("GET", "/prescriptions/org1-pq-NOTHER", None),
    ("POST", "/prescriptions", {"shop_id": "shop1", "customer_email": "map@example.com"}),
    ("GET", "/reports/stats", None),
    ("GET", "/reports/product-performance", None),
    ("GET", "/reports/product-sales", None),
    ("GET", "/reports/pharmaone", None),
]


def test_every_documented_route_is_served(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    gateway_body = {"message", "request_id"}
    with v2_client(sb) as api:
        for method, path, body in DOCUMENTED_ROUTES:
            response = api.request(method, path, json=body)
            assert response.status_code < 500, (method, path)
            assert set(response.json()) != gateway_body, f"{method} {path} is not routed"
    v1 = httpx.post(
        f"{sb.base_url}/api/v1/public/orgs/org1/order-requests",
        headers={"apikey": sb.api_key},
        json=DOCUMENTED_ROUTES[17][2],
    )
    shop = httpx.post(
        f"{sb.shop_url}/api/v1/external-order",
        headers={"apikey": sb.api_key},
        json={"payload": {"customer_name": "A", "items": [{"name": "X", "quantity": 1}]}},
    )
    assert v1.status_code == shop.status_code == 200


def test_writes_through_query_are_seen_by_the_listing(make_sandbox) -> None:
    sb = make_sandbox(orders=20)
    with v2_client(sb) as api:
        assert api.get("/orders").json()["pagination"]["total"] == 20
        sb.query("DELETE FROM orders WHERE id IN (SELECT id FROM orders WHERE org_id = 'org1' LIMIT 3)")
        assert api.get("/orders").json()["pagination"]["total"] == 17
