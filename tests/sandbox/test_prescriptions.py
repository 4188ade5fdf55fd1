"""Prescriptions: list without total, "" for unset fields, detail, ingest as upsert with Title-Case fields."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.sandbox.conftest import example, same_shape, v2_client
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox

ITEM_KEYS = {"id", "status", "shop_id", "order_id", "customer_email", "created_at"}


def test_list_matches_the_examples_without_total(api: httpx.Client) -> None:
    body = api.get("/prescriptions", params={"limit": 200}).json()
    same_shape(body, example("09_prescriptions.docs_example.json"))
    same_shape(body, example("09_prescriptions.response.json"))
    assert body["pagination"] == {"limit": 200, "offset": 0}
    assert all(set(item) == ITEM_KEYS for item in body["data"])
    assert all(vocab.PRESCRIPTION_ID_PATTERN.match(item["id"]) for item in body["data"])
    assert any(item["order_id"] == "" for item in body["data"])
    assert any(item["customer_email"] == "" for item in body["data"])
    assert not any(value is None for item in body["data"] for value in item.values())


def test_every_status_is_seeded_and_the_filter_works(api: httpx.Client) -> None:
    for status in vocab.PRESCRIPTION_STATUSES:
        rows = api.get("/prescriptions", params={"status": status, "limit": 5}).json()["data"]
        assert rows and {row["status"] for row in rows} == {status}
    assert api.get("/prescriptions", params={"status": "lost"}).status_code == 400


def test_limit_default_and_cap(api: httpx.Client) -> None:
    assert api.get("/prescriptions").json()["pagination"] == {"limit": 50, "offset": 0}
    assert (
        api.get("/prescriptions", params={"limit": 999}).json()["pagination"]["limit"]
        == vocab.PRESCRIPTIONS_MAX_LIMIT
    )


def test_detail_is_the_list_item(api: httpx.Client) -> None:
    item = api.get("/prescriptions", params={"limit": 1, "offset": 3}).json()["data"][0]
    assert api.get(f"/prescriptions/{item['id']}").json() == item
    missing = api.get("/prescriptions/org1-pq-ZZZZZZ")
    assert missing.status_code == 404 and missing.json()["error"] == vocab.ERROR_NOT_FOUND


def test_ingest_upserts_on_shop_and_email_and_keeps_title_case_fields(make_sandbox) -> None:
    sb = make_sandbox(orders=10)
    with v2_client(sb) as api:
        first = api.post("/prescriptions", json=example("09_prescription_ingest.request.json"))
        assert first.status_code == 200
        same_shape(first.json(), example("09_prescription_ingest.response.json"))
        assert first.json()["upsert"] == "ok"
        prescription_id = first.json()["id"]
        assert prescription_id.startswith("org1-pq-")
        again = api.post(
            "/prescriptions",
            json={
                "shop_id": "shop1",
                "customer_email": "max@example.com",
                "First Name": "Max",
                "Doctor": "Dr. Who",
            },
        )
        assert again.json() == {"id": prescription_id, "upsert": "ok"}
        other_shop = api.post(
            "/prescriptions", json={"shop_id": "shop3", "customer_email": "max@example.com"}
        )
        assert other_shop.json()["id"] != prescription_id
        by_id = [
            api.post(
                "/prescriptions", json={"shop_id": "shop1", "customer_email": "max@example.com", "ID": n}
            )
            for n in ("A", "A", "B")
        ]
        assert by_id[0].json()["id"] == by_id[1].json()["id"] != by_id[2].json()["id"] != prescription_id
        detail = api.get(f"/prescriptions/{prescription_id}").json()
        assert (
            detail["status"] == "new"
            and detail["order_id"] == ""
            and detail["customer_email"] == "max@example.com"
        )
    row = sb.query("SELECT fields FROM prescriptions WHERE id = ?", prescription_id)[0]
    assert json.loads(row["fields"]) == {"First Name": "Max", "Doctor": "Dr. Who"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"customer_email": "max@example.com"}, "shop_id"),
        ({"shop_id": "markt1", "customer_email": "max@example.com"}, "shop_id"),
        ({"shop_id": "shop1"}, "customer_email"),
        ({"shop_id": "shop1", "customer_email": "nobody"}, "customer_email"),
        ({"shop_id": "shop1", "customer_email": "max@example.com", "org_id": "org2"}, "org_id"),
        ({"shop_id": "shop1", "customer_email": "max@example.com", "status": "lost"}, "status"),
    ],
)
def test_bad_ingest_bodies_are_refused(api: httpx.Client, sandbox: Sandbox, body: dict, field: str) -> None:
    before = sandbox.query("SELECT COUNT(*) AS n FROM prescriptions")[0]["n"]
    response = api.post("/prescriptions", json=body)
    assert response.status_code == 422 and response.json()["field"] == field
    assert sandbox.query("SELECT COUNT(*) AS n FROM prescriptions")[0]["n"] == before
