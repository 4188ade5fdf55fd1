"""Order requests on v2 (JWT), v1 (API key) and the shop proxy: shapes, validation, de-duplication."""

from __future__ import annotations

import copy
import uuid

import httpx
import pytest

from tests.sandbox.conftest import example, same_shape, v2_client, v2_prefix
from toolkit import vocabulary as vocab
from toolkit.sandbox import Sandbox


def fresh(name: str) -> dict:
    """The example request with a reference of its own, so that tests do not de-duplicate each other."""
    body = copy.deepcopy(example(name))
    body["external_reference"] = f"test-{uuid.uuid4()}"
    return body


def stored(sb: Sandbox, request_id: str) -> dict:
    rows = sb.query("SELECT * FROM order_requests WHERE id = ?", request_id)
    assert len(rows) == 1
    return rows[0]


def test_v2_answers_like_the_example_and_stores_the_request(api: httpx.Client, sandbox: Sandbox) -> None:
    body = fresh("06_order_request_v2.request.json")
    response = api.post("/order-requests", json=body)
    assert response.status_code == 200
    answer = response.json()
    same_shape(answer, example("06_order_request_v2.response.json"))
    assert set(answer) == {"id", "status", "message", "external_reference"}
    assert uuid.UUID(answer["id"]).version == 4
    assert answer["status"] == "pending" and answer["message"] == "Order request received."
    assert answer["external_reference"] == body["external_reference"]
    row = stored(sandbox, answer["id"])
    assert (row["api"], row["shop_id"], row["source"]) == ("v2", "shop1", "pos-system")


def test_v1_takes_the_api_key_and_answers_without_external_reference(sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{sandbox.base_url}/api/v1/public/orgs/org1/order-requests",
        headers={"X-API-Key": sandbox.api_key},
        json=fresh("06_order_request_v2.request.json"),
    )
    assert response.status_code == 200
    answer = response.json()
    same_shape(answer, example("07_order_request_v1.response.json"))
    assert set(answer) == {"id", "status", "message"}
    assert stored(sandbox, answer["id"])["api"] == "v1"


def test_v1_refuses_a_missing_key_as_kong_and_a_jwt_is_not_enough(
    sandbox: Sandbox, api: httpx.Client
) -> None:
    url = f"{sandbox.base_url}/api/v1/public/orgs/org1/order-requests"
    body = fresh("06_order_request_v2.request.json")
    assert httpx.post(url, json=body).json()["message"] == "Unauthorized"
    assert (
        httpx.post(url, json=body, headers={"Authorization": api.headers["Authorization"]}).status_code == 401
    )
    other_org = httpx.post(url, json=body, headers={"apikey": sandbox.api_keys["org2"]})
    assert other_org.status_code == 403 and other_org.json()["error"] == "org_mismatch"
    assert not sandbox.query(
        "SELECT 1 FROM order_requests WHERE external_reference = ?", body["external_reference"]
    )


def test_shop_proxy_injects_org_and_shop(sandbox: Sandbox) -> None:
    body = fresh("08_external_order.request.json")
    response = httpx.post(
        f"{sandbox.shop_urls['shop3']}/api/v1/external-order", params={"apikey": sandbox.api_key}, json=body
    )
    assert response.status_code == 200
    answer = response.json()
    same_shape(answer, example("08_external_order.response.json"))
    assert answer["external_reference"] == body["external_reference"]
    row = stored(sandbox, answer["id"])
    assert (row["org_id"], row["shop_id"], row["api"]) == ("org1", "shop3", "shop")
    assert sandbox.shop_url == sandbox.shop_urls["shop1"]


@pytest.mark.parametrize("where", ["payload", "envelope"])
def test_shop_proxy_refuses_a_body_that_names_the_shop(sandbox: Sandbox, where: str) -> None:
    body = fresh("08_external_order.request.json")
    (body["payload"] if where == "payload" else body)["shop_id"] = "shop1"
    response = httpx.post(
        f"{sandbox.shop_url}/api/v1/external-order", headers={"apikey": sandbox.api_key}, json=body
    )
    assert response.status_code == 422
    assert "set by the shop proxy" in response.json()["message"]


