"""GET /orders remembers its order (and so its `total`) between pages: it must still follow writes."""

from __future__ import annotations

import pytest

from toolkit.sandbox.db import Database

NEW_ORDER = {
    "shop_id": "shop1",
    "external_id": "COUNT-CHECK-1",
    "customer_name": "Max Mustermann",
    "customer_email": "max@example.com",
    "items": [{"name": "Cannabis flos", "qty": 1, "price": 8.59}],
}


def test_total_follows_a_new_order_after_pages_were_read(make_sandbox) -> None:
    from tests.sandbox.conftest import v2_client

    sb = make_sandbox(orders=20)
    with v2_client(sb) as api:
        before = [api.get("/orders", params={"limit": 5, "offset": o}).json() for o in (0, 5)]
        assert [page["pagination"]["total"] for page in before] == [20, 20]
        shop_total = api.get("/orders", params={"shop_id": "shop1"}).json()["pagination"]["total"]

        assert api.post("/orders", json=NEW_ORDER).status_code == 201

        assert api.get("/orders", params={"limit": 5}).json()["pagination"]["total"] == 21
        after = api.get("/orders", params={"shop_id": "shop1"}).json()["pagination"]["total"]
        assert after == shop_total + 1


def test_a_listing_remembered_inside_a_rolled_back_transaction_is_forgotten() -> None:
    db = Database()
    db.insert_many("orgs", [{"org_id": "org1", "name": "Org"}])
    listing = "SELECT org_id FROM orgs ORDER BY org_id"
    assert db.remembered_column(listing) == ["org1"]
    with pytest.raises(RuntimeError), db.transaction():
        db.insert("orgs", {"org_id": "org2", "name": "Other"})
        assert db.remembered_column(listing) == ["org1", "org2"]
        raise RuntimeError("undo")
    assert db.remembered_column(listing) == ["org1"]
    db.close()
