"""Shops and products: the example bodies, page-based paging, and the products.write routes."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.conftest import example, same_shape, v2_client
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox

PRODUCT_KEYS = {"p1_id", "name", "slug", "category", "price", "stock_quantity", "available", "shop_id"}


def test_shops_are_exactly_the_four_of_the_examples(api: httpx.Client) -> None:
    assert api.get("/shops").json() == example("02_shops.response.json")


def test_products_are_page_based_with_string_ids(api: httpx.Client, sandbox: Sandbox) -> None:
    body = api.get("/products", params={"shop_id": "shop1", "limit": 10}).json()
    same_shape(body, example("10_products.response.json"))
    same_shape(body["data"][0], example("10_product.docs_example.json"))
    assert all(set(item) == PRODUCT_KEYS and item["p1_id"].isdigit() for item in body["data"])
    total = sandbox.query("SELECT COUNT(*) AS n FROM shop_products WHERE shop_id = 'shop1'")[0]["n"]
    pages = -(-total // 10)
    assert body["pagination"] == {"page": 1, "pageSize": 10, "total": total, "totalPages": pages}
    last = api.get("/products", params={"shop_id": "shop1", "limit": 10, "page": pages}).json()
    assert len(last["data"]) == total - 10 * (pages - 1)
    seen = {
        item["p1_id"]
        for page in range(1, pages + 1)
        for item in api.get("/products", params={"shop_id": "shop1", "limit": 10, "page": page}).json()[
            "data"
        ]
    }
    assert len(seen) == total
    zainbow = api.get("/products/57672", params={"shop_id": "shop1"}).json()
    assert (zainbow["name"], zainbow["price"]) == ("24/1 IUVO KC OJ Zainbow", 8.75)


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "shop_id"), ({"shop_id": "markt1"}, "shop_id"), ({"shop_id": "shop1", "page": 0}, "page")],
)
def test_bad_product_queries_are_400(api: httpx.Client, params: dict, field: str) -> None:
    response = api.get("/products", params=params)
    assert response.status_code == 400 and response.json()["field"] == field


def test_product_detail_404_and_bad_id(api: httpx.Client) -> None:
    assert api.get("/products/1", params={"shop_id": "shop1"}).status_code == 404
    assert api.get("/products/abc", params={"shop_id": "shop1"}).status_code == 400


def test_add_update_attach_override_detach(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    outside = sb.query(
        "SELECT p1_id, price FROM catalog"
        " WHERE p1_id NOT IN (SELECT p1_id FROM products WHERE org_id = 'org1')"
    )[0]
    p1_id = str(outside["p1_id"])
    with v2_client(sb) as api:
        added = api.post(
            "/products/add-to-inventory", json={"p1_id": p1_id, "initial_stock": 10, "price": 8.99}
        )
        assert added.status_code == 201
        assert (added.json()["p1_id"], added.json()["stock_quantity"], added.json()["price"]) == (
            p1_id,
            10,
            8.99,
        )
        again = api.post("/products/add-to-inventory", json={"p1_id": p1_id})
        assert again.status_code == 409 and again.json()["error"] == vocab.ERROR_ALREADY_EXISTS
        assert api.post("/products/add-to-inventory", json={"p1_id": "1"}).status_code == 404

        updated = api.put(
            f"/products/{p1_id}", json={"name": "Updated name", "price": 9.99, "available": True}
        )
        assert updated.status_code == 200 and updated.json()["name"] == "Updated name"
        assert api.put(f"/products/{p1_id}", json={"colour": "green"}).status_code == 422
        assert api.put("/products/1", json={"price": 1.0}).status_code == 404

        attached = api.post("/shops/attach-product", json={"shop_id": "shop3", "p1_id": p1_id, "price": 9.49})
        assert attached.status_code == 200
        assert attached.json() == {
            "p1_id": p1_id,
            "name": "Updated name",
            "slug": attached.json()["slug"],
            "category": attached.json()["category"],
            "price": 9.49,
            "stock_quantity": 10,
            "available": True,
            "shop_id": "shop3",
        }
        overridden = api.post(
            "/shops/product-overrides",
            json={"shop_id": "shop3", "p1_id": p1_id, "price": None, "available": False},
        )
        assert overridden.json()["price"] == 9.99 and overridden.json()["available"] is False
        assert api.get(f"/products/{p1_id}", params={"shop_id": "shop3"}).json()["available"] is False

        detached = api.post("/shops/detach-product", json={"shop_id": "shop3", "p1_id": p1_id})
        assert detached.json() == {"status": "ok", "shop_id": "shop3", "p1_id": p1_id}
        assert api.get(f"/products/{p1_id}", params={"shop_id": "shop3"}).status_code == 404
        assert api.post("/shops/detach-product", json={"shop_id": "shop3", "p1_id": p1_id}).status_code == 404
        assert (
            api.post("/shops/attach-product", json={"shop_id": "markt1", "p1_id": p1_id}).status_code == 422
        )


def test_attaching_needs_stock(make_sandbox) -> None:
    sb = make_sandbox(orders=5)
    empty = sb.query("SELECT p1_id FROM products WHERE org_id = 'org1' AND stock_quantity = 0")[0]["p1_id"]
    with v2_client(sb) as api:
        response = api.post("/shops/attach-product", json={"shop_id": "shop3", "p1_id": str(empty)})
    assert response.status_code == 409 and response.json()["error"] == vocab.ERROR_INSUFFICIENT_STOCK