def test_shop_proxy_refuses_keys_of_another_org_and_unknown_shops(sandbox: Sandbox) -> None:
    body = fresh("08_external_order.request.json")
    foreign = httpx.post(
        f"{sandbox.shop_url}/api/v1/external-order", headers={"apikey": sandbox.api_keys["org2"]}, json=body
    )
    assert foreign.status_code == 401 and set(foreign.json()) == {"message", "request_id"}
    nowhere = httpx.post(
        f"{sandbox.base_url}/shop-proxy/nowhere/api/v1/external-order",
        headers={"apikey": sandbox.api_key},
        json=body,
    )
    assert nowhere.status_code == 404


def test_a_repeated_external_reference_gets_the_first_answer(api: httpx.Client, sandbox: Sandbox) -> None:
    body = fresh("06_order_request_v2.request.json")
    first = api.post("/order-requests", json=body).json()
    body["payload"]["customer_name"] = "Someone Else"
    again = api.post("/order-requests", json=body).json()
    v1 = httpx.post(
        f"{sandbox.base_url}/api/v1/public/orgs/org1/order-requests",
        headers={"apikey": sandbox.api_key},
        json=body,
    ).json()
    assert again == first and v1["id"] == first["id"]
    count = sandbox.query(
        "SELECT COUNT(*) AS n FROM order_requests WHERE external_reference = ?", body["external_reference"]
    )
    assert count[0]["n"] == 1


def test_a_request_without_reference_is_stored_each_time(api: httpx.Client, sandbox: Sandbox) -> None:
    body = fresh("06_order_request_v2.request.json")
    del body["external_reference"]
    first, second = (api.post("/order-requests", json=body).json() for _ in range(2))
    assert first["id"] != second["id"] and first["external_reference"] is None


def test_a_prescription_pdf_replaces_the_items(api: httpx.Client) -> None:
    body = fresh("06_order_request_v2.request.json")
    del body["payload"]["items"]
    body["payload"]["prescription_pdf_base64"] = "JVBERi0xLjQK"
    assert api.post("/order-requests", json=body).status_code == 200
    body["payload"]["prescription_pdf_base64"] = "not base64!"
    assert api.post("/order-requests", json=body).json()["field"] == "payload.prescription_pdf_base64"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda p: p.pop("shop_id"), "payload.shop_id"),
        (lambda p: p.update(shop_id="markt1"), "payload.shop_id"),
        (lambda p: (p.pop("customer_name"), p.pop("customer_email")), "payload.customer_name"),
        (lambda p: p.update(customer_email="not-an-address"), "payload.customer_email"),
        (lambda p: p.pop("items"), "payload.items"),
        (lambda p: p.update(items=[]), "payload.items"),
        (lambda p: p.update(items=[{"name": "X", "quantity": 0}]), "payload.items[0].quantity"),
        (lambda p: p.update(items=[{"name": "X", "qty": 2}]), "payload.items[0].quantity"),
        (lambda p: p.update(items=[{"quantity": 2, "price": 1.0}]), "payload.items[0].name"),
        (lambda p: p.update(payment_status="maybe"), "payload.payment_status"),
    ],
)
def test_invalid_payloads_are_422_naming_the_field(
    api: httpx.Client, sandbox: Sandbox, mutate, field: str
) -> None:
    body = fresh("06_order_request_v2.request.json")
    mutate(body["payload"])
    response = api.post("/order-requests", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == vocab.ERROR_VALIDATION and response.json()["field"] == field
    assert not sandbox.query(
        "SELECT 1 FROM order_requests WHERE external_reference = ?", body["external_reference"]
    )


def test_missing_payload_and_non_json_bodies(api: httpx.Client) -> None:
    assert api.post("/order-requests", json={"source": "pos"}).json()["field"] == "payload"
    response = api.post("/order-requests", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON object" in response.json()["message"]


def test_v2_needs_the_order_requests_scope(sandbox: Sandbox) -> None:
    with v2_client(sandbox, sandbox.create_key(scopes=["orders.read"])) as limited:
        response = limited.post("/order-requests", json=fresh("06_order_request_v2.request.json"))
    assert response.status_code == 403
    assert response.json()["message"] == "Missing scope: order_requests.write"
    assert v2_prefix() in sandbox.received(path_contains="/order-requests")[-1]["path"]
