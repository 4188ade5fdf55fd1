"""Inventory: integer p1_id and `stockquantity`, adjustments that never go below zero, the log and history."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx

from tests.sandbox.conftest import example, same_shape, v2_client
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox


def stock(sb: Sandbox, p1_id: int) -> int:
    return sb.query("SELECT stock_quantity FROM products WHERE org_id = 'org1' AND p1_id = ?", p1_id)[0][
        "stock_quantity"
    ]


def test_inventory_rows_match_the_examples(api: httpx.Client, sandbox: Sandbox) -> None:
    body = api.get("/inventory").json()
    same_shape(body, example("10_inventory.docs_example.json"))
    same_shape(body, example("10_inventory.response.json"))
    assert set(body) == {"data"}
    assert all(isinstance(row["p1_id"], int) and "stock_quantity" not in row for row in body["data"])
    zainbow = next(row for row in body["data"] if row["p1_id"] == 57672)
    assert zainbow["name"] == "24/1 IUVO KC OJ Zainbow" and zainbow["price"] == 8.75
    assert zainbow["stockquantity"] == stock(sandbox, 57672)


def test_adjust_is_logged_with_metadata(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    before = stock(sb, 57672)
    with v2_client(sb) as api:
        response = api.post(
            "/inventory/adjust", json=example("10_inventory_adjust.request.json") | {"p1_id": "57672"}
        )
        assert response.status_code == 200
        same_shape(response.json(), example("10_inventory_adjust.response.json"))
        assert response.json()["status"] == "ok"
        assert stock(sb, 57672) == before - 2
        log = api.get("/inventory/57672/log").json()
        same_shape(log, example("10_inventory_log.docs_example.json"))
        newest = log["data"][0]
        assert newest["id"] == response.json()["id"] and newest["p1_id"] == 57672
        assert (newest["delta_on_hand"], newest["reason"], newest["shop_id"]) == (-2, "POS sale", "shop1")
        assert newest["metadata"] == {"pos_ref": "TX-999"}
        listed = next(row for row in api.get("/inventory").json()["data"] if row["p1_id"] == 57672)
        assert listed["last_activity"] == newest["created_at"] and listed["log_entries"] == len(log["data"])


def test_stock_never_goes_below_zero(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        level = stock(sb, 57672)
        refused = api.post(
            "/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": -(level + 1), "reason": "x"}
        )
        assert refused.status_code == 409 and refused.json()["error"] == vocab.ERROR_INSUFFICIENT_STOCK
        assert str(level) in refused.json()["message"]
        assert stock(sb, 57672) == level
        assert (
            api.post(
                "/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": -level, "reason": "x"}
            ).status_code
            == 200
        )
        assert stock(sb, 57672) == 0


def test_parallel_adjustments_are_all_counted_and_never_overdraw(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        api.post(
            "/inventory/adjust",
            json={"p1_id": 57672, "delta_on_hand": 30 - stock(sb, 57672), "reason": "set"},
        )

        def take_one(_: int) -> int:
            return api.post(
                "/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": -1, "reason": "sale"}
            ).status_code

        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(pool.map(take_one, range(45)))
    assert statuses.count(200) == 30 and statuses.count(409) == 15
    assert stock(sb, 57672) == 0
    assert (
        sb.query("SELECT COUNT(*) AS n FROM inventory_log WHERE p1_id = 57672 AND reason = 'sale'")[0]["n"]
        == 30
    )


def test_log_is_capped_at_200_newest_first(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        for number in range(205):
            api.post(
                "/inventory/adjust", json={"p1_id": "57672", "delta_incoming": 1, "reason": f"r{number}"}
            )
        log = api.get("/inventory/57672/log").json()["data"]
    assert len(log) == vocab.INVENTORY_LOG_LIMIT == 200
    assert log[0]["reason"] == "r204"
    stamps = [entry["created_at"] for entry in log]
    assert stamps == sorted(stamps, reverse=True)


def test_unknown_products_are_404(api: httpx.Client) -> None:
    for path in ("/inventory/1/log", "/inventory/1/history"):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["error"] == vocab.ERROR_NOT_FOUND
    assert api.post("/inventory/adjust", json={"p1_id": "1", "reason": "x"}).status_code == 404


def test_bad_adjust_bodies_are_422(api: httpx.Client) -> None:
    for body, field in (
        ({"delta_on_hand": 1, "reason": "x"}, "p1_id"),
        ({"p1_id": "57672", "delta_on_hand": 1}, "reason"),
        ({"p1_id": "57672", "delta_on_hand": 1.5, "reason": "x"}, "delta_on_hand"),
        ({"p1_id": "57672", "reason": "x", "shop_id": "markt1"}, "shop_id"),
        ({"p1_id": "57672", "reason": "x", "metadata": "pos"}, "metadata"),
    ):
        response = api.post("/inventory/adjust", json=body)
        assert response.status_code == 422 and response.json()["field"] == field


def test_history_has_one_row_per_day_ending_at_the_current_stock(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        api.post("/inventory/adjust", json={"p1_id": "57672", "delta_on_hand": -3, "reason": "sale"})
        history = api.get("/inventory/57672/history").json()
        assert len(history["data"]) == vocab.HISTORY_DEFAULT_DAYS == history["days"]
        today = history["data"][-1]
        assert today["date"] == datetime.now(UTC).date().isoformat()
        assert today["delta_on_hand"] <= -3 and today["stock_quantity"] == stock(sb, 57672)
        year = api.get("/inventory/57672/history", params={"days": 365}).json()["data"]
        assert len(year) == 365
        for earlier, later in itertools.pairwise(year):
            assert later["stock_quantity"] == earlier["stock_quantity"] + later["delta_on_hand"]
        assert year[0]["stock_quantity"] == 0  # before the seeded first delivery there was nothing
        for days in ("0", "366", "week"):
            assert api.get("/inventory/57672/history", params={"days": days}).status_code == 400
