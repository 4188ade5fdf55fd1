"""Many clients at once: check-then-write sequences stay atomic (one request, one order, one transition)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.sandbox.conftest import example, v2_client

PARALLEL = 12


def test_parallel_order_requests_with_one_reference_store_one_request(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    body = example("06_order_request_v2.request.json") | {"external_reference": "RACE-1"}
    with v2_client(sb) as api, ThreadPoolExecutor(PARALLEL) as pool:
        answers = list(pool.map(lambda _: api.post("/order-requests", json=body).json(), range(PARALLEL)))
    assert len({answer["id"] for answer in answers}) == 1
    assert (
        sb.query("SELECT COUNT(*) AS n FROM order_requests WHERE external_reference = 'RACE-1'")[0]["n"] == 1
    )


def test_parallel_upserts_of_one_external_id_make_one_order(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    body = {
        "shop_id": "shop1",
        "external_id": "RACE-2",
        "customer_name": "A",
        "items": [{"p1_id": "57672", "qty": 1}],
    }
    with v2_client(sb) as api, ThreadPoolExecutor(PARALLEL) as pool:
        responses = list(pool.map(lambda _: api.post("/orders", json=body), range(PARALLEL)))
    assert sorted(r.status_code for r in responses) == [200] * (PARALLEL - 1) + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sb.query("SELECT COUNT(*) AS n FROM orders WHERE external_id = 'RACE-2'")[0]["n"] == 1


def test_parallel_status_changes_make_one_transition(make_sandbox) -> None:
    """From awaiting_packing both ready_pickup and ready_shipping are allowed, but not one after the other:
    exactly one of the two may win, and every request for the other must be refused."""
    sb = make_sandbox(orders=5)
    with v2_client(sb) as api:
        order = api.post(
            "/orders",
            json={
                "shop_id": "shop1",
                "external_id": "RACE-3",
                "customer_name": "A",
                "status": "awaiting_packing",
            }
            | {"items": [{"p1_id": "57672", "qty": 1}]},
        ).json()
        targets = ["ready_pickup", "ready_shipping"] * (PARALLEL // 2)
        with ThreadPoolExecutor(PARALLEL) as pool:
            responses = list(
                pool.map(
                    lambda status: api.patch(f"/orders/{order['id']}/status", json={"status": status}),
                    targets,
                )
            )
    final = sb.query("SELECT status FROM orders WHERE id = ?", order["id"])[0]["status"]
    for target, response in zip(targets, responses, strict=True):
        assert response.status_code == (200 if target == final else 409)
