"""Every route of the reference, reached through the client against a private sandbox."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit import Client, errors


@pytest.fixture(scope="module")
def p1w():
    """A client on a small private sandbox that these tests may change."""
    with Client.sandbox(orders=80, progress=False) as client:
        yield client


def test_order_upsert_is_idempotent_and_update_applies(p1w):
    items = [{"name": "Cannabis flos 27/1", "quantity": 2, "price": 9.5}]
    first = p1w.orders.upsert("shop1", "POS-TEST-1", items, customer_name="Max Mustermann", total_amount=19.0)
    again = p1w.orders.upsert("shop1", "POS-TEST-1", items, customer_name="Max Mustermann", total_amount=19.0)
    rows = p1w.sandbox_server.query("SELECT id FROM orders WHERE external_id = ?", "POS-TEST-1")
    assert len(rows) == 1 and first.model_extra and again.model_extra
    order_id = rows[0]["id"]
    p1w.orders.update(order_id, payment_status="paid")
    assert p1w.orders.get(order_id).payment_status == "paid"


@pytest.mark.parametrize("api", ["v2", "v1"])
def test_order_requests_arrive_once_with_our_reference(p1w, api):
    result = p1w.order_requests.create(
        "shop1", [{"name": "Cannabis flos", "quantity": 3}], customer_email="max@example.com", api=api
    )
    assert result.status == "pending" and result.external_reference.startswith("pharmaone-ops-")
    rows = p1w.sandbox_server.query(
        "SELECT api, shop_id FROM order_requests WHERE external_reference = ?", result.external_reference
    )
    assert rows == [{"api": api, "shop_id": "shop1"}]


def test_external_order_through_the_shop_proxy(p1w):
    result = p1w.order_requests.external(
        [{"name": "Cannabis flos 27/1", "quantity": 5, "price": 5.1}],
        customer_name="Max Mustermann",
        external_reference="TM-RX-TEST-1",
        source="external-telemedicine",
        shipping_option="Abholung",
    )
    assert (result.status, result.external_reference) == ("pending", "TM-RX-TEST-1")
    [row] = p1w.sandbox_server.query(
        "SELECT shop_id FROM order_requests WHERE external_reference = ?", "TM-RX-TEST-1"
    )
    assert row["shop_id"] == "shop1"  # injected by the shop proxy


def test_prescriptions_list_get_ingest(p1w):
    frame = p1w.prescriptions.list()
    assert (
        not frame.empty and frame["id"].is_unique and str(frame["created_at"].dtype) == "datetime64[ns, UTC]"
    )
    first = frame["id"].iloc[0]
    assert p1w.prescriptions.get(first).id == first
    new = p1w.prescriptions.list(status="new")
    assert set(new["status"]) <= {"new"}
    result = p1w.prescriptions.ingest("shop1", "anna@example.com")
    assert result.upsert == "ok" and p1w.prescriptions.get(result.id).shop_id == "shop1"
    many = p1w.prescriptions.ingest_many(
        pd.DataFrame({"shop_id": ["shop1", "shop3"], "customer_email": ["b@example.com", "c@example.com"]})
    )
    assert many["upsert"].tolist() == ["ok", "ok"] and many["error"].isna().all()


def test_inventory_adjust_log_history(p1w):
    inventory = p1w.inventory.list()
    p1_id = inventory["p1_id"].iloc[0]
    before = int(inventory["stock_quantity"].iloc[0])
    result = p1w.inventory.adjust(
        p1_id, "Wareneingang", delta_on_hand=5, shop_id="shop1", metadata={"ref": "T1"}
    )
    assert result.status == "ok" and result.id
    after = p1w.inventory.list().set_index("p1_id").loc[p1_id, "stock_quantity"]
    assert after == before + 5
    log = p1w.inventory.log(p1_id)
    assert result.id in set(log["id"])
    assert p1w.inventory.history(p1_id, days=3)["date"].is_monotonic_increasing
    with pytest.raises(errors.ConflictError) as caught:  # stock would go below zero
        p1w.inventory.adjust(p1_id, "Bruch", delta_on_hand=-(after + 1))
    assert str(caught.value).startswith("POST /inventory/adjust: PharmaOne refused the request with 409")


def test_products_routes(p1w):
    products = p1w.products.list("shop3")
    product = p1w.products.get(products["p1_id"].iloc[0], "shop3")
    assert product.p1_id == products["p1_id"].iloc[0]
    p1w.products.update(product.p1_id, price=9.99)
    p1w.products.overrides("shop3", product.p1_id, price=7.5)
    p1w.products.detach("shop3", product.p1_id)
    assert product.p1_id not in set(p1w.products.list("shop3")["p1_id"])
    p1w.products.attach("shop3", product.p1_id)
    assert product.p1_id in set(p1w.products.list("shop3")["p1_id"])


def test_add_to_inventory_needs_a_catalogue_product(p1w):
    with pytest.raises(errors.APIStatusError) as caught:
        p1w.products.add_to_inventory("99999999", initial_stock=3)
    assert caught.value.status_code in (404, 409, 422)


@pytest.mark.parametrize(
    "call",
    [
        lambda p1: p1.reports.stats(),
        lambda p1: p1.reports.stats("2026-01-01", "2026-12-31"),
        lambda p1: p1.reports.product_performance(),
        lambda p1: p1.reports.product_sales(),
        lambda p1: p1.reports.fees(),
    ],
)
def test_reports_come_back_as_sections(p1w, call):
    report = call(p1w)
    sections = report.sections()
    assert sections and all(isinstance(frame, pd.DataFrame) for frame in sections.values())
